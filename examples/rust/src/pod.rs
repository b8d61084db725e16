//! Typed pods: admission without JSON. A `Pod` is the resource-relevant part of a v1 Pod with
//! integer quantities; `Node::admit_pod` gives the same decision as `Node::admit` with the
//! pod's JSON (the library applies the same API-server defaulting and validation).
use std::ptr;

use crate::{call, sys, CpuSet, Decision, Node, ResizeDecision, ResizeOptions, Result};

/// Where a container sits in the pod spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContainerKind {
    #[default]
    App = sys::PODALLOC_CONTAINER_KIND_APP as isize,
    Init = sys::PODALLOC_CONTAINER_KIND_INIT as isize,
    /// A restartable init container (restartPolicy Always).
    Sidecar = sys::PODALLOC_CONTAINER_KIND_SIDECAR as isize,
    Ephemeral = sys::PODALLOC_CONTAINER_KIND_EPHEMERAL as isize,
}

impl ContainerKind {
    fn from_raw(v: i32) -> ContainerKind {
        match v {
            sys::PODALLOC_CONTAINER_KIND_INIT => ContainerKind::Init,
            sys::PODALLOC_CONTAINER_KIND_SIDECAR => ContainerKind::Sidecar,
            sys::PODALLOC_CONTAINER_KIND_EPHEMERAL => ContainerKind::Ephemeral,
            _ => ContainerKind::App,
        }
    }
}

/// A container's restartPolicy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RestartPolicy {
    #[default]
    Unset = sys::PODALLOC_RESTART_UNSET as isize,
    Always = sys::PODALLOC_RESTART_ALWAYS as isize,
    OnFailure = sys::PODALLOC_RESTART_ON_FAILURE as isize,
    Never = sys::PODALLOC_RESTART_NEVER as isize,
}

/// A v1.ResourceList in integers; `None` is an absent resource (not a zero).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    pub cpu_milli: Option<i64>,
    pub memory_bytes: Option<i64>,
    pub ephemeral_storage_bytes: Option<i64>,
    /// hugepages-<size> in bytes, extended resources in whole units.
    pub other: Vec<(String, i64)>,
}

/// The resource-relevant part of a v1.Container.
#[derive(Debug, Clone, Default)]
pub struct Container {
    pub name: String,
    pub kind: ContainerKind,
    pub restart_policy: RestartPolicy,
    pub requests: Resources,
    pub limits: Resources,
    /// resizePolicy: (resource, restart the container).
    pub resize_policy: Vec<(String, bool)>,
}

/// The resource-relevant part of a v1.Pod. Containers of each kind keep their order.
#[derive(Debug, Clone, Default)]
pub struct Pod {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub containers: Vec<Container>,
    pub overhead: Resources,
    /// Pod-level resources (spec.resources): (requests, limits); None when absent.
    pub pod_resources: Option<(Resources, Resources)>,
    pub priority: Option<i32>,
    /// Annotation kubernetes.io/config.source.
    pub config_source: Option<String>,
    /// Annotation kubernetes.io/config.mirror.
    pub mirror: bool,
}

fn text(s: &str) -> sys::podalloc_text {
    sys::podalloc_text {
        data: s.as_ptr().cast(),
        size: s.len(),
    }
}

pub(crate) fn empty_text() -> sys::podalloc_text {
    sys::podalloc_text {
        data: ptr::null(),
        size: 0,
    }
}

/// The C form of a Pod, pointing into the Pod and into the vectors it owns.
struct Raw {
    pod: sys::podalloc_pod,
    _containers: Vec<sys::podalloc_container>,
    _quantities: Vec<Vec<sys::podalloc_named_quantity>>,
    _resize: Vec<Vec<sys::podalloc_resize_policy>>,
}

