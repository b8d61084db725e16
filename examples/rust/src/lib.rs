//! Rust binding of podalloc's C ABI (podalloc/podalloc.h): the kubelet's CPU, memory and
//! topology manager decisions for one node, as a library. `sys` holds the raw `extern "C"`
//! declarations; the types here own the C handles and free them on drop.
//!
//! Every fallible call returns `Result<_, Error>`, with the code and message of that very
//! call (the C ABI's error out-parameter), so no thread-local state is involved.

pub mod nrt;
pub mod sys;
mod pod;
mod preferred;
use pod::{empty_text, string_of};
pub use preferred::PreferredAllocation;

pub use pod::{
    Container, ContainerKind, Device, Isolation, MemoryBlock, Placement, Pod, Resources,
    RestartPolicy,
};

pub use nrt::pod_fingerprint;

use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_char;
use std::ptr;

/// A failed call: the C status code (the canonical absl/gRPC numbers) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: i32,
    pub message: String,
}

impl Error {
    /// The code's name, e.g. "INVALID_ARGUMENT".
    pub fn code_name(&self) -> &'static str {
        unsafe { static_str(sys::podalloc_status_name(self.code)) }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "podalloc: {}: {}", self.code_name(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// # Safety
/// `p` must be a NUL-terminated static string from the library.
unsafe fn static_str(p: *const c_char) -> &'static str {
    if p.is_null() {
        return "";
    }
    CStr::from_ptr(p).to_str().unwrap_or("")
}

/// Runs one fallible C call with an error out-parameter.
fn call<F>(f: F) -> Result<()>
where
    F: FnOnce(sys::Err) -> sys::podalloc_status,
{
    let mut err: *mut sys::podalloc_error = ptr::null_mut();
    let code = f(&mut err);
    if code == sys::PODALLOC_OK {
        return Ok(());
    }
    let message = if err.is_null() {
        String::new()
    } else {
        unsafe {
            let m = CStr::from_ptr(sys::podalloc_error_message(err))
                .to_string_lossy()
                .into_owned();
            sys::podalloc_error_free(err);
            m
        }
    };
    Err(Error { code, message })
}

/// Copies a library-owned document and releases it.
fn take_buffer(mut buf: sys::podalloc_buffer) -> Vec<u8> {
    let bytes = if buf.data.is_null() {
        Vec::new()
    } else {
        unsafe { std::slice::from_raw_parts(buf.data as *const u8, buf.size).to_vec() }
    };
    unsafe { sys::podalloc_buffer_free(&mut buf) };
    bytes
}

fn text(b: &[u8]) -> (*const c_char, usize) {
    (b.as_ptr() as *const c_char, b.len())
}

/// The loaded library's version, e.g. "0.1.0".
pub fn version() -> &'static str {
    unsafe { static_str(sys::podalloc_version_string()) }
}

/// Whether the loaded library has the major version these declarations were written for.
pub fn version_matches() -> bool {
    unsafe { sys::podalloc_version() / 10000 == sys::PODALLOC_VERSION_MAJOR }
}

/// A machine: CPUs with their core, socket, NUMA node and uncore cache; NUMA nodes with
/// memory and distances. Immutable, so it is `Send` and `Sync`.
pub struct Topology {
    raw: *mut sys::podalloc_topology,
}

unsafe impl Send for Topology {}
unsafe impl Sync for Topology {}

impl Drop for Topology {
    fn drop(&mut self) {
        unsafe { sys::podalloc_topology_destroy(self.raw) }
    }
}

type TopologyCtor =
    unsafe extern "C" fn(*mut *mut sys::podalloc_topology, *const c_char, usize, sys::Err) -> i32;

impl Topology {
    fn build(ctor: TopologyCtor, input: &[u8]) -> Result<Topology> {
        let mut raw = ptr::null_mut();
        let (p, n) = text(input);
        call(|err| unsafe { ctor(&mut raw, p, n, err) })?;
        Ok(Topology { raw })
    }

    /// This machine, through hwloc.
    pub fn discover() -> Result<Topology> {
        let mut raw = ptr::null_mut();
        call(|err| unsafe { sys::podalloc_topology_discover(&mut raw, err) })?;
        Ok(Topology { raw })
    }

