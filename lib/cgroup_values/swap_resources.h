// The swap part of generateLinuxContainerResources, for container_resources.cc.
#pragma once

#include "podalloc/cgroup_values.h"

namespace podalloc::internal {

// configureContainerSwapResources: nothing without the swap controller; on cgroup v1 the
// memory+swap limit equals the memory limit; on cgroup v2 memory.swap.max is "0" (NoSwap) or
// the container's LimitedSwap share ("0" when it cannot be computed).
void ConfigureContainerSwap(const Pod& pod, const Container& container,
                            const NodeCgroupSettings& settings, LinuxContainerResources& r);

}  // namespace podalloc::internal
