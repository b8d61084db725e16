/* File: tests/capi/header_c99.c
 * podalloc.h is plain C99: this file is compiled with -std=c99 -Wall -Wextra -pedantic
 * -Werror, with the experimental section on, and the header included twice. The layout
 * of every public struct is pinned: a change here is an ABI break. */
#define PODALLOC_EXPERIMENTAL 1
#include "podalloc/podalloc.h"
#include "podalloc/podalloc.h"

#include <stddef.h>

/* C99 has no _Static_assert: a negative array size fails the compile instead. */
#define ABI_ASSERT(name, cond) typedef char abi_assert_##name[(cond) ? 1 : -1]

ABI_ASSERT(status_size, sizeof(podalloc_status) == 4);
ABI_ASSERT(buffer_size, sizeof(podalloc_buffer) == 2 * sizeof(void*));
ABI_ASSERT(buffer_data, offsetof(podalloc_buffer, data) == 0);
ABI_ASSERT(buffer_len, offsetof(podalloc_buffer, size) == sizeof(void*));
ABI_ASSERT(take_size, sizeof(podalloc_take_options) == 12);
ABI_ASSERT(take_flags, offsetof(podalloc_take_options, flags) == 4);
ABI_ASSERT(take_group, offsetof(podalloc_take_options, cpu_group_size) == 8);
ABI_ASSERT(hint_size, sizeof(podalloc_hint) == 16);
ABI_ASSERT(hint_flags, offsetof(podalloc_hint, flags) == 8);
ABI_ASSERT(merge_options_size, sizeof(podalloc_merge_options) == 12);
ABI_ASSERT(merge_policy, offsetof(podalloc_merge_options, policy) == 4);
ABI_ASSERT(merge_flags, offsetof(podalloc_merge_options, flags) == 8);
ABI_ASSERT(merge_result_size, sizeof(podalloc_merge_result) == 24);
ABI_ASSERT(merge_admit, offsetof(podalloc_merge_result, admit) == 16);
ABI_ASSERT(resize_flags, offsetof(podalloc_resize_options, flags) == 4);
ABI_ASSERT(resize_usage, offsetof(podalloc_resize_options, usage_json) == 8);
ABI_ASSERT(resize_usage_len,
           offsetof(podalloc_resize_options, usage_json_len) == 8 + sizeof(void*));