    /// An hwloc synthetic description, e.g. "pack:2 numa:2 core:8 pu:2".
    pub fn from_synthetic(description: &str) -> Result<Topology> {
        Self::build(
            sys::podalloc_topology_from_synthetic,
            description.as_bytes(),
        )
    }

    /// The "podalloc.topology/v1" document or a kubelet test-topology record.
    pub fn from_json(json: &[u8]) -> Result<Topology> {
        Self::build(sys::podalloc_topology_from_json, json)
    }

    /// An hwloc XML export held in memory.
    pub fn from_xml(xml: &[u8]) -> Result<Topology> {
        Self::build(sys::podalloc_topology_from_xml, xml)
    }

    /// An hwloc XML file.
    pub fn from_xml_file(path: &str) -> Result<Topology> {
        Self::build(sys::podalloc_topology_from_xml_file, path.as_bytes())
    }

    /// Linux sysfs below `root` ("/" for this machine).
    pub fn from_sysfs(root: &str) -> Result<Topology> {
        Self::build(sys::podalloc_topology_from_sysfs, root.as_bytes())
    }

    /// The "podalloc.topology/v1" JSON document.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        call(|err| unsafe { sys::podalloc_topology_to_json(&mut buf, self.raw, err) })?;
        Ok(take_buffer(buf))
    }

    pub fn name(&self) -> String {
        unsafe {
            CStr::from_ptr(sys::podalloc_topology_name(self.raw))
                .to_string_lossy()
                .into_owned()
        }
    }

    pub fn num_cpus(&self) -> i32 {
        unsafe { sys::podalloc_topology_num_cpus(self.raw) }
    }

    pub fn num_cores(&self) -> i32 {
        unsafe { sys::podalloc_topology_num_cores(self.raw) }
    }

    pub fn num_sockets(&self) -> i32 {
        unsafe { sys::podalloc_topology_num_sockets(self.raw) }
    }

    pub fn num_numa_nodes(&self) -> i32 {
        unsafe { sys::podalloc_topology_num_numa_nodes(self.raw) }
    }

    fn words(&self) -> usize {
        unsafe { sys::podalloc_topology_cpuset_words(self.raw) }.max(1)
    }

    /// The online CPUs.
    pub fn cpus(&self) -> Result<CpuSet> {
        let mut words = vec![0u64; self.words()];
        call(|err| unsafe {
            sys::podalloc_topology_cpus(words.as_mut_ptr(), words.len(), self.raw, err)
        })?;
        Ok(CpuSet { words })
    }

    /// Chooses `n` CPUs among `available` exactly as the kubelet's static policy does.
    pub fn take_cpus(&self, available: &CpuSet, n: i32, options: &TakeOptions) -> Result<CpuSet> {
        let mut o = sys::podalloc_take_options::default();
        unsafe { sys::podalloc_take_options_init(&mut o) };
        if options.spread_across_cores {
            o.flags |= sys::PODALLOC_TAKE_SPREAD_ACROSS_CORES;
        }
        if options.align_by_uncore_cache {
            o.flags |= sys::PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE;
        }
        if options.distribute_across_numa {
            o.flags |= sys::PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA;
        }
        o.cpu_group_size = options.cpu_group_size;
        let mut words = vec![0u64; self.words()];
        call(|err| unsafe {
            sys::podalloc_cpuset_take(
                words.as_mut_ptr(),
                words.len(),
                self.raw,
                available.words.as_ptr(),
                available.words.len(),
                n,
                &o,
                err,
            )
        })?;
        Ok(CpuSet { words })
    }

    /// Merges the kubelet's hint lists (one per provider and resource) under `policy`:
    /// the best hint and whether the policy admits it.
    pub fn merge_hints(
        &self,
        lists: &[Vec<Hint>],
        policy: Policy,
        prefer_closest_numa: bool,
    ) -> Result<(Hint, bool)> {
        let mut flat = Vec::new();
        let sizes: Vec<usize> = lists.iter().map(|l| l.len()).collect();
        for hint in lists.iter().flatten() {
            let mut flags = 0;
            if hint.preferred {
                flags |= sys::PODALLOC_HINT_PREFERRED;
            }
            let affinity = match hint.affinity {
                Some(mask) => mask,
                None => {
                    flags |= sys::PODALLOC_HINT_ANY_NUMA;
                    0
                }
            };
            flat.push(sys::podalloc_hint { affinity, flags });
        }
        let mut o = sys::podalloc_merge_options::default();
        unsafe { sys::podalloc_merge_options_init(&mut o) };
        o.policy = policy as i32;
        if prefer_closest_numa {
            o.flags |= sys::PODALLOC_MERGE_PREFER_CLOSEST_NUMA;
        }
        let mut result = sys::podalloc_merge_result::default();
        call(|err| unsafe {
            sys::podalloc_hints_merge(
                &mut result,
                self.raw,
                flat.as_ptr(),
                sizes.as_ptr(),
                sizes.len(),
                &o,
                err,
            )
        })?;
        let preferred = result.hint.flags & sys::PODALLOC_HINT_PREFERRED != 0;
        let affinity = if result.hint.flags & sys::PODALLOC_HINT_ANY_NUMA != 0 {
            None
        } else {
            Some(result.hint.affinity)
        };
        Ok((
            Hint {
                affinity,
                preferred,
            },
            result.admit != 0,
        ))
    }
}

