// The CRI LinuxContainerResources the kubelet generates for one container
// (kuberuntime_container_linux.go: generateLinuxContainerResources, calculateLinuxResources,
// GetHugepageLimitsFromResources).
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "container_resources.h"
#include "hugepage_limits.h"
#include "node_settings.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/memory_qos.h"
#include "podalloc/pod_resources.h"
#include "podalloc/qos.h"
#include "podalloc/status_macros.h"
#include "swap_resources.h"

namespace podalloc {
namespace {

// getCPULimit / getMemoryLimit: with pod-level resources, a container that sets no limit of
// its own is bounded by the pod's limit.
Quantity EffectiveLimit(const Pod& pod, const Container& container, std::string_view resource,
                        bool pod_level) {
  Quantity limit = ResourceOrZero(container.resources.limits, resource);
  if (pod_level && limit.IsZero()) limit = ResourceOrZero(pod.resources->limits, resource);
  return limit;
}

// One entry per machine page size, 0 unless the container limits that size.
std::vector<HugepageLimit> ContainerHugepageLimits(const Container& container,
                                                   const std::vector<int64_t>& machine_sizes) {
  std::vector<HugepageLimit> limits;
  for (int64_t size : machine_sizes) {
    const std::optional<std::string> unit = internal::HugePageUnitSize(size);
    if (unit.has_value()) limits.push_back(HugepageLimit{*unit, 0});
  }
  for (const auto& [name, quantity] : container.resources.limits) {
    const std::optional<int64_t> size = internal::HugePageSizeFromResourceName(name);
    if (!size.has_value()) continue;
    const std::optional<std::string> unit = internal::HugePageUnitSize(*size);
    if (!unit.has_value()) continue;
    for (HugepageLimit& l : limits) {
      if (l.page_size == *unit) l.limit = static_cast<uint64_t>(quantity.Value());
    }
  }
  return limits;
}

// Memory QoS keys of the container cgroup: protection by the pod's class and memory.high
// from the container's own request and limit (not the pod-level fallback: the kubelet reads
// the container spec here).
void AddMemoryQos(QosClass pod_qos, const Container& container,
                  const NodeCgroupSettings& settings,
                  std::map<std::string, std::string>& unified) {
  const MemoryQosConfig& qos_config = settings.memory_qos;
  const int64_t request = ResourceOrZero(container.resources.requests, kResourceMemory).Value();
  const int64_t limit = ResourceOrZero(container.resources.limits, kResourceMemory).Value();
  const MemoryProtection protection =
      RequestProtection(pod_qos, request, qos_config.reservation_policy);
  if (protection.min.has_value()) unified["memory.min"] = absl::StrCat(*protection.min);
  if (protection.low.has_value()) unified["memory.low"] = absl::StrCat(*protection.low);
  const std::optional<int64_t> high = ContainerMemoryHigh(request, limit, qos_config);
  if (high.has_value()) unified["memory.high"] = absl::StrCat(*high);
}

}  // namespace

namespace internal {

absl::StatusOr<LinuxContainerResources> ContainerCgroupResources(
    const Pod& pod, QosClass pod_qos, const Container& container,
    const NodeCgroupSettings& settings, bool has_exclusive_cpus) {
  PODALLOC_RETURN_IF_ERROR(ValidateNodeCgroupSettings(settings));
  const bool pod_level = settings.pod_level_resources && IsPodLevelResourcesSet(pod);
  const Quantity cpu_limit = EffectiveLimit(pod, container, kResourceCpu, pod_level);
  const Quantity memory_limit = EffectiveLimit(pod, container, kResourceMemory, pod_level);

  LinuxContainerResources r;
  // A missing CPU request (not an explicit zero) defaults to the limit, as the API server
  // would have defaulted it for pods created today.
  const Quantity* cpu_request = FindResource(container.resources.requests, kResourceCpu);
  r.cpu_shares = static_cast<int64_t>(MilliCpuToShares(
      cpu_request != nullptr ? cpu_request->MilliValue() : cpu_limit.MilliValue()));
  r.memory_limit_in_bytes = memory_limit.Value();
  if (settings.cpu_cfs_quota) {
    r.cpu_period = EffectiveCfsPeriod(settings);
    r.cpu_quota = MilliCpuToQuota(cpu_limit.MilliValue(), r.cpu_period);
    // Exclusive CPUs already bound the container; a quota on top only throttles it.
    if (has_exclusive_cpus && settings.disable_cpu_quota_with_exclusive_cpus) r.cpu_quota = -1;
  }
  if (settings.cgroup_version == CgroupVersion::kV2 && !settings.single_process_oom_kill) {
    // Kill the whole container on OOM, not a single process of it.
    r.unified.emplace("memory.oom.group", "1");
  }
  // The score can only fail (a Burstable container on a node without memory capacity) when
  // the capacity is not positive; only then is it worked out here, for its error.
  if (settings.node_memory_capacity <= 0) {
    PODALLOC_RETURN_IF_ERROR(ContainerOomScoreAdjust(pod, container, settings.node_memory_capacity,
                                                     settings.pod_level_resources)
                                 .status());
  }
  ConfigureContainerSwap(pod, container, settings, r);
  if (MemoryQosEnforced(settings)) AddMemoryQos(pod_qos, container, settings, r.unified);
  return r;
}

}  // namespace internal

absl::StatusOr<LinuxContainerResources> GenerateLinuxContainerResources(
    const Pod& pod, const Container& container, const NodeCgroupSettings& settings,
    bool has_exclusive_cpus) {
  PODALLOC_ASSIGN_OR_RETURN(
      LinuxContainerResources r,
      internal::ContainerCgroupResources(pod,
                                         GetPodQos(pod, QosOptions{settings.pod_level_resources}),
                                         container, settings, has_exclusive_cpus));
  PODALLOC_ASSIGN_OR_RETURN(const int oom_score_adj,
                            ContainerOomScoreAdjust(pod, container, settings.node_memory_capacity,
                                                    settings.pod_level_resources));
  r.oom_score_adj = oom_score_adj;
  r.hugepage_limits = ContainerHugepageLimits(container, settings.hugepage_sizes);
  return r;
}

}  // namespace podalloc
