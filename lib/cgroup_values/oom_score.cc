// oom_score_adj of a container (pkg/kubelet/qos/policy.go, GetContainerOOMScoreAdjust
// without the alpha KubeletOOMScoreAdjTieBreak nudge).
#include <algorithm>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/pod_resources.h"
#include "podalloc/qos.h"

namespace podalloc {
namespace {

__extension__ typedef __int128 Int128;  // 1000 * bytes never overflows

int64_t MemoryRequestOf(const Container& c) {
  return ResourceOrZero(c.resources.requests, kResourceMemory).Value();
}

// The pod-level memory request that no container claims, shared equally among all init and
// app containers (KEP-2837 "OOM score adjustment"); Go integer division.
int64_t UnclaimedPodMemoryPerContainer(const Pod& pod) {
  const int64_t pod_request = ResourceOrZero(pod.resources->requests, kResourceMemory).Value();
  if (pod_request == 0) return 0;
  const int64_t containers =
      static_cast<int64_t>(pod.containers.size() + pod.init_containers.size());
  if (containers == 0) return 0;
  const int64_t claimed = ResourceOrZero(AggregateContainerRequests(pod), kResourceMemory).Value();
  return (pod_request - claimed) / containers;
}

// A restartable init container listed in the pod's init containers.
bool IsSidecarOf(const Pod& pod, const Container& container) {
  if (!IsSidecar(container)) return false;
  return std::any_of(pod.init_containers.begin(), pod.init_containers.end(),
                     [&](const Container& c) { return c.name == container.name; });
}

int64_t Score(int64_t request, int64_t capacity) {
  return 1000 - static_cast<int64_t>(Int128{1000} * request / capacity);
}

}  // namespace

absl::StatusOr<int> ContainerOomScoreAdjust(const Pod& pod, const Container& container,
                                            int64_t memory_capacity, bool pod_level_resources,
                                            bool node_critical) {
  if (node_critical) return kGuaranteedOomScoreAdj;
  switch (GetPodQos(pod, QosOptions{pod_level_resources})) {
    case QosClass::kGuaranteed:
      return kGuaranteedOomScoreAdj;
    case QosClass::kBestEffort:
      return kBestEffortOomScoreAdj;
    case QosClass::kBurstable:
      break;
  }
  if (memory_capacity <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("container ", internal::QuoteInput(container.name),
                     ": node memory capacity ", memory_capacity,
                     " must be positive to score a Burstable container"));
  }
  // Burstable: the larger the share of the node a container requests, the later it dies.
  const bool pod_level = pod_level_resources && IsPodLevelRequestsSet(pod);
  const int64_t unclaimed = pod_level ? UnclaimedPodMemoryPerContainer(pod) : 0;
  int64_t score =
      Score(internal::SaturatingAdd(MemoryRequestOf(container), unclaimed), memory_capacity);

  // A sidecar is never killed before the app containers it serves: it scores no higher than
  // the app container with the smallest request, the one the OOM killer would pick first.
  if (IsSidecarOf(pod, container) && !pod.containers.empty()) {
    int64_t smallest = MemoryRequestOf(pod.containers.front());
    for (const Container& c : pod.containers) smallest = std::min(smallest, MemoryRequestOf(c));
    score = std::min(score, Score(internal::SaturatingAdd(smallest, unclaimed), memory_capacity));
  }

  // Stay above every Guaranteed container (1000 - 997) and below BestEffort.
  if (score < 1000 + kGuaranteedOomScoreAdj) return 1000 + kGuaranteedOomScoreAdj;
  if (score == kBestEffortOomScoreAdj) return kBestEffortOomScoreAdj - 1;
  return static_cast<int>(score);
}

}  // namespace podalloc