fn empty_buffer() -> sys::podalloc_buffer {
    sys::podalloc_buffer {
        data: ptr::null_mut(),
        size: 0,
    }
}

/// One machine's allocation state: topology, kubelet configuration and admitted pods.
/// Thread-safe: the library serialises changes, so it is `Send` and `Sync`.
pub struct Node {
    raw: *mut sys::podalloc_node,
    // Dropped after the node (Drop::drop runs first), so no callback outlives its closure.
    preferred: preferred::PreferredHooks,
}

unsafe impl Send for Node {}
unsafe impl Sync for Node {}

impl Drop for Node {
    fn drop(&mut self) {
        unsafe { sys::podalloc_node_destroy(self.raw) }
    }
}

/// The kubelet's checkpoint files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    CpuManager = sys::PODALLOC_CHECKPOINT_CPU_MANAGER as isize,
    MemoryManager = sys::PODALLOC_CHECKPOINT_MEMORY_MANAGER as isize,
}

impl Node {
    /// A node on `topology` (copied) with a KubeletConfiguration JSON object; empty means
    /// every policy none.
    pub fn new(topology: &Topology, config_json: &[u8]) -> Result<Node> {
        let mut raw = ptr::null_mut();
        let (p, n) = text(config_json);
        call(|err| unsafe { sys::podalloc_node_create(&mut raw, topology.raw, p, n, err) })?;
        Ok(Node { raw, preferred: Default::default() })
    }

    /// Grows with every change of the node's state.
    pub fn version(&self) -> u64 {
        unsafe { sys::podalloc_node_version(self.raw) }
    }

    /// Plans the admission of a Kubernetes v1 Pod (JSON); the node does not change.
    /// `admit_pod` takes the pod as typed data and needs no JSON.
    pub fn admit(&self, pod_json: &[u8]) -> Result<Decision> {
        let mut raw = ptr::null_mut();
        let (p, n) = text(pod_json);
        call(|err| unsafe { sys::podalloc_node_admit(&mut raw, self.raw, p, n, err) })?;
        Ok(Decision { raw })
    }

    /// Applies a decision of this node.
    pub fn commit(&self, decision: &Decision) -> Result<()> {
        call(|err| unsafe { sys::podalloc_node_commit(self.raw, decision.raw, err) })
    }

