// Critical pods (pkg/kubelet/types/pod_update.go) and the kubelet's choice of pods to evict for
// one (pkg/kubelet/preemption/preemption.go getPodsToPreempt), step for step: the choice
// depends on the order candidates are examined in and on the exact tie rule, so both are kept.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "podalloc/critical_pod.h"

namespace podalloc {
namespace {

// A candidate with its requests of the resources the choice reads (GetResourceRequest).
struct Candidate {
  const PreemptionCandidate* source = nullptr;
  std::map<std::string, int64_t, std::less<>> requests;
  int64_t Request(std::string_view resource) const {
    auto it = requests.find(resource);
    return it == requests.end() ? 0 : it->second;
  }
};

using Needs = std::vector<PreemptionNeed>;

// admissionRequirementList.subtract: what remains once `pods` are gone.
Needs Subtract(const Needs& needs, const std::vector<const Candidate*>& pods) {
  Needs out;
  for (const PreemptionNeed& need : needs) {
    int64_t left = need.amount;
    for (const Candidate* pod : pods) {
      left -= pod->Request(need.resource);
      if (left <= 0) break;
    }
    if (left > 0) out.push_back(PreemptionNeed{need.resource, left});
  }
  return out;
}

// admissionRequirementList.distance: each need weighs the same whatever its size.
double Distance(const Needs& needs, const Candidate& pod) {
  double dist = 0;
  for (const PreemptionNeed& need : needs) {
    const auto remaining = static_cast<double>(need.amount - pod.Request(need.resource));
    if (remaining > 0) {
      const double fraction = remaining / static_cast<double>(need.amount);
      dist += fraction * fraction;
    }
  }
  return dist;
}

// smallerResourceRequest: memory first, then cpu; equal requests count as smaller.
bool SmallerRequest(const Candidate& a, const Candidate& b) {
  for (std::string_view resource : {kResourceMemory, kResourceCpu}) {
    const int64_t ra = a.Request(resource);
    const int64_t rb = b.Request(resource);
    if (ra < rb) return true;
    if (ra > rb) return false;
  }
  return true;
}

std::string NeedsText(const Needs& needs) {
  std::string s = "[";
  for (const PreemptionNeed& n : needs) absl::StrAppend(&s, "(res: ", n.resource, ", q: ", n.amount, "), ");
  return s + "]";
}

std::string NoSetError(const Needs& needs) {
  return absl::StrCat("no set of running pods found to reclaim resources: ", NeedsText(needs));
}

// getPodsToPreemptByDistance. The picked pod is swapped with the last one before the list
// shrinks, as the kubelet does, which decides later ties.
std::optional<std::vector<const Candidate*>> ByDistance(std::vector<const Candidate*> pods,
                                                       Needs needs, std::string* error) {
  std::vector<const Candidate*> evict;
  while (!needs.empty()) {
    if (pods.empty()) {
      *error = NoSetError(needs);
      return std::nullopt;
    }
    double best_distance = static_cast<double>(needs.size() + 1);
    size_t best = 0;
    for (size_t i = 0; i < pods.size(); ++i) {
      const double dist = Distance(needs, *pods[i]);
      if (dist < best_distance || (dist == best_distance && SmallerRequest(*pods[i], *pods[best]))) {
        best_distance = dist;
        best = i;
      }
    }
    needs = Subtract(needs, {pods[best]});
    evict.push_back(pods[best]);
    pods[best] = pods.back();
    pods.pop_back();
  }
  return evict;
}

std::vector<const Candidate*> Concat(std::initializer_list<const std::vector<const Candidate*>*> lists) {
  std::vector<const Candidate*> out;
  for (const auto* l : lists) out.insert(out.end(), l->begin(), l->end());
  return out;
}

// getPodsToPreempt: the Guaranteed pods needed even once every BestEffort and Burstable pod is
// gone, then the Burstable pods needed beside those, then the BestEffort ones.
std::optional<std::vector<const Candidate*>> PodsToPreempt(
    const std::vector<const Candidate*>& best_effort,
    const std::vector<const Candidate*>& burstable,
    const std::vector<const Candidate*>& guaranteed, const Needs& needs, std::string* error) {
  if (Needs rest = Subtract(needs, Concat({&best_effort, &burstable, &guaranteed}));
      !rest.empty()) {
    *error = NoSetError(rest);
    return std::nullopt;
  }
  auto g = ByDistance(guaranteed, Subtract(needs, Concat({&best_effort, &burstable})), error);
  if (!g) return std::nullopt;
  auto bu = ByDistance(burstable, Subtract(needs, Concat({&best_effort, &*g})), error);
  if (!bu) return std::nullopt;
  auto be = ByDistance(best_effort, Subtract(needs, Concat({&*bu, &*g})), error);
  if (!be) return std::nullopt;
  return Concat({&*be, &*bu, &*g});
}

}  // namespace

bool Preemptable(const Pod& preemptor, const Pod& preemptee) {
  if (IsCriticalPod(preemptor) && !IsCriticalPod(preemptee)) return true;
  return preemptor.priority.has_value() && preemptee.priority.has_value() &&
         *preemptor.priority > *preemptee.priority;
}

PreemptionPlan PlanCriticalPodPreemption(const Pod& critical,
                                         std::span<const InsufficientResource> failures,
                                         std::span<const PreemptionCandidate> candidates,
                                         const QosOptions& qos, bool pod_level_resources) {
  PreemptionPlan plan;
  for (const InsufficientResource& f : failures) {
    plan.shortfall.push_back(PreemptionNeed{f.resource, f.Shortfall()});
  }
  // Every request the choice may read, worked out once per candidate.
  std::vector<Candidate> pods;
  pods.reserve(candidates.size());
  for (const PreemptionCandidate& c : candidates) {
    if (c.pod == nullptr || !Preemptable(critical, *c.pod)) continue;
    Candidate k;
    k.source = &c;
    for (std::string_view r : {kResourceMemory, kResourceCpu}) {
      k.requests.emplace(std::string(r), PodResourceRequest(*c.pod, r, pod_level_resources));
    }
    for (const PreemptionNeed& n : plan.shortfall) {
      k.requests.emplace(n.resource, PodResourceRequest(*c.pod, n.resource, pod_level_resources));
    }
    pods.push_back(std::move(k));
  }
  std::vector<const Candidate*> best_effort, burstable, guaranteed;
  for (size_t i = 0; i < pods.size(); ++i) {
    switch (GetPodQos(*pods[i].source->pod, qos)) {
      case QosClass::kBestEffort: best_effort.push_back(&pods[i]); break;
      case QosClass::kBurstable: burstable.push_back(&pods[i]); break;
      case QosClass::kGuaranteed: guaranteed.push_back(&pods[i]); break;
    }
  }

  std::string error;
  if (auto victims = PodsToPreempt(best_effort, burstable, guaranteed, plan.shortfall, &error)) {
    plan.found = true;
    for (const Candidate* c : *victims) plan.victims.push_back(c->source->key);
    return plan;
  }
  plan.rejection = AdmitResult{
      false, kUnexpectedAdmissionErrorReason,
      absl::StrCat("Unexpected error while attempting to recover from admission failure: "
                   "preemption: error finding a set of pods to preempt: ",
                   error)};
  return plan;
}

}  // namespace podalloc
