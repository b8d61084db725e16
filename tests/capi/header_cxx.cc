// File: tests/capi/header_cxx.cc
// podalloc.h from C++ (compiled as C++11 and as the project's C++20): the extern "C"
// guards, the INIT macros as initialisers, noexcept entry points, and the struct layout
// pinned with static_assert, as the C test pins it.
#define PODALLOC_EXPERIMENTAL 1
#include "podalloc/podalloc.h"

#include <cstddef>
#include <type_traits>

static_assert(sizeof(podalloc_status) == 4, "podalloc_status is int32_t");
static_assert(std::is_same<podalloc_status, int32_t>::value, "podalloc_status is int32_t");
static_assert(sizeof(podalloc_buffer) == 2 * sizeof(void*), "podalloc_buffer");
static_assert(offsetof(podalloc_buffer, size) == sizeof(void*), "podalloc_buffer.size");
static_assert(sizeof(podalloc_take_options) == 12, "podalloc_take_options");
static_assert(offsetof(podalloc_take_options, flags) == 4, "podalloc_take_options.flags");
static_assert(offsetof(podalloc_take_options, cpu_group_size) == 8,
              "podalloc_take_options.cpu_group_size");
static_assert(sizeof(podalloc_hint) == 16, "podalloc_hint");
static_assert(offsetof(podalloc_hint, flags) == 8, "podalloc_hint.flags");
static_assert(sizeof(podalloc_merge_options) == 12, "podalloc_merge_options");
static_assert(offsetof(podalloc_merge_options, flags) == 8, "podalloc_merge_options.flags");
static_assert(sizeof(podalloc_merge_result) == 24, "podalloc_merge_result");
static_assert(offsetof(podalloc_merge_result, admit) == 16, "podalloc_merge_result.admit");
static_assert(offsetof(podalloc_resize_options, flags) == 4, "podalloc_resize_options.flags");
static_assert(offsetof(podalloc_resize_options, usage_json) == 8,
              "podalloc_resize_options.usage_json");
static_assert(sizeof(podalloc_resize_options) == 8 + sizeof(void*) + sizeof(size_t),
              "podalloc_resize_options");
static_assert(std::is_trivial<podalloc_resize_options>::value, "plain C struct");
static_assert(std::is_trivial<podalloc_take_options>::value, "plain C struct");
static_assert(std::is_trivial<podalloc_pod>::value, "plain C struct");
static_assert(std::is_trivial<podalloc_container>::value, "plain C struct");
static_assert(std::is_trivial<podalloc_container_placement>::value, "plain C struct");
static_assert(noexcept(podalloc_node_admit_typed(nullptr, nullptr, nullptr, nullptr)),
              "entry points are noexcept");
static_assert(noexcept(podalloc_version()), "entry points are noexcept");
static_assert(noexcept(podalloc_topology_destroy(nullptr)), "entry points are noexcept");

int main() {
  podalloc_buffer buffer = PODALLOC_BUFFER_INIT;
  podalloc_take_options take = PODALLOC_TAKE_OPTIONS_INIT;
  podalloc_merge_options merge = PODALLOC_MERGE_OPTIONS_INIT;
  podalloc_resize_options resize = PODALLOC_RESIZE_OPTIONS_INIT;
  podalloc_pod pod = PODALLOC_POD_INIT;
  podalloc_container container = PODALLOC_CONTAINER_INIT;
  podalloc_container_placement placement = PODALLOC_CONTAINER_PLACEMENT_INIT;
  (void)buffer;
  if (pod.struct_size != sizeof pod || container.struct_size != sizeof container ||
      placement.struct_size != sizeof placement) {
    return 1;
  }
  return take.struct_size == sizeof take && merge.struct_size == sizeof merge &&
                 resize.struct_size == sizeof resize
             ? 0
             : 1;
}