    /// Admits and commits in one step; the decision as JSON.
    pub fn admit_and_commit(&self, pod_json: &[u8]) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        let (p, n) = text(pod_json);
        call(|err| unsafe { sys::podalloc_node_admit_and_commit(&mut buf, self.raw, p, n, err) })?;
        Ok(take_buffer(buf))
    }

    pub fn remove_container(&self, pod_uid: &str, container: &str) -> Result<()> {
        let (up, ul) = text(pod_uid.as_bytes());
        let (cp, cl) = text(container.as_bytes());
        call(|err| unsafe { sys::podalloc_node_remove_container(self.raw, up, ul, cp, cl, err) })
    }

    pub fn remove_pod(&self, pod_uid: &str) -> Result<()> {
        let (up, ul) = text(pod_uid.as_bytes());
        call(|err| unsafe { sys::podalloc_node_remove_pod(self.raw, up, ul, err) })
    }

    /// The checkpoint file the kubelet would write for the node's state.
    pub fn checkpoint(&self, kind: Checkpoint) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        call(|err| unsafe {
            sys::podalloc_node_checkpoint_save(&mut buf, self.raw, kind as i32, err)
        })?;
        Ok(take_buffer(buf))
    }

    /// Replaces the state with checkpoint files (empty: no file) and their pods (a JSON
    /// array of v1 Pods or a PodList). On error the node is unchanged.
    pub fn restore(&self, cpu: &[u8], memory: &[u8], pods_json: &[u8]) -> Result<()> {
        let (cp, cl) = text(cpu);
        let (mp, ml) = text(memory);
        let (pp, pl) = text(pods_json);
        call(|err| unsafe {
            sys::podalloc_node_checkpoint_restore(self.raw, cp, cl, mp, ml, pp, pl, err)
        })
    }

    /// Prometheus text exposition of the node's counters.
    pub fn metrics(&self) -> Result<String> {
        let mut buf = empty_buffer();
        call(|err| unsafe { sys::podalloc_node_metrics(&mut buf, self.raw, err) })?;
        Ok(String::from_utf8_lossy(&take_buffer(buf)).into_owned())
    }

    /// Plans the admission of `pod_json` without changing the node and returns, as JSON, the
    /// decision with every topology manager merge and each hint provider's hints
    /// (`{"decision", "merges", "no_merge_reason"}`; podalloc/admission_explanation.h).
    pub fn explain(&self, pod_json: &[u8]) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        let (p, n) = text(pod_json);
        call(|err| unsafe { sys::podalloc_node_explain(&mut buf, self.raw, p, n, err) })?;
        Ok(take_buffer(buf))
    }

    /// The node's state as JSON.
    pub fn state(&self) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        call(|err| unsafe { sys::podalloc_node_state(&mut buf, self.raw, err) })?;
        Ok(take_buffer(buf))
    }

    /// Resizes an admitted pod in place: `pod_json` is the admitted v1 Pod with new
    /// container-level and/or pod-level resources. A resize that is not feasible (Infeasible,
    /// Deferred) is an `Ok` decision saying so; errors are NotFound (pod not admitted),
    /// InvalidArgument (bad JSON, containers that differ) and Unimplemented.
    pub fn resize(&self, pod_json: &[u8], options: &ResizeOptions) -> Result<ResizeDecision> {
        let usage = options.usage.as_ref().map(ResizeUsage::to_json);
        let o = options.raw(usage.as_deref());
        let mut raw = std::ptr::null_mut();
        let (p, n) = text(pod_json);
        call(|err| unsafe { sys::podalloc_node_resize_json(&mut raw, self.raw, p, n, &o, err) })?;
        ResizeDecision::from_raw(raw)
    }
}

impl ResizeOptions {
    /// The C options; `usage_json` must outlive the call.
    pub(crate) fn raw(&self, usage_json: Option<&str>) -> sys::podalloc_resize_options {
        let mut o = sys::podalloc_resize_options::default();
        unsafe { sys::podalloc_resize_options_init(&mut o) };
        if self.check_only {
            o.flags |= sys::PODALLOC_RESIZE_CHECK_ONLY;
        }
        if self.static_pod {
            o.flags |= sys::PODALLOC_RESIZE_STATIC_POD;
        }
        if let Some(u) = usage_json {
            (o.usage_json, o.usage_json_len) = text(u.as_bytes());
        }
        o
    }
}

/// Options of `Node::resize`; the default resizes for real, as a regular pod, with memory
/// usage unknown.
#[derive(Debug, Clone, Default)]
pub struct ResizeOptions {
    /// Preview: the same answer and plan, and the node is not changed.
    pub check_only: bool,
    /// A static (config-file) pod, never resized in place.
    pub static_pod: bool,
    /// Current memory usage (memory.current); a memory limit at or below it refuses the plan.
    pub usage: Option<ResizeUsage>,
}

/// Current memory usage in bytes, of the pod cgroup and of containers by name.
#[derive(Debug, Clone, Default)]
pub struct ResizeUsage {
    pub pod: Option<u64>,
    pub containers: Vec<(String, u64)>,
}

