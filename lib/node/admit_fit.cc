// The predicate admit handler's resource part (pkg/kubelet/lifecycle/predicate.go), run after
// the container manager admitted and allocated for the pod: the pod against node allocatable
// and the other admitted pods at their allocated sizes, and for a critical pod that does not
// fit, the kubelet's preemption instead of a rejection.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fit_usage.h"
#include "node_internal.h"

namespace podalloc::internal {
namespace {

std::string ShortText(const InsufficientResource& f) {
  return absl::StrCat(f.resource, " short by ", f.Shortfall());
}

}  // namespace

bool RunResourceFit(const Node::Parts& parts, const NodeState& state, const FitUsage& usage,
                    const Pod& pod, const DeviceManager& devices, FitResources& own_request,
                    Decision& d) {
  const FitOptions& options = parts.fit_options;
  own_request = PodFitRequest(pod, options);
  // Device-plugin resources are in the node's allocatable as its status reports them.
  const std::optional<ResourceList> with_devices =
      AllocatableWithDevices(parts.allocatable, devices, d.pod_uid);
  const ResourceList& allocatable = with_devices ? *with_devices : parts.allocatable;
  FitResources request = own_request;
  if (HasUnservedRequests(pod, allocatable, options)) {
    request = PodFitRequest(WithoutUnservedRequests(pod, allocatable, options), options);
    // Requests a DRA claim serves are left out too, but they are served: only the missing
    // ones are worth a word.
    if (const std::vector<std::string> missing = MissingExtendedResources(pod, allocatable);
        !missing.empty()) {
      d.reasons.push_back(absl::StrCat(
          "resource fit: ", absl::StrJoin(missing, ", "),
          " not in the node's allocatable (no device plugin has registered it): left out of "
          "the fit, as the kubelet does for pods that may predate their plugin, and not "
          "allocated"));
    }
  }
  d.insufficient_resources =
      FitsRequest(request, with_devices ? NodeFitAllocatable(*with_devices) : parts.fit_allocatable,
                  usage.total(), static_cast<int64_t>(state.pods.size()));
  if (d.insufficient_resources.empty()) return true;

  std::vector<std::string> short_texts;
  for (const InsufficientResource& f : d.insufficient_resources) short_texts.push_back(ShortText(f));
  d.reasons.push_back(absl::StrCat("resource fit: ", absl::StrJoin(short_texts, ", ")));
  if (!IsCriticalPod(pod)) {
    RejectDecision(d, InsufficientResourceRejection(d.insufficient_resources.front()));
    return false;
  }
  // A critical pod is not refused for resources: the kubelet evicts other pods first. The
  // active pods in the state's order stand for the kubelet's.
  std::vector<PreemptionCandidate> candidates;
  candidates.reserve(state.pods.size());
  for (const auto& [key, record] : state.pods) candidates.push_back({key, &record.pod});
  d.preemption = PlanCriticalPodPreemption(pod, d.insufficient_resources, candidates, parts.qos,
                                           options.pod_level_resources);
  if (!d.preemption->found) {
    d.reasons.push_back("critical pod: no set of admitted pods frees enough");
    RejectDecision(d, d.preemption->rejection);
    return false;
  }
  d.reasons.push_back(absl::StrCat(
      "critical pod: admitted through the kubelet's preemption once these pods are evicted (",
      kPreemptingReason, ": ", kPreemptionMessage, "): ",
      absl::StrJoin(d.preemption->victims, ", ")));
  return true;
}

}  // namespace podalloc::internal
