// File: capi/decision_typed.cc
// Reading a decision without JSON: the reason of a refusal, the QoS class, and each
// container's placement, with CPU sets as masks and NUMA node sets as bit masks, its memory
// blocks and its devices.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cpu_mask.h"
#include "guard.h"
#include "node_handles.h"
#include "struct_out.h"

namespace podalloc::capi {
namespace {

// The first published podalloc_container_placement (before memory_block_count).
constexpr size_t kPlacementV0Size = offsetof(podalloc_container_placement, memory_block_count);
constexpr size_t kMemoryBlockV0Size = sizeof(podalloc_memory_block);
constexpr size_t kDeviceResourceV0Size = sizeof(podalloc_device_resource);

int32_t KindOf(ContainerType type) {
  switch (type) {
    case ContainerType::kInit: return PODALLOC_CONTAINER_KIND_INIT;
    case ContainerType::kSidecar: return PODALLOC_CONTAINER_KIND_SIDECAR;
    case ContainerType::kApp: return PODALLOC_CONTAINER_KIND_APP;
    case ContainerType::kEphemeral: return PODALLOC_CONTAINER_KIND_EPHEMERAL;
  }
  return PODALLOC_CONTAINER_KIND_APP;
}

int32_t IsolationOf(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::kHost: return PODALLOC_ISOLATION_HOST;
    case IsolationLevel::kPod: return PODALLOC_ISOLATION_POD;
    case IsolationLevel::kContainer: return PODALLOC_ISOLATION_CONTAINER;
  }
  return PODALLOC_ISOLATION_HOST;
}

absl::StatusOr<const ContainerDecision*> ContainerOf(const podalloc_decision* decision,
                                                     size_t index) {
  PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
  const auto& containers = decision->decision.containers;
  if (index >= containers.size()) {
    return absl::OutOfRangeError(absl::StrCat("index ", index, " is past the decision's ",
                                              containers.size(), " containers"));
  }
  return &containers[index];
}

using DeviceList = std::map<std::string, std::vector<std::string>>;

absl::StatusOr<DeviceList::const_iterator> ResourceAt(const ContainerDecision& c, size_t index,
                                                     size_t resource) {
  if (resource >= c.devices.size()) {
    return absl::OutOfRangeError(absl::StrCat("resource ", resource, " is past container ", index,
                                              "'s ", c.devices.size(), " device resources"));
  }
  return std::next(c.devices.begin(), static_cast<std::ptrdiff_t>(resource));
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::Guard;
using podalloc::capi::NotNull;

extern "C" {

PODALLOC_API void podalloc_decision_reason(const podalloc_decision* decision, podalloc_text* reason,
                                           podalloc_text* message) noexcept {
  if (decision == nullptr) return;
  const podalloc::Decision& d = decision->decision;
  if (reason != nullptr) {
    *reason = d.admitted ? podalloc_text{nullptr, 0} : podalloc::capi::TextOf(d.reason);
  }
  if (message != nullptr) {
    *message = d.admitted ? podalloc_text{nullptr, 0} : podalloc::capi::TextOf(d.message);
  }
}

PODALLOC_API int32_t podalloc_decision_qos(const podalloc_decision* decision) noexcept {
  if (decision == nullptr) return -1;
  switch (decision->decision.qos) {
    case podalloc::QosClass::kGuaranteed: return PODALLOC_QOS_GUARANTEED;
    case podalloc::QosClass::kBurstable: return PODALLOC_QOS_BURSTABLE;
    case podalloc::QosClass::kBestEffort: return PODALLOC_QOS_BEST_EFFORT;
  }
  return -1;
}

PODALLOC_API size_t podalloc_decision_container_count(const podalloc_decision* decision) noexcept {
  return decision == nullptr ? 0 : decision->decision.containers.size();
}

PODALLOC_API podalloc_status podalloc_decision_container(podalloc_container_placement* out,
                                                         const podalloc_decision* decision,
                                                         size_t index,
                                                         podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::CheckStructSize(
        out->struct_size, podalloc::capi::kPlacementV0Size, "PODALLOC_CONTAINER_PLACEMENT_INIT"));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc::ContainerDecision* c,
                              podalloc::capi::ContainerOf(decision, index));
    podalloc_container_placement p{};
    p.struct_size = sizeof(podalloc_container_placement);
    p.kind = podalloc::capi::KindOf(c->type);
    p.isolation = podalloc::capi::IsolationOf(c->isolation);
    if (c->exclusive_cpus) p.flags |= PODALLOC_PLACEMENT_EXCLUSIVE_CPUS;
    if (c->cpu_quota_disabled) p.flags |= PODALLOC_PLACEMENT_CPU_QUOTA_DISABLED;
    if (c->hint) {
      p.flags |= PODALLOC_PLACEMENT_HINT;
      if (c->hint->preferred) p.flags |= PODALLOC_PLACEMENT_HINT_PREFERRED;
      if (c->hint->affinity) p.hint_numa_nodes = c->hint->affinity->bits();
    }
    p.name = podalloc::capi::TextOf(c->name);
    p.memory_nodes = c->memory_nodes.bits();
    p.cpu_count = static_cast<size_t>(c->cpus.Size());
    p.max_cpu = -1;
    for (int cpu : c->cpus) p.max_cpu = cpu;
    p.memory_block_count = c->memory_blocks.size();
    p.device_resource_count = c->devices.size();
    podalloc::capi::CopyOut(out, p);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_decision_container_cpus(uint64_t* out, size_t out_words,
                                                              const podalloc_decision* decision,
                                                              size_t index,
                                                              podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    if (out_words != 0) PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc::ContainerDecision* c,
                              podalloc::capi::ContainerOf(decision, index));
    return podalloc::capi::WriteMask(c->cpus, out, out_words, "out_words");
  });
}

