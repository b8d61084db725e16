// File: lib/nrt/fit_probe.h
// One probe of the fit report: would the node admit this pod on this state? The node's pure
// admission (AdmitOn: topology-manager admit with the CPU and memory managers) and then the
// kubelet's predicate resource fit against what the admitted pods leave of node allocatable,
// in the kubelet's handler order. Also the probe pods and the per-NUMA-node zone views.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "podalloc/fit_report.h"
#include "podalloc/node.h"

namespace podalloc::internal {

// What the admitted pods leave of node allocatable (requests as the predicate counts them,
// "pods" = maxPods minus the admitted count), worked out once per snapshot.
struct PredicateBudget {
  ResourceList allocatable;  // the node's
  ResourceList remaining;    // allocatable minus every admitted pod's request
  std::vector<Pod> admitted;  // for the predicate's exact message on a refusal
};
PredicateBudget BudgetOf(const Node& node, const NodeState& state);

struct Probe {
  FitOutcome outcome;
  NumaMask numa;  // where an admitted pod's exclusive CPUs and memory landed
  Decision decision;
};
// Admits `pod` on `state` with `policy_node`'s configuration. Errors only for a pod the
// admission itself refuses to judge (an admitted UID, no containers).
absl::StatusOr<Probe> ProbeAdmission(const Node& policy_node, const NodeState& state,
                                     const PredicateBudget& budget, const Pod& pod);

// The single-container Guaranteed probe pod with these requests (= limits); zero amounts are
// left out.
Pod ProbePod(const ResourceList& requests);

// `state` with every NUMA node but `numa` offering nothing: their free CPUs held by a phantom
// assignment (not a pod, so the predicate and the fingerprint do not see it) and their free
// memory-table bytes moved to reserved. Capacities, groups and assignment counts stay, so
// preferences are computed as on the real node.
NodeState ZoneView(const Node& node, const NodeState& state, int numa);

}  // namespace podalloc::internal
