// ResourceConfigForPod (pkg/kubelet/cm/helpers_linux.go): the pod cgroup's values.
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "hugepage_limits.h"
#include "node_settings.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/memory_qos.h"
#include "podalloc/pod_resources.h"
#include "podalloc/qos.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

struct LimitsDeclared {
  bool cpu = true;
  bool memory = true;

  void Check(const Quantity& cpu_limit, const Quantity& memory_limit) {
    if (cpu_limit.IsZero()) cpu = false;
    if (memory_limit.IsZero()) memory = false;
  }
};

// Whether the pod cgroup may be capped: every container must declare a limit, or one
// container without a limit could use the whole node. The kubelet checks the values its
// PodLimits walk sees: an app container's own limit, a sidecar's limit added to the sidecars
// before it, a regular init container's limit plus the sidecars started before it. So an init
// container without a limit still counts as limited when an earlier sidecar is.
LimitsDeclared ContainerLimitsDeclared(const Pod& pod) {
  LimitsDeclared declared;
  for (const Container& c : pod.containers) {
    declared.Check(ResourceOrZero(c.resources.limits, kResourceCpu),
                   ResourceOrZero(c.resources.limits, kResourceMemory));
  }
  Quantity sidecar_cpu, sidecar_memory;
  for (const Container& c : pod.init_containers) {
    const Quantity cpu = ResourceOrZero(c.resources.limits, kResourceCpu);
    const Quantity memory = ResourceOrZero(c.resources.limits, kResourceMemory);
    if (IsSidecar(c)) {
      sidecar_cpu += cpu;
      sidecar_memory += memory;
      declared.Check(sidecar_cpu, sidecar_memory);
    } else {
      declared.Check(cpu + sidecar_cpu, memory + sidecar_memory);
    }
  }
  return declared;
}

}  // namespace

absl::StatusOr<ResourceConfig> ResourceConfigForPod(const Pod& pod,
                                                    const NodeCgroupSettings& settings,
                                                    bool pod_has_exclusive_cpus) {
  PODALLOC_RETURN_IF_ERROR(ValidateNodeCgroupSettings(settings));
  PodResourcesOptions options;
  options.skip_pod_level_resources = !settings.pod_level_resources;
  const ResourceList requests = PodRequests(pod, options);
  const ResourceList limits = PodLimits(pod, options);

  LimitsDeclared declared = ContainerLimitsDeclared(pod);
  if (settings.pod_level_resources && IsPodLevelResourcesSet(pod)) {
    // A pod-level limit caps the pod whatever its containers declare.
    if (!ResourceOrZero(pod.resources->limits, kResourceCpu).IsZero()) declared.cpu = true;
    if (!ResourceOrZero(pod.resources->limits, kResourceMemory).IsZero()) declared.memory = true;
  }

  const uint64_t shares = MilliCpuToShares(ResourceOrZero(requests, kResourceCpu).MilliValue());
  const uint64_t period = static_cast<uint64_t>(internal::EffectiveCfsPeriod(settings));
  int64_t quota = MilliCpuToQuota(ResourceOrZero(limits, kResourceCpu).MilliValue(),
                                  static_cast<int64_t>(period));
  // No quota when CFS enforcement is off, nor (with the gate) for a pod holding exclusive
  // CPUs: its exclusive containers would be throttled by the pod's cap.
  if (!settings.cpu_cfs_quota ||
      (pod_has_exclusive_cpus && settings.disable_cpu_quota_with_exclusive_cpus)) {
    quota = -1;
  }
  const int64_t memory_limit = ResourceOrZero(limits, kResourceMemory).Value();

  const QosClass qos = GetPodQos(pod, QosOptions{settings.pod_level_resources});
  ResourceConfig config;
  switch (qos) {
    case QosClass::kGuaranteed:
      config.cpu_shares = shares;
      config.cpu_quota = quota;
      config.cpu_period = period;
      config.memory = memory_limit;
      break;
    case QosClass::kBurstable:
      config.cpu_shares = shares;
      if (declared.cpu) {
        config.cpu_quota = quota;
        config.cpu_period = period;
      }
      if (declared.memory) config.memory = memory_limit;
      break;
    case QosClass::kBestEffort:
      config.cpu_shares = kMinShares;
      break;
  }
  config.hugepage_limits = internal::HugePageLimits(requests);

  if (internal::MemoryQosEnforced(settings)) {
    const MemoryProtection protection =
        RequestProtection(qos, ResourceOrZero(requests, kResourceMemory).Value(),
                          settings.memory_qos.reservation_policy);
    if (protection.min.has_value()) config.unified["memory.min"] = absl::StrCat(*protection.min);
    if (protection.low.has_value()) config.unified["memory.low"] = absl::StrCat(*protection.low);
  }
  return config;
}

}  // namespace podalloc
