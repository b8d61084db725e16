// Validation of the kubelet settings the cgroup values depend on.
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/status_macros.h"

namespace podalloc {

absl::Status ValidateNodeCgroupSettings(const NodeCgroupSettings& settings) {
  // Kubelet configuration validation: a non-default period needs the gate, and the kernel
  // accepts periods from 1ms to 1s.
  if (!settings.custom_cpu_cfs_quota_period &&
      settings.cpu_cfs_quota_period_us != kDefaultCfsPeriod) {
    return absl::InvalidArgumentError(
        absl::StrCat("cpu_cfs_quota_period_us ", settings.cpu_cfs_quota_period_us,
                     " requires the CustomCPUCFSQuotaPeriod gate (custom_cpu_cfs_quota_period)"));
  }
  if (settings.cpu_cfs_quota_period_us < 1000 || settings.cpu_cfs_quota_period_us > 1000000) {
    return absl::InvalidArgumentError(absl::StrCat("cpu_cfs_quota_period_us ",
                                                   settings.cpu_cfs_quota_period_us,
                                                   " is outside [1000, 1000000] microseconds"));
  }
  if (settings.node_memory_capacity < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("node_memory_capacity ", settings.node_memory_capacity, " is negative"));
  }
  for (int64_t size : settings.hugepage_sizes) {
    if (size <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("hugepage_sizes: page size ", size, " is not positive"));
    }
  }
  if (settings.swap.swap_capacity < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("swap.swap_capacity ", settings.swap.swap_capacity, " is negative"));
  }
  PODALLOC_RETURN_IF_ERROR(ValidateMemoryQosConfig(settings.memory_qos));
  return absl::OkStatus();
}

}  // namespace podalloc
