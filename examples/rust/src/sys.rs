//! The C declarations of podalloc/podalloc.h, written by hand (no bindgen, no crates).
//! Keep in the header's order; tests/abi.rs checks the struct layouts.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int, c_void};

pub type podalloc_status = i32;

pub const PODALLOC_OK: podalloc_status = 0;
pub const PODALLOC_INVALID_ARGUMENT: podalloc_status = 3;
pub const PODALLOC_NOT_FOUND: podalloc_status = 5;
pub const PODALLOC_RESOURCE_EXHAUSTED: podalloc_status = 8;
pub const PODALLOC_FAILED_PRECONDITION: podalloc_status = 9;
pub const PODALLOC_ALREADY_EXISTS: podalloc_status = 6;
pub const PODALLOC_DATA_LOSS: podalloc_status = 15;
pub const PODALLOC_OUT_OF_RANGE: podalloc_status = 11;
pub const PODALLOC_UNIMPLEMENTED: podalloc_status = 12;
pub const PODALLOC_INTERNAL: podalloc_status = 13;

pub const PODALLOC_VERSION_MAJOR: u32 = 0;

#[repr(C)]
pub struct podalloc_error {
    _opaque: [u8; 0],
}

#[repr(C)]
pub struct podalloc_topology {
    _opaque: [u8; 0],
}

#[repr(C)]
pub struct podalloc_node {
    _opaque: [u8; 0],
}

#[repr(C)]
#[derive(Debug)]
pub struct podalloc_buffer {
    pub data: *mut c_char,
    pub size: usize,
}

pub const PODALLOC_TAKE_SPREAD_ACROSS_CORES: u32 = 0x1;
pub const PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE: u32 = 0x2;
pub const PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA: u32 = 0x4;

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct podalloc_take_options {
    pub struct_size: u32,
    pub flags: u32,
    pub cpu_group_size: i32,
}

pub const PODALLOC_HINT_PREFERRED: u32 = 0x1;
pub const PODALLOC_HINT_ANY_NUMA: u32 = 0x2;

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct podalloc_hint {
    pub affinity: u64,
    pub flags: u32,
}