impl ResizeUsage {
    pub(crate) fn to_json(&self) -> String {
        let mut fields = Vec::new();
        if let Some(bytes) = self.pod {
            fields.push(format!(r#""pod": {}"#, bytes));
        }
        let containers: Vec<String> = self
            .containers
            .iter()
            .map(|(name, bytes)| format!("{}: {}", json_string(name), bytes))
            .collect();
        fields.push(format!(r#""containers": {{{}}}"#, containers.join(", ")));
        format!("{{{}}}", fields.join(", "))
    }
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The answer of `Node::resize` / `Node::resize_pod`, read through the typed C calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResizeDecision {
    pub feasible: bool,
    /// "", "Infeasible" or "Deferred".
    pub reason: String,
    /// The kubelet's PodResizePending message; "" when feasible.
    pub message: String,
    /// Label of kubelet_pod_infeasible_resizes_total, e.g. "static_pod"; "" otherwise.
    pub reason_detail: String,
    /// The pod's allocation took the new resources.
    pub applied: bool,
    /// The plan is refused: a memory limit at or below usage (`refusal` says which).
    pub refused: bool,
    pub refusal: String,
    /// The pod's key (its UID).
    pub pod_uid: String,
    /// The cgroup writes in the order they must be applied.
    pub writes: Vec<CgroupWrite>,
    /// Containers the runtime restarts for this resize (they have no writes).
    pub restarted_containers: Vec<String>,
    /// The node state version the resize was judged on.
    pub base_version: u64,
    /// The same answer as the JSON document of podalloc_node_resize.
    pub json: String,
}

/// One cgroup v2 file write; `cgroup` is "" for the pod cgroup, else a container's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupWrite {
    pub cgroup: String,
    pub file: String,
    pub value: String,
}

impl ResizeDecision {
    /// Reads and frees a resize decision handle.
    pub(crate) fn from_raw(raw: *mut sys::podalloc_resize_decision) -> Result<ResizeDecision> {
        struct Owner(*mut sys::podalloc_resize_decision);
        impl Drop for Owner {
            fn drop(&mut self) {
                unsafe { sys::podalloc_resize_decision_destroy(self.0) };
            }
        }
        let owner = Owner(raw);
        let mut s = sys::podalloc_resize_summary {
            struct_size: std::mem::size_of::<sys::podalloc_resize_summary>() as u32,
            outcome: 0,
            flags: 0,
            reserved: 0,
            pod_uid: empty_text(),
            message: empty_text(),
            reason_detail: empty_text(),
            refusal: empty_text(),
            write_count: 0,
            restarted_count: 0,
            base_version: 0,
        };
        call(|err| unsafe { sys::podalloc_resize_decision_summary(&mut s, owner.0, err) })?;
        let mut writes = Vec::with_capacity(s.write_count);
        for i in 0..s.write_count {
            let mut w = sys::podalloc_cgroup_write {
                struct_size: std::mem::size_of::<sys::podalloc_cgroup_write>() as u32,
                reserved: 0,
                cgroup: empty_text(),
                file: empty_text(),
                value: empty_text(),
            };
            call(|err| unsafe { sys::podalloc_resize_decision_write(&mut w, owner.0, i, err) })?;
            writes.push(CgroupWrite {
                cgroup: string_of(w.cgroup),
                file: string_of(w.file),
                value: string_of(w.value),
            });
        }
        let mut restarted_containers = Vec::with_capacity(s.restarted_count);
        for i in 0..s.restarted_count {
            let mut t = empty_text();
            call(|err| unsafe { sys::podalloc_resize_decision_restarted(&mut t, owner.0, i, err) })?;
            restarted_containers.push(string_of(t));
        }
        let mut buf = empty_buffer();
        call(|err| unsafe { sys::podalloc_resize_decision_to_json(&mut buf, owner.0, err) })?;
        Ok(ResizeDecision {
            feasible: s.outcome == sys::PODALLOC_RESIZE_FEASIBLE,
            reason: match s.outcome {
                sys::PODALLOC_RESIZE_DEFERRED => "Deferred".to_string(),
                sys::PODALLOC_RESIZE_INFEASIBLE => "Infeasible".to_string(),
                _ => String::new(),
            },
            message: string_of(s.message),
            reason_detail: string_of(s.reason_detail),
            applied: s.flags & sys::PODALLOC_RESIZE_APPLIED != 0,
            refused: s.flags & sys::PODALLOC_RESIZE_REFUSED != 0,
            refusal: string_of(s.refusal),
            pod_uid: string_of(s.pod_uid),
            writes,
            restarted_containers,
            base_version: s.base_version,
            json: String::from_utf8_lossy(&take_buffer(buf)).into_owned(),
        })
    }
}

/// A planned admission; a refused pod is a decision too.
pub struct Decision {
    raw: *mut sys::podalloc_decision,
}

unsafe impl Send for Decision {}
unsafe impl Sync for Decision {}

impl Drop for Decision {
    fn drop(&mut self) {
        unsafe { sys::podalloc_decision_destroy(self.raw) }
    }
}

impl Decision {
    pub fn admitted(&self) -> bool {
        unsafe { sys::podalloc_decision_admitted(self.raw) != 0 }
    }

    /// The decision document (keys as podalloc.h documents them).
    pub fn to_json(&self) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        call(|err| unsafe { sys::podalloc_decision_to_json(&mut buf, self.raw, err) })?;
        Ok(take_buffer(buf))
    }
}

/// Options of the CPU manager's static policy that change take-by-topology.
#[derive(Debug, Clone, Default)]
pub struct TakeOptions {
    pub spread_across_cores: bool,
    pub align_by_uncore_cache: bool,
    pub distribute_across_numa: bool,
    pub cpu_group_size: i32,
}

/// A set of CPU ids, as the C ABI carries it: CPU c is bit c % 64 of word c / 64.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpuSet {
    pub words: Vec<u64>,
}

impl CpuSet {
    /// Parses the kubelet's list syntax ("0-3,8").
    pub fn parse(list: &str) -> Result<CpuSet> {
        let (p, n) = text(list.as_bytes());
        let mut needed = 0usize;
        match call(|err| unsafe {
            sys::podalloc_cpuset_parse(ptr::null_mut(), 0, &mut needed, p, n, err)
        }) {
            Ok(()) => return Ok(CpuSet::default()),
            Err(e) if e.code == sys::PODALLOC_OUT_OF_RANGE => {}
            Err(e) => return Err(e),
        }
        let mut words = vec![0u64; needed];
        call(|err| unsafe {
            sys::podalloc_cpuset_parse(words.as_mut_ptr(), words.len(), ptr::null_mut(), p, n, err)
        })?;
        Ok(CpuSet { words })
    }

    pub fn count(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    pub fn contains(&self, cpu: usize) -> bool {
        match self.words.get(cpu / 64) {
            Some(word) => word & (1u64 << (cpu % 64)) != 0,
            None => false,
        }
    }
}

impl fmt::Display for CpuSet {
    /// The kubelet's canonical list syntax.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut needed = 0usize;
        let _ = call(|err| unsafe {
            sys::podalloc_cpuset_format(
                ptr::null_mut(),
                0,
                &mut needed,
                self.words.as_ptr(),
                self.words.len(),
                err,
            )
        });
        let mut out = vec![0u8; needed + 1];
        call(|err| unsafe {
            sys::podalloc_cpuset_format(
                out.as_mut_ptr() as *mut c_char,
                out.len(),
                ptr::null_mut(),
                self.words.as_ptr(),
                self.words.len(),
                err,
            )
        })
        .map_err(|_| fmt::Error)?;
        f.write_str(std::str::from_utf8(&out[..needed]).map_err(|_| fmt::Error)?)
    }
}

/// A topology hint; `affinity: None` is the kubelet's nil affinity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub affinity: Option<u64>,
    pub preferred: bool,
}

/// The topology manager policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    None = sys::PODALLOC_POLICY_NONE as isize,
    BestEffort = sys::PODALLOC_POLICY_BEST_EFFORT as isize,
    Restricted = sys::PODALLOC_POLICY_RESTRICTED as isize,
    SingleNumaNode = sys::PODALLOC_POLICY_SINGLE_NUMA_NODE as isize,
}

/// Pod QoS classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort,
}

/// The QoS class of a Kubernetes v1 Pod given as JSON.
pub fn pod_qos_class(pod_json: &[u8]) -> Result<QosClass> {
    let (p, n) = text(pod_json);
    let mut q = -1;
    call(|err| unsafe { sys::podalloc_pod_qos_class(&mut q, p, n, 0, err) })?;
    Ok(match q {
        sys::PODALLOC_QOS_GUARANTEED => QosClass::Guaranteed,
        sys::PODALLOC_QOS_BURSTABLE => QosClass::Burstable,
        _ => QosClass::BestEffort,
    })
}
