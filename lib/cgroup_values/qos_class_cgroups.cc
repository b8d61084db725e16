// The QoS-class cgroups (pkg/kubelet/cm/qos_container_manager_linux.go, UpdateCgroups):
// kubepods, kubepods/burstable and kubepods/besteffort.
#include <cstdint>
#include <span>

#include "absl/strings/str_cat.h"
#include "node_settings.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/memory_qos.h"
#include "podalloc/pod_resources.h"
#include "podalloc/qos.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

// The QoS tiers never limit huge pages; the kubelet writes 2^62 for every machine size.
void SetHugePagesUnbounded(const NodeCgroupSettings& settings, ResourceConfig& config) {
  for (int64_t size : settings.hugepage_sizes) config.hugepage_limits[size] = int64_t{1} << 62;
}

void SetProtection(const MemoryProtection& protection, ResourceConfig& config) {
  if (protection.min.has_value()) config.unified["memory.min"] = absl::StrCat(*protection.min);
  if (protection.low.has_value()) config.unified["memory.low"] = absl::StrCat(*protection.low);
}

}  // namespace

absl::StatusOr<QosClassCgroups> QosClassCgroupConfigs(std::span<const Pod> active_pods,
                                                      const NodeCgroupSettings& settings) {
  PODALLOC_RETURN_IF_ERROR(ValidateNodeCgroupSettings(settings));
  const QosOptions qos_options{settings.pod_level_resources};
  QosClassCgroups cgroups;

  // Burstable pods share their tier in proportion to their CPU requests; BestEffort pods
  // get the minimum. The kubelet sums in int64 and would wrap to a negative total (and the
  // minimum 2 shares) past 2^63-1 millicores; the API server takes such requests, so the sum
  // saturates instead and the tier gets the maximum weight, as one such pod alone does.
  int64_t burstable_milli_cpu = 0;
  for (const Pod& pod : active_pods) {
    if (GetPodQos(pod, qos_options) != QosClass::kBurstable) continue;
    burstable_milli_cpu = internal::SaturatingAdd(
        burstable_milli_cpu, ResourceOrZero(PodRequests(pod), kResourceCpu).MilliValue());
  }
  cgroups.burstable.cpu_shares = MilliCpuToShares(burstable_milli_cpu);
  cgroups.best_effort.cpu_shares = kMinShares;

  for (ResourceConfig* config : {&cgroups.root, &cgroups.burstable, &cgroups.best_effort}) {
    SetHugePagesUnbounded(settings, *config);
  }

  cgroups.memory_requests = SumQosMemoryRequests(active_pods, qos_options);
  if (internal::MemoryQosEnforced(settings)) {
    const QosClassProtection protection =
        QosClassMemoryProtection(cgroups.memory_requests, settings.memory_qos.reservation_policy);
    SetProtection(protection.root, cgroups.root);
    SetProtection(protection.burstable, cgroups.burstable);
  }
  return cgroups;
}

}  // namespace podalloc
