// generateLinuxContainerResources without the two fields the container's cgroup v2 files do not
// carry (oom_score_adj goes to the process, hugepage limits to hugetlb files the runtime
// writes), for ContainerCgroupFiles.
#pragma once

#include "absl/status/statusor.h"
#include "podalloc/cgroup_values.h"

namespace podalloc::internal {

// GenerateLinuxContainerResources with oom_score_adj 0 and no hugepage limits; the same
// errors, the Burstable score's included. `pod_qos` is GetPodQos of the pod under
// settings.pod_level_resources.
[[nodiscard]] absl::StatusOr<LinuxContainerResources> ContainerCgroupResources(
    const Pod& pod, QosClass pod_qos, const Container& container,
    const NodeCgroupSettings& settings, bool has_exclusive_cpus);

}  // namespace podalloc::internal