PODALLOC_API podalloc_status podalloc_decision_memory_block(podalloc_memory_block* out,
                                                            const podalloc_decision* decision,
                                                            size_t index, size_t block,
                                                            podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::CheckStructSize(
        out->struct_size, podalloc::capi::kMemoryBlockV0Size, "PODALLOC_MEMORY_BLOCK_INIT"));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc::ContainerDecision* c,
                              podalloc::capi::ContainerOf(decision, index));
    if (block >= c->memory_blocks.size()) {
      return absl::OutOfRangeError(absl::StrCat("block ", block, " is past container ", index,
                                                "'s ", c->memory_blocks.size(),
                                                " memory blocks"));
    }
    const podalloc::MemoryBlock& b = c->memory_blocks[block];
    podalloc_memory_block m{};
    m.struct_size = sizeof(podalloc_memory_block);
    m.hugepage_size_bytes = b.type.page_size_bytes();
    m.size_bytes = b.size;
    m.numa_nodes = b.numa_affinity.bits();
    podalloc::capi::CopyOut(out, m);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_decision_pod_cpus(uint64_t* out, size_t out_words,
                                                        const podalloc_decision* decision,
                                                        podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    if (out_words != 0) PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
    return podalloc::capi::WriteMask(decision->decision.pod_cpus, out, out_words, "out_words");
  });
}

PODALLOC_API podalloc_status podalloc_decision_device_resource(podalloc_device_resource* out,
                                                               const podalloc_decision* decision,
                                                               size_t index, size_t resource,
                                                               podalloc_error** err) noexcept {
  return podalloc::capi::Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::CheckStructSize(
        out->struct_size, podalloc::capi::kDeviceResourceV0Size, "PODALLOC_DEVICE_RESOURCE_INIT"));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc::ContainerDecision* c,
                              podalloc::capi::ContainerOf(decision, index));
    PODALLOC_ASSIGN_OR_RETURN(auto it, podalloc::capi::ResourceAt(*c, index, resource));
    podalloc_device_resource r{};
    r.struct_size = sizeof(podalloc_device_resource);
    r.name = podalloc::capi::TextOf(it->first);
    r.device_count = it->second.size();
    podalloc::capi::CopyOut(out, r);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_decision_device_id(podalloc_text* out,
                                                         const podalloc_decision* decision,
                                                         size_t index, size_t resource,
                                                         size_t device,
                                                         podalloc_error** err) noexcept {
  return podalloc::capi::Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc::ContainerDecision* c,
                              podalloc::capi::ContainerOf(decision, index));
    PODALLOC_ASSIGN_OR_RETURN(auto it, podalloc::capi::ResourceAt(*c, index, resource));
    if (device >= it->second.size()) {
      return absl::OutOfRangeError(absl::StrCat("device ", device, " is past resource ",
                                                "\"", it->first, "\"", "'s ",
                                                it->second.size(), " devices"));
    }
    *out = podalloc::capi::TextOf(it->second[device]);
    return absl::OkStatus();
  });
}

}  // extern "C"
