// Node swap for one container (KEP-2400; pkg/kubelet/kuberuntime/kuberuntime_container_linux.go
// GetContainerSwapBehavior, configureContainerSwapResources, calcSwapForBurstablePods): which
// containers may swap, how much, and what is written for them.
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/qos.h"
#include "swap_resources.h"

namespace podalloc {

std::string_view SwapBehaviorName(SwapBehavior behavior) {
  return behavior == SwapBehavior::kLimitedSwap ? "LimitedSwap" : "NoSwap";
}

absl::StatusOr<SwapBehavior> ParseSwapBehavior(std::string_view text) {
  if (text.empty() || text == "NoSwap") return SwapBehavior::kNoSwap;
  if (text == "LimitedSwap") return SwapBehavior::kLimitedSwap;
  return absl::InvalidArgumentError(absl::StrCat(
      "memorySwap.swapBehavior \"", absl::string_view(text.data(), text.size()),
      "\" must be one of: \"\", \"LimitedSwap\" or \"NoSwap\""));
}

SwapBehavior ContainerSwapBehavior(const Pod& pod, const Container& container,
                                   const NodeCgroupSettings& settings) {
  const NodeSwapSettings& swap = settings.swap;
  if (swap.behavior != SwapBehavior::kLimitedSwap || !swap.node_swap_gate ||
      !swap.controller_available || settings.cgroup_version != CgroupVersion::kV2 ||
      IsCriticalPod(pod)) {
    return SwapBehavior::kNoSwap;
  }
  // The pod's class (pod-level values decide it when set); the container's own memory fields.
  if (GetPodQos(pod, QosOptions{settings.pod_level_resources}) != QosClass::kBurstable) {
    return SwapBehavior::kNoSwap;
  }
  const Quantity request = ResourceOrZero(container.resources.requests, kResourceMemory);
  const Quantity limit = ResourceOrZero(container.resources.limits, kResourceMemory);
  if ((request.IsZero() && limit.IsZero()) || request == limit) return SwapBehavior::kNoSwap;
  return SwapBehavior::kLimitedSwap;
}

absl::StatusOr<int64_t> LimitedSwapBytes(int64_t request, int64_t node_memory, int64_t swap) {
  if (node_memory <= 0) return absl::InvalidArgumentError("total node memory is 0");
  if (request > node_memory) {
    return absl::InvalidArgumentError(absl::StrCat("container request ", request,
                                                   " is larger than total node memory ",
                                                   node_memory));
  }
  const double proportion = static_cast<double>(request) / static_cast<double>(node_memory);
  return static_cast<int64_t>(proportion * static_cast<double>(swap));
}

namespace internal {

void ConfigureContainerSwap(const Pod& pod, const Container& container,
                            const NodeCgroupSettings& settings, LinuxContainerResources& r) {
  if (!settings.swap.controller_available) return;
  if (settings.cgroup_version != CgroupVersion::kV2) {
    // memory+swap = memory: no swap above the limit (ignored by the runtime when 0).
    r.memory_swap_limit_in_bytes = r.memory_limit_in_bytes;
    return;
  }
  int64_t bytes = 0;
  if (ContainerSwapBehavior(pod, container, settings) == SwapBehavior::kLimitedSwap) {
    // On an error the kubelet logs "cannot calculate swap allocation amount; disallowing
    // swap" and writes the NoSwap value.
    const absl::StatusOr<int64_t> share = LimitedSwapBytes(
        ResourceOrZero(container.resources.requests, kResourceMemory).Value(),
        settings.node_memory_capacity, settings.swap.swap_capacity);
    bytes = share.value_or(0);
  }
  r.unified["memory.swap.max"] = absl::StrCat(bytes);
}

}  // namespace internal
}  // namespace podalloc