fn resources(
    r: &Resources,
    keep: &mut Vec<Vec<sys::podalloc_named_quantity>>,
) -> sys::podalloc_resources {
    let mut out = sys::podalloc_resources {
        present: 0,
        cpu_milli: 0,
        memory_bytes: 0,
        ephemeral_storage_bytes: 0,
        other: ptr::null(),
        other_count: 0,
    };
    if let Some(v) = r.cpu_milli {
        out.present |= sys::PODALLOC_RESOURCE_CPU;
        out.cpu_milli = v;
    }
    if let Some(v) = r.memory_bytes {
        out.present |= sys::PODALLOC_RESOURCE_MEMORY;
        out.memory_bytes = v;
    }
    if let Some(v) = r.ephemeral_storage_bytes {
        out.present |= sys::PODALLOC_RESOURCE_EPHEMERAL_STORAGE;
        out.ephemeral_storage_bytes = v;
    }
    if !r.other.is_empty() {
        let q: Vec<_> = r
            .other
            .iter()
            .map(|(name, value)| sys::podalloc_named_quantity {
                name: text(name),
                value: *value,
            })
            .collect();
        out.other = q.as_ptr();
        out.other_count = q.len();
        keep.push(q); // moving the Vec keeps its buffer where it is
    }
    out
}

impl Raw {
    fn new(p: &Pod) -> Raw {
        let mut quantities = Vec::new();
        let mut resize = Vec::new();
        let containers: Vec<sys::podalloc_container> = p
            .containers
            .iter()
            .map(|c| {
                let policy: Vec<_> = c
                    .resize_policy
                    .iter()
                    .map(|(resource, restart)| sys::podalloc_resize_policy {
                        resource_name: text(resource),
                        restart: if *restart {
                            sys::PODALLOC_RESIZE_RESTART_CONTAINER
                        } else {
                            sys::PODALLOC_RESIZE_NOT_REQUIRED
                        },
                    })
                    .collect();
                let raw = sys::podalloc_container {
                    struct_size: std::mem::size_of::<sys::podalloc_container>() as u32,
                    kind: c.kind as i32,
                    restart_policy: c.restart_policy as i32,
                    name: text(&c.name),
                    requests: resources(&c.requests, &mut quantities),
                    limits: resources(&c.limits, &mut quantities),
                    resize_policy: if policy.is_empty() {
                        ptr::null()
                    } else {
                        policy.as_ptr()
                    },
                    resize_policy_count: policy.len(),
                };
                resize.push(policy);
                raw
            })
            .collect();
        let empty = Resources::default();
        let (requests, limits) = match &p.pod_resources {
            Some((r, l)) => (r, l),
            None => (&empty, &empty),
        };
        let mut flags = 0;
        if p.pod_resources.is_some() {
            flags |= sys::PODALLOC_POD_RESOURCES;
        }
        if p.priority.is_some() {
            flags |= sys::PODALLOC_POD_PRIORITY;
        }
        if p.config_source.is_some() {
            flags |= sys::PODALLOC_POD_CONFIG_SOURCE;
        }
        if p.mirror {
            flags |= sys::PODALLOC_POD_MIRROR;
        }
        let pod = sys::podalloc_pod {
            struct_size: std::mem::size_of::<sys::podalloc_pod>() as u32,
            flags,
            name: text(&p.name),
            namespace_name: text(&p.namespace),
            uid: text(&p.uid),
            containers: if containers.is_empty() {
                ptr::null()
            } else {
                containers.as_ptr()
            },
            container_count: containers.len(),
            overhead: resources(&p.overhead, &mut quantities),
            requests: resources(requests, &mut quantities),
            limits: resources(limits, &mut quantities),
            priority: p.priority.unwrap_or(0),
            config_source: p.config_source.as_deref().map_or_else(empty_text, text),
        };
        Raw {
            pod,
            _containers: containers,
            _quantities: quantities,
            _resize: resize,
        }
    }
}

/// Where one container of a decision runs, read without JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub name: String,
    pub kind: ContainerKind,
    pub exclusive_cpus: bool,
    pub cpu_quota_disabled: bool,
    /// cpuset.cpus.
    pub cpus: CpuSet,
    /// cpuset.mems: bit n = NUMA node n; 0 = not pinned.
    pub memory_nodes: u64,
    /// The topology manager's hint (NUMA mask, preferred); None under policy none.
    pub hint: Option<(u64, bool)>,
    /// Whose CPUs the container runs on.
    pub isolation: Isolation,
    /// Exclusive memory of the Static memory manager, one block per resource.
    pub memory_blocks: Vec<MemoryBlock>,
    /// Devices per device-plugin resource: (resource, IDs ascending), resources in name order.
    pub devices: Vec<(String, Vec<String>)>,
}

