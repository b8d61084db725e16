// The resource-fit admit handler: the part of the kubelet's predicate admit handler
// (pkg/kubelet/lifecycle/predicate.go) that runs the scheduler's noderesources.Fits over the
// other pods, as resize's Deferred check sees it.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "podalloc/pod_resources.h"
#include "podalloc/resize.h"

namespace podalloc {
namespace {

constexpr std::string_view kResourcePods = "pods";

// cpu is compared in millicores, everything else in whole units (Fits' Resource fields).
int64_t Amount(const ResourceList& list, std::string_view name) {
  const Quantity q = ResourceOrZero(list, name);
  return name == kResourceCpu ? q.MilliValue() : q.Value();
}

AdmitResult Insufficient(std::string_view name, int64_t requested, int64_t used,
                         int64_t capacity) {
  const std::string n(name);
  return AdmitResult{false, absl::StrCat("OutOf", n),
                     absl::StrCat("Node didn't have enough resource: ", n,
                                  ", requested: ", requested, ", used: ", used,
                                  ", capacity: ", capacity)};
}

}  // namespace

AdmitResult AdmitByResourceFit(const ResourceList& node_allocatable, const Pod& pod,
                               std::span<const Pod> other_pods) {
  // Pod count first, as Fits does, and only when the node states a pod capacity.
  if (const Quantity* pods = FindResource(node_allocatable, kResourcePods)) {
    const int64_t used = static_cast<int64_t>(other_pods.size());
    if (used + 1 > pods->Value()) return Insufficient(kResourcePods, 1, used, pods->Value());
  }
  const ResourceList requested = PodRequests(pod);
  ResourceList used;
  for (const Pod& other : other_pods) {
    for (const auto& [name, q] : PodRequests(other)) used[name] += q;
  }
  // Fits checks cpu, memory and ephemeral-storage, then the scalar resources; scalars are
  // taken in name order so the first rejection is deterministic.
  std::vector<std::string_view> order = {kResourceCpu, kResourceMemory,
                                         kResourceEphemeralStorage};
  for (const auto& [name, q] : requested) {
    if (name == kResourceCpu || name == kResourceMemory || name == kResourceEphemeralStorage ||
        name == kResourcePods) {
      continue;
    }
    // Extended resources the node does not advertise are dropped before Fits (the kubelet
    // leaves them to device plugins); huge pages always count.
    if (!IsHugepagesResource(name) && FindResource(node_allocatable, name) == nullptr) continue;
    order.push_back(name);
  }
  for (std::string_view name : order) {
    const int64_t want = Amount(requested, name);
    if (want <= 0) continue;
    const int64_t in_use = Amount(used, name);
    const int64_t capacity = Amount(node_allocatable, name);
    if (want > capacity - in_use) return Insufficient(name, want, in_use, capacity);
  }
  return AdmitResult{};
}

}  // namespace podalloc