pub const PODALLOC_POLICY_NONE: i32 = 0;
pub const PODALLOC_POLICY_BEST_EFFORT: i32 = 1;
pub const PODALLOC_POLICY_RESTRICTED: i32 = 2;
pub const PODALLOC_POLICY_SINGLE_NUMA_NODE: i32 = 3;
pub const PODALLOC_MERGE_PREFER_CLOSEST_NUMA: u32 = 0x1;

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct podalloc_merge_options {
    pub struct_size: u32,
    pub policy: i32,
    pub flags: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct podalloc_merge_result {
    pub hint: podalloc_hint,
    pub admit: i32,
}

#[repr(C)]
pub struct podalloc_decision {
    _opaque: [u8; 0],
}

// Typed pods and decisions.

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_text {
    pub data: *const c_char,
    pub size: usize,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_named_quantity {
    pub name: podalloc_text,
    pub value: i64,
}

pub const PODALLOC_RESOURCE_CPU: u32 = 0x1;
pub const PODALLOC_RESOURCE_MEMORY: u32 = 0x2;
pub const PODALLOC_RESOURCE_EPHEMERAL_STORAGE: u32 = 0x4;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_resources {
    pub present: u32,
    pub cpu_milli: i64,
    pub memory_bytes: i64,
    pub ephemeral_storage_bytes: i64,
    pub other: *const podalloc_named_quantity,
    pub other_count: usize,
}

pub const PODALLOC_CONTAINER_KIND_APP: i32 = 0;
pub const PODALLOC_CONTAINER_KIND_INIT: i32 = 1;
pub const PODALLOC_CONTAINER_KIND_SIDECAR: i32 = 2;
pub const PODALLOC_CONTAINER_KIND_EPHEMERAL: i32 = 3;

pub const PODALLOC_RESTART_UNSET: i32 = 0;
pub const PODALLOC_RESTART_ALWAYS: i32 = 1;
pub const PODALLOC_RESTART_ON_FAILURE: i32 = 2;
pub const PODALLOC_RESTART_NEVER: i32 = 3;

pub const PODALLOC_RESIZE_NOT_REQUIRED: i32 = 0;
pub const PODALLOC_RESIZE_RESTART_CONTAINER: i32 = 1;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_resize_policy {
    pub resource_name: podalloc_text,
    pub restart: i32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_container {
    pub struct_size: u32,
    pub kind: i32,
    pub restart_policy: i32,
    pub name: podalloc_text,
    pub requests: podalloc_resources,
    pub limits: podalloc_resources,
    pub resize_policy: *const podalloc_resize_policy,
    pub resize_policy_count: usize,
}

pub const PODALLOC_POD_RESOURCES: u32 = 0x1;
pub const PODALLOC_POD_PRIORITY: u32 = 0x2;
pub const PODALLOC_POD_CONFIG_SOURCE: u32 = 0x4;
pub const PODALLOC_POD_MIRROR: u32 = 0x8;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_pod {
    pub struct_size: u32,
    pub flags: u32,
    pub name: podalloc_text,
    pub namespace_name: podalloc_text,
    pub uid: podalloc_text,
    pub containers: *const podalloc_container,
    pub container_count: usize,
    pub overhead: podalloc_resources,
    pub requests: podalloc_resources,
    pub limits: podalloc_resources,
    pub priority: i32,
    pub config_source: podalloc_text,
}

pub const PODALLOC_PLACEMENT_EXCLUSIVE_CPUS: u32 = 0x1;
pub const PODALLOC_PLACEMENT_CPU_QUOTA_DISABLED: u32 = 0x2;
pub const PODALLOC_PLACEMENT_HINT: u32 = 0x4;
pub const PODALLOC_PLACEMENT_HINT_PREFERRED: u32 = 0x8;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_container_placement {
    pub struct_size: u32,
    pub kind: i32,
    pub isolation: i32,
    pub flags: u32,
    pub name: podalloc_text,
    pub memory_nodes: u64,
    pub hint_numa_nodes: u64,
    pub cpu_count: usize,
    pub max_cpu: i32,
    pub memory_block_count: usize,
    pub device_resource_count: usize,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_device_resource {
    pub struct_size: u32,
    pub name: podalloc_text,
    pub device_count: usize,
}

pub const PODALLOC_DEVICE_HEALTHY: u32 = 0x1;
pub const PODALLOC_DEVICE_NUMA: u32 = 0x2;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_device {
    pub struct_size: u32,
    pub flags: u32,
    pub id: podalloc_text,
    pub numa_nodes: u64,
}

pub const PODALLOC_ISOLATION_HOST: i32 = 0;
pub const PODALLOC_ISOLATION_POD: i32 = 1;
pub const PODALLOC_ISOLATION_CONTAINER: i32 = 2;

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct podalloc_memory_block {
    pub struct_size: u32,
    pub reserved: u32,
    pub hugepage_size_bytes: u64,
    pub size_bytes: u64,
    pub numa_nodes: u64,
}

pub const PODALLOC_CHECKPOINT_CPU_MANAGER: i32 = 0;
pub const PODALLOC_CHECKPOINT_MEMORY_MANAGER: i32 = 1;

pub const PODALLOC_RESIZE_CHECK_ONLY: u32 = 0x1;
pub const PODALLOC_RESIZE_STATIC_POD: u32 = 0x2;

#[repr(C)]
#[derive(Debug)]
pub struct podalloc_resize_options {
    pub struct_size: u32,
    pub flags: u32,
    pub usage_json: *const c_char,
    pub usage_json_len: usize,
}

impl Default for podalloc_resize_options {
    fn default() -> Self {
        podalloc_resize_options {
            struct_size: std::mem::size_of::<podalloc_resize_options>() as u32,
            flags: 0,
            usage_json: std::ptr::null(),
            usage_json_len: 0,
        }
    }
}

#[repr(C)]
pub struct podalloc_resize_decision {
    _opaque: [u8; 0],
}

pub const PODALLOC_RESIZE_FEASIBLE: i32 = 0;
pub const PODALLOC_RESIZE_DEFERRED: i32 = 1;
pub const PODALLOC_RESIZE_INFEASIBLE: i32 = 2;
pub const PODALLOC_RESIZE_APPLIED: u32 = 0x1;
pub const PODALLOC_RESIZE_REFUSED: u32 = 0x2;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_resize_summary {
    pub struct_size: u32,
    pub outcome: i32,
    pub flags: u32,
    pub reserved: u32,
    pub pod_uid: podalloc_text,
    pub message: podalloc_text,
    pub reason_detail: podalloc_text,
    pub refusal: podalloc_text,
    pub write_count: usize,
    pub restarted_count: usize,
    pub base_version: u64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct podalloc_cgroup_write {
    pub struct_size: u32,
    pub reserved: u32,
    pub cgroup: podalloc_text,
    pub file: podalloc_text,
    pub value: podalloc_text,
}

pub const PODALLOC_QOS_GUARANTEED: i32 = 0;
pub const PODALLOC_QOS_BURSTABLE: i32 = 1;
pub const PODALLOC_QOS_BEST_EFFORT: i32 = 2;

pub type Err = *mut *mut podalloc_error;

/// podalloc_preferred_allocation_fn (NULL = None).
pub type podalloc_preferred_allocation_fn = Option<
    extern "C" fn(
        user_data: *mut c_void,
        resource: podalloc_text,
        available: *const podalloc_text,
        available_count: usize,
        must_include: *const podalloc_text,
        must_include_count: usize,
        size: usize,
        chosen: *mut usize,
        chosen_capacity: usize,
        chosen_count: *mut usize,
        message: *mut c_char,
        message_capacity: usize,
    ) -> c_int,
>;

extern "C" {
    pub fn podalloc_version() -> u32;
    pub fn podalloc_version_string() -> *const c_char;

    pub fn podalloc_status_name(status: podalloc_status) -> *const c_char;
    pub fn podalloc_error_code(err: *const podalloc_error) -> podalloc_status;
    pub fn podalloc_error_message(err: *const podalloc_error) -> *const c_char;
    pub fn podalloc_error_free(err: *mut podalloc_error);
    pub fn podalloc_last_error_message() -> *const c_char;
    pub fn podalloc_last_error_code() -> podalloc_status;

    pub fn podalloc_buffer_free(buf: *mut podalloc_buffer);

    pub fn podalloc_topology_discover(
        out: *mut *mut podalloc_topology,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_topology_from_synthetic(
        out: *mut *mut podalloc_topology,
        description: *const c_char,
        len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_topology_from_xml(
        out: *mut *mut podalloc_topology,
        xml: *const c_char,
        len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_topology_from_xml_file(
        out: *mut *mut podalloc_topology,
        path: *const c_char,
        len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_topology_from_sysfs(
        out: *mut *mut podalloc_topology,
        root: *const c_char,
        len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_topology_from_json(
        out: *mut *mut podalloc_topology,
        json: *const c_char,
        len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_topology_destroy(topology: *mut podalloc_topology);
    pub fn podalloc_topology_to_json(
        out: *mut podalloc_buffer,
        topology: *const podalloc_topology,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_topology_name(topology: *const podalloc_topology) -> *const c_char;
    pub fn podalloc_topology_num_cpus(topology: *const podalloc_topology) -> i32;
    pub fn podalloc_topology_num_cores(topology: *const podalloc_topology) -> i32;
    pub fn podalloc_topology_num_sockets(topology: *const podalloc_topology) -> i32;
    pub fn podalloc_topology_num_numa_nodes(topology: *const podalloc_topology) -> i32;
    pub fn podalloc_topology_num_uncore_caches(topology: *const podalloc_topology) -> i32;
    pub fn podalloc_topology_cpuset_words(topology: *const podalloc_topology) -> usize;
    pub fn podalloc_topology_cpus(
        out: *mut u64,
        out_words: usize,
        topology: *const podalloc_topology,
        err: Err,
    ) -> podalloc_status;

    pub fn podalloc_cpuset_parse(
        out: *mut u64,
        out_words: usize,
        needed_words: *mut usize,
        text: *const c_char,
        text_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_cpuset_format(
        out: *mut c_char,
        capacity: usize,
        needed: *mut usize,
        cpus: *const u64,
        cpus_words: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_take_options_init(options: *mut podalloc_take_options);
    pub fn podalloc_cpuset_take(
        out: *mut u64,
        out_words: usize,
        topology: *const podalloc_topology,
        available: *const u64,
        available_words: usize,
        num_cpus: i32,
        options: *const podalloc_take_options,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_merge_options_init(options: *mut podalloc_merge_options);
    pub fn podalloc_hints_merge(
        out: *mut podalloc_merge_result,
        topology: *const podalloc_topology,
        hints: *const podalloc_hint,
        list_sizes: *const usize,
        num_lists: usize,
        options: *const podalloc_merge_options,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_pod_qos_class(
        out: *mut i32,
        pod_json: *const c_char,
        pod_json_len: usize,
        flags: u32,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_qos_class_name(qos_class: i32) -> *const c_char;

    pub fn podalloc_node_create(
        out: *mut *mut podalloc_node,
        topology: *const podalloc_topology,
        config_json: *const c_char,
        config_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_destroy(node: *mut podalloc_node);
    pub fn podalloc_node_version(node: *const podalloc_node) -> u64;
    pub fn podalloc_node_admit(
        out: *mut *mut podalloc_decision,
        node: *const podalloc_node,
        pod_json: *const c_char,
        pod_json_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_commit(
        node: *mut podalloc_node,
        decision: *const podalloc_decision,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_admit_and_commit(
        out: *mut podalloc_buffer,
        node: *mut podalloc_node,
        pod_json: *const c_char,
        pod_json_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_decision_destroy(decision: *mut podalloc_decision);
    pub fn podalloc_decision_admitted(decision: *const podalloc_decision) -> i32;
    pub fn podalloc_decision_to_json(
        out: *mut podalloc_buffer,
        decision: *const podalloc_decision,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_admit_typed(
        out: *mut *mut podalloc_decision,
        node: *const podalloc_node,
        pod: *const podalloc_pod,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_admit_and_commit_typed(
        out: *mut *mut podalloc_decision,
        node: *mut podalloc_node,
        pod: *const podalloc_pod,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_decision_reason(
        decision: *const podalloc_decision,
        reason: *mut podalloc_text,
        message: *mut podalloc_text,
    );
    pub fn podalloc_decision_qos(decision: *const podalloc_decision) -> i32;
    pub fn podalloc_decision_container_count(decision: *const podalloc_decision) -> usize;
    pub fn podalloc_decision_container(
        out: *mut podalloc_container_placement,
        decision: *const podalloc_decision,
        index: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_decision_container_cpus(
        out: *mut u64,
        out_words: usize,
        decision: *const podalloc_decision,
        index: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_remove_container(
        node: *mut podalloc_node,
        pod_uid: *const c_char,
        pod_uid_len: usize,
        container: *const c_char,
        container_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_remove_pod(
        node: *mut podalloc_node,
        pod_uid: *const c_char,
        pod_uid_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_checkpoint_save(
        out: *mut podalloc_buffer,
        node: *const podalloc_node,
        kind: i32,
        err: Err,
    ) -> podalloc_status;
    #[allow(clippy::too_many_arguments)]
    pub fn podalloc_node_checkpoint_restore(
        node: *mut podalloc_node,
        cpu_checkpoint: *const c_char,
        cpu_checkpoint_len: usize,
        memory_checkpoint: *const c_char,
        memory_checkpoint_len: usize,
        pods_json: *const c_char,
        pods_json_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_metrics(
        out: *mut podalloc_buffer,
        node: *const podalloc_node,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_explain(
        out: *mut podalloc_buffer,
        node: *const podalloc_node,
        pod_json: *const c_char,
        pod_json_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_state(
        out: *mut podalloc_buffer,
        node: *const podalloc_node,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_decision_memory_block(
        out: *mut podalloc_memory_block,
        decision: *const podalloc_decision,
        index: usize,
        block: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_decision_device_resource(
        out: *mut podalloc_device_resource,
        decision: *const podalloc_decision,
        index: usize,
        resource: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_decision_device_id(
        out: *mut podalloc_text,
        decision: *const podalloc_decision,
        index: usize,
        resource: usize,
        device: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_set_device_resource(
        node: *mut podalloc_node,
        resource: *const c_char,
        resource_len: usize,
        devices: *const podalloc_device,
        device_count: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_set_device_preferred_allocation(
        node: *mut podalloc_node,
        resource: *const c_char,
        resource_len: usize,
        callback: podalloc_preferred_allocation_fn,
        user_data: *mut c_void,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_remove_device_resource(
        node: *mut podalloc_node,
        resource: *const c_char,
        resource_len: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_resize_options_init(options: *mut podalloc_resize_options);
    pub fn podalloc_node_resize_typed(
        out: *mut *mut podalloc_resize_decision,
        node: *mut podalloc_node,
        pod: *const podalloc_pod,
        options: *const podalloc_resize_options,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_resize_json(
        out: *mut *mut podalloc_resize_decision,
        node: *mut podalloc_node,
        pod_json: *const c_char,
        pod_json_len: usize,
        options: *const podalloc_resize_options,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_resize_decision_destroy(decision: *mut podalloc_resize_decision);
    pub fn podalloc_resize_decision_summary(
        out: *mut podalloc_resize_summary,
        decision: *const podalloc_resize_decision,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_resize_decision_write(
        out: *mut podalloc_cgroup_write,
        decision: *const podalloc_resize_decision,
        index: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_resize_decision_restarted(
        out: *mut podalloc_text,
        decision: *const podalloc_resize_decision,
        index: usize,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_resize_decision_to_json(
        out: *mut podalloc_buffer,
        decision: *const podalloc_resize_decision,
        err: Err,
    ) -> podalloc_status;
    pub fn podalloc_node_resize(
        out: *mut podalloc_buffer,
        node: *mut podalloc_node,
        pod_json: *const c_char,
        pod_json_len: usize,
        options: *const podalloc_resize_options,
        err: Err,
    ) -> podalloc_status;
}