/// One device of a device plugin (pluginapi.Device).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub healthy: bool,
    /// Bit n = NUMA node n; None = no NUMA info (no TopologyInfo).
    pub numa_nodes: Option<u64>,
}

/// Whose CPUs a container runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// The node's shared pool.
    Host,
    /// The pod's shared pool (pod-level resource managers).
    Pod,
    /// Exclusive CPUs of its own.
    Container,
}

/// One block of a container's exclusive memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBlock {
    /// 0 for "memory", else the page size of hugepages-<size>.
    pub hugepage_size_bytes: u64,
    pub size_bytes: u64,
    /// Bit n = NUMA node n.
    pub numa_nodes: u64,
}

pub(crate) fn string_of(t: sys::podalloc_text) -> String {
    if t.data.is_null() {
        return String::new();
    }
    let bytes = unsafe { std::slice::from_raw_parts(t.data.cast::<u8>(), t.size) };
    String::from_utf8_lossy(bytes).into_owned()
}

impl Node {
    /// Plans the admission of a typed pod; the same decision as `admit` with its JSON.
    pub fn admit_pod(&self, pod: &Pod) -> Result<Decision> {
        let raw_pod = Raw::new(pod);
        let mut raw = ptr::null_mut();
        call(|err| unsafe {
            sys::podalloc_node_admit_typed(&mut raw, self.raw, &raw_pod.pod, err)
        })?;
        Ok(Decision { raw })
    }

    /// In-place resize with the desired pod typed; the same answer as `resize` with its JSON.
    pub fn resize_pod(&self, pod: &Pod, options: &ResizeOptions) -> Result<ResizeDecision> {
        let raw_pod = Raw::new(pod);
        let usage = options.usage.as_ref().map(|u| u.to_json());
        let o = options.raw(usage.as_deref());
        let mut raw = ptr::null_mut();
        call(|err| unsafe {
            sys::podalloc_node_resize_typed(&mut raw, self.raw, &raw_pod.pod, &o, err)
        })?;
        ResizeDecision::from_raw(raw)
    }

    /// Registers (or re-registers) a device plugin's resource with its full device list, as
    /// the kubelet's device manager takes ListAndWatch.
    pub fn set_device_resource(&self, resource: &str, devices: &[Device]) -> Result<()> {
        let raw: Vec<sys::podalloc_device> = devices
            .iter()
            .map(|d| sys::podalloc_device {
                struct_size: std::mem::size_of::<sys::podalloc_device>() as u32,
                flags: if d.healthy { sys::PODALLOC_DEVICE_HEALTHY } else { 0 }
                    | if d.numa_nodes.is_some() { sys::PODALLOC_DEVICE_NUMA } else { 0 },
                id: text(&d.id),
                numa_nodes: d.numa_nodes.unwrap_or(0),
            })
            .collect();
        call(|err| unsafe {
            sys::podalloc_node_set_device_resource(
                self.raw,
                resource.as_ptr().cast(),
                resource.len(),
                raw.as_ptr(),
                raw.len(),
                err,
            )
        })
    }

    /// Forgets a resource whose device plugin is gone; containers keep what they hold.
    pub fn remove_device_resource(&self, resource: &str) -> Result<()> {
        call(|err| unsafe {
            sys::podalloc_node_remove_device_resource(
                self.raw,
                resource.as_ptr().cast(),
                resource.len(),
                err,
            )
        })?;
        self.preferred.forget(resource);
        Ok(())
    }

    /// Admits and commits a typed pod in one step.
    pub fn admit_and_commit_pod(&self, pod: &Pod) -> Result<Decision> {
        let raw_pod = Raw::new(pod);
        let mut raw = ptr::null_mut();
        call(|err| unsafe {
            sys::podalloc_node_admit_and_commit_typed(&mut raw, self.raw, &raw_pod.pod, err)
        })?;
        Ok(Decision { raw })
    }
}