ABI_ASSERT(resize_size, sizeof(podalloc_resize_options) == 8 + sizeof(void*) + sizeof(size_t));
ABI_ASSERT(node_options_size, sizeof(podalloc_node_options) == 16);
ABI_ASSERT(node_options_flags, offsetof(podalloc_node_options, flags) == 4);
ABI_ASSERT(node_options_swap, offsetof(podalloc_node_options, swap_capacity_bytes) == 8);
/* The typed pod structs, pinned for 64-bit targets (pointers and size_t of 8 bytes). */
#if defined(__LP64__) || defined(_WIN64)
ABI_ASSERT(text_size, sizeof(podalloc_text) == 16);
ABI_ASSERT(named_quantity_size, sizeof(podalloc_named_quantity) == 24);
ABI_ASSERT(resources_cpu, offsetof(podalloc_resources, cpu_milli) == 8);
ABI_ASSERT(resources_other, offsetof(podalloc_resources, other) == 32);
ABI_ASSERT(resources_size, sizeof(podalloc_resources) == 48);
ABI_ASSERT(resize_policy_size, sizeof(podalloc_resize_policy) == 24);
ABI_ASSERT(container_kind, offsetof(podalloc_container, kind) == 4);
ABI_ASSERT(container_name, offsetof(podalloc_container, name) == 16);
ABI_ASSERT(container_requests, offsetof(podalloc_container, requests) == 32);
ABI_ASSERT(container_limits, offsetof(podalloc_container, limits) == 80);
ABI_ASSERT(container_resize, offsetof(podalloc_container, resize_policy) == 128);
ABI_ASSERT(container_size, sizeof(podalloc_container) == 144);
ABI_ASSERT(pod_flags, offsetof(podalloc_pod, flags) == 4);
ABI_ASSERT(pod_containers, offsetof(podalloc_pod, containers) == 56);
ABI_ASSERT(pod_overhead, offsetof(podalloc_pod, overhead) == 72);
ABI_ASSERT(pod_priority, offsetof(podalloc_pod, priority) == 216);
ABI_ASSERT(pod_source, offsetof(podalloc_pod, config_source) == 224);
ABI_ASSERT(pod_size, sizeof(podalloc_pod) == 240);
ABI_ASSERT(placement_name, offsetof(podalloc_container_placement, name) == 16);
ABI_ASSERT(placement_mems, offsetof(podalloc_container_placement, memory_nodes) == 32);
ABI_ASSERT(placement_max_cpu, offsetof(podalloc_container_placement, max_cpu) == 56);
/* memory_block_count came after the first layout, which ended at 64 bytes. */
ABI_ASSERT(placement_blocks, offsetof(podalloc_container_placement, memory_block_count) == 64);
ABI_ASSERT(placement_devices, offsetof(podalloc_container_placement, device_resource_count) == 72);
ABI_ASSERT(placement_size, sizeof(podalloc_container_placement) == 80);
ABI_ASSERT(memory_block_size, sizeof(podalloc_memory_block) == 32);
ABI_ASSERT(resize_summary_uid, offsetof(podalloc_resize_summary, pod_uid) == 16);
ABI_ASSERT(resize_summary_writes, offsetof(podalloc_resize_summary, write_count) == 80);
ABI_ASSERT(resize_summary_size, sizeof(podalloc_resize_summary) == 104);
ABI_ASSERT(cgroup_write_size, sizeof(podalloc_cgroup_write) == 56);
ABI_ASSERT(device_flags, offsetof(podalloc_device, flags) == 4);
ABI_ASSERT(device_id, offsetof(podalloc_device, id) == 8);
ABI_ASSERT(device_numa, offsetof(podalloc_device, numa_nodes) == 24);
ABI_ASSERT(device_size, sizeof(podalloc_device) == 32);
ABI_ASSERT(device_resource_name, offsetof(podalloc_device_resource, name) == 8);
ABI_ASSERT(device_resource_size, sizeof(podalloc_device_resource) == 32);
#endif
ABI_ASSERT(version, PODALLOC_VERSION_NUMBER == PODALLOC_VERSION_MAJOR * 10000 +
                                                   PODALLOC_VERSION_MINOR * 100 +
                                                   PODALLOC_VERSION_PATCH);

int main(void) {
  podalloc_buffer buffer = PODALLOC_BUFFER_INIT;
  podalloc_take_options take = PODALLOC_TAKE_OPTIONS_INIT;
  podalloc_merge_options merge = PODALLOC_MERGE_OPTIONS_INIT;
  podalloc_resize_options resize = PODALLOC_RESIZE_OPTIONS_INIT;
  podalloc_pod pod = PODALLOC_POD_INIT;
  podalloc_container container = PODALLOC_CONTAINER_INIT;
  podalloc_container_placement placement = PODALLOC_CONTAINER_PLACEMENT_INIT;
  podalloc_resources resources = PODALLOC_RESOURCES_EMPTY;
  podalloc_memory_block block = PODALLOC_MEMORY_BLOCK_INIT;
  podalloc_resize_summary summary = PODALLOC_RESIZE_SUMMARY_INIT;
  podalloc_cgroup_write write = PODALLOC_CGROUP_WRITE_INIT;
  (void)buffer;
  (void)resources;
  if (pod.struct_size != sizeof pod || container.struct_size != sizeof container ||
      placement.struct_size != sizeof placement || block.struct_size != sizeof block ||
      summary.struct_size != sizeof summary || write.struct_size != sizeof write) {
    return 1;
  }
  return take.struct_size == sizeof take && merge.struct_size == sizeof merge &&
                 resize.struct_size == sizeof resize
             ? 0
             : 1;
}
