// File: podalloc/critical_pod.h
// Critical pods and the kubelet's preemption on their behalf: a critical pod that fails
// resource fit is not rejected; the kubelet evicts other pods to make room
// (pkg/kubelet/preemption/preemption.go, CriticalPodAdmissionHandler, and the critical-pod
// tests of pkg/kubelet/types/pod_update.go). podalloc kills nothing: it works out which pods
// the kubelet would evict, or the rejection when no set of pods frees enough.
//
// Pure functions over values (reentrant).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "podalloc/pod.h"
#include "podalloc/qos.h"
#include "podalloc/resource_fit.h"
#include "podalloc/topology_manager.h"

namespace podalloc {

// What the kubelet records on each pod it evicts for a critical pod (status message, Warning
// event with reason "Preempting").
inline constexpr char kPreemptingReason[] = "Preempting";
inline constexpr char kPreemptionMessage[] = "Preempted in order to admit critical pod";

// IsStaticPod, IsMirrorPod, IsCriticalPod and kSystemCriticalPriority: podalloc/pod.h.
// Whether `preemptor` may evict `preemptee`: a critical pod may evict any non-critical pod;
// otherwise only a pod of strictly lower priority, both priorities being set.
bool Preemptable(const Pod& preemptor, const Pod& preemptee);

// One resource to free (admissionRequirement): `amount` in fit units (pods: a count).
struct PreemptionNeed {
  std::string resource;
  int64_t amount = 0;
  friend bool operator==(const PreemptionNeed&, const PreemptionNeed&) = default;
};

// An admitted, active pod the critical pod might evict; `key` names it in the result.
struct PreemptionCandidate {
  std::string key;
  const Pod* pod = nullptr;
};

struct PreemptionPlan {
  // A set of pods frees enough: the critical pod is admitted once they are evicted.
  bool found = false;
  // The pods to evict (their keys), BestEffort first, then Burstable, then Guaranteed.
  std::vector<std::string> victims;
  // The shortfall of every failed resource, in the order of the failures.
  std::vector<PreemptionNeed> shortfall;
  // When !found: UnexpectedAdmissionError, "Unexpected error while attempting to recover from
  // admission failure: preemption: error finding a set of pods to preempt: no set of running
  // pods found to reclaim resources: [(res: cpu, q: 500), ]".
  AdmitResult rejection;
  friend bool operator==(const PreemptionPlan&, const PreemptionPlan&) = default;
};

// getPodsToPreempt for `critical` after resource fit failed with `failures` (all of them
// resource failures). Candidates the critical pod may not preempt are left out; the rest are
// grouped by QoS class and, group by group (Guaranteed sized first against what BestEffort and
// Burstable together cannot free, then Burstable, then BestEffort), chosen greedily by the
// kubelet's distance to what is still needed, ties to the smaller memory then cpu request.
// Candidates are examined in the order given (the kubelet's active-pod order).
PreemptionPlan PlanCriticalPodPreemption(const Pod& critical,
                                         std::span<const InsufficientResource> failures,
                                         std::span<const PreemptionCandidate> candidates,
                                         const QosOptions& qos, bool pod_level_resources);

}  // namespace podalloc