impl Decision {
    fn memory_blocks(&self, container: usize, count: usize) -> Result<Vec<MemoryBlock>> {
        let mut out = Vec::with_capacity(count);
        for b in 0..count {
            let mut m = sys::podalloc_memory_block {
                struct_size: std::mem::size_of::<sys::podalloc_memory_block>() as u32,
                ..Default::default()
            };
            call(|err| unsafe {
                sys::podalloc_decision_memory_block(&mut m, self.raw, container, b, err)
            })?;
            out.push(MemoryBlock {
                hugepage_size_bytes: m.hugepage_size_bytes,
                size_bytes: m.size_bytes,
                numa_nodes: m.numa_nodes,
            });
        }
        Ok(out)
    }

    fn devices(&self, container: usize, count: usize) -> Result<Vec<(String, Vec<String>)>> {
        let mut out = Vec::with_capacity(count);
        for r in 0..count {
            let mut res = sys::podalloc_device_resource {
                struct_size: std::mem::size_of::<sys::podalloc_device_resource>() as u32,
                name: empty_text(),
                device_count: 0,
            };
            call(|err| unsafe {
                sys::podalloc_decision_device_resource(&mut res, self.raw, container, r, err)
            })?;
            let mut ids = Vec::with_capacity(res.device_count);
            for k in 0..res.device_count {
                let mut t = empty_text();
                call(|err| unsafe {
                    sys::podalloc_decision_device_id(&mut t, self.raw, container, r, k, err)
                })?;
                ids.push(string_of(t));
            }
            out.push((string_of(res.name), ids));
        }
        Ok(out)
    }

    /// The kubelet's reason and message for a refused pod; empty when admitted.
    pub fn reason(&self) -> (String, String) {
        let mut r = empty_text();
        let mut m = empty_text();
        unsafe { sys::podalloc_decision_reason(self.raw, &mut r, &mut m) };
        (string_of(r), string_of(m))
    }

    /// Every container's placement (init, sidecars, app, ephemeral).
    pub fn placements(&self) -> Result<Vec<Placement>> {
        let n = unsafe { sys::podalloc_decision_container_count(self.raw) };
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let mut p = sys::podalloc_container_placement {
                struct_size: std::mem::size_of::<sys::podalloc_container_placement>() as u32,
                kind: 0,
                isolation: 0,
                flags: 0,
                name: empty_text(),
                memory_nodes: 0,
                hint_numa_nodes: 0,
                cpu_count: 0,
                max_cpu: -1,
                memory_block_count: 0,
                device_resource_count: 0,
            };
            call(|err| unsafe { sys::podalloc_decision_container(&mut p, self.raw, i, err) })?;
            let words = if p.max_cpu >= 0 {
                p.max_cpu as usize / 64 + 1
            } else {
                0
            };
            let mut cpus = vec![0u64; words];
            call(|err| unsafe {
                sys::podalloc_decision_container_cpus(cpus.as_mut_ptr(), words, self.raw, i, err)
            })?;
            out.push(Placement {
                name: string_of(p.name),
                kind: ContainerKind::from_raw(p.kind),
                exclusive_cpus: p.flags & sys::PODALLOC_PLACEMENT_EXCLUSIVE_CPUS != 0,
                cpu_quota_disabled: p.flags & sys::PODALLOC_PLACEMENT_CPU_QUOTA_DISABLED != 0,
                cpus: CpuSet { words: cpus },
                memory_nodes: p.memory_nodes,
                hint: (p.flags & sys::PODALLOC_PLACEMENT_HINT != 0).then(|| {
                    (
                        p.hint_numa_nodes,
                        p.flags & sys::PODALLOC_PLACEMENT_HINT_PREFERRED != 0,
                    )
                }),
                isolation: match p.isolation {
                    sys::PODALLOC_ISOLATION_POD => Isolation::Pod,
                    sys::PODALLOC_ISOLATION_CONTAINER => Isolation::Container,
                    _ => Isolation::Host,
                },
                memory_blocks: self.memory_blocks(i, p.memory_block_count)?,
                devices: self.devices(i, p.device_resource_count)?,
            });
        }
        Ok(out)
    }
}
