// Derived node settings shared by the container, pod and QoS-class computations.
#pragma once

#include <cstdint>

#include "podalloc/cgroup_values.h"

namespace podalloc::internal {

// The CFS period the kubelet uses: the configured one only with CustomCPUCFSQuotaPeriod.
inline int64_t EffectiveCfsPeriod(const NodeCgroupSettings& settings) {
  return settings.custom_cpu_cfs_quota_period ? settings.cpu_cfs_quota_period_us
                                              : kDefaultCfsPeriod;
}

// enforceMemoryQoS: the MemoryQoS gate on a cgroup v2 host.
inline bool MemoryQosEnforced(const NodeCgroupSettings& settings) {
  return settings.memory_qos.enabled && settings.cgroup_version == CgroupVersion::kV2;
}

}  // namespace podalloc::internal
