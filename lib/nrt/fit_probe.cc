// The fit report's admission oracle, its probe pods and its zone views (fit_probe.h).
#include "fit_probe.h"

#include <string>
#include <vector>

#include "podalloc/pod_resources.h"
#include "podalloc/resize.h"

namespace podalloc::internal {
namespace {

// Keys no admitted pod can have: PodStateKey is a UID, or namespace/name for a pod without
// one, and a UID never holds "/".
constexpr char kProbeUid[] = "podalloc.dev/fit-probe";
constexpr char kPhantomHolder[] = "podalloc.dev/zone-view";

}  // namespace

PredicateBudget BudgetOf(const Node& node, const NodeState& state) {
  PredicateBudget budget;
  budget.allocatable = node.Allocatable();
  budget.remaining = budget.allocatable;
  for (const auto& [uid, record] : state.pods) {
    budget.admitted.push_back(record.pod);
    for (const auto& [name, q] : PodRequests(record.pod)) {
      auto it = budget.remaining.find(name);
      if (it != budget.remaining.end()) it->second -= q;
    }
  }
  if (auto pods = budget.remaining.find("pods"); pods != budget.remaining.end()) {
    pods->second -= Quantity::FromValue(static_cast<int64_t>(state.pods.size()));
  }
  return budget;
}

Pod ProbePod(const ResourceList& requests) {
  Pod pod;
  pod.name = "fit-probe";
  pod.namespace_name = "default";
  pod.uid = kProbeUid;
  Container c;
  c.name = "probe";
  for (const auto& [name, q] : requests) {
    if (q.Sign() == 0) continue;
    c.resources.requests[name] = q;
    c.resources.limits[name] = q;
  }
  pod.containers.push_back(std::move(c));
  return pod;
}

absl::StatusOr<Probe> ProbeAdmission(const Node& policy_node, const NodeState& state,
                                     const PredicateBudget& budget, const Pod& pod) {
  absl::StatusOr<Decision> d = policy_node.AdmitOn(state, pod);
  if (!d.ok()) return d.status();
  Probe probe;
  probe.outcome.admitted = d->admitted;
  probe.outcome.reason = d->reason;
  probe.outcome.message = d->message;
  if (d->admitted) {
    // The predicate against what is left; with nothing else to compare, the remaining budget
    // stands in for allocatable. On a refusal, the full check gives the kubelet's message.
    const AdmitResult fit = AdmitByResourceFit(budget.remaining, pod, {});
    if (!fit.admit) {
      const AdmitResult exact = AdmitByResourceFit(budget.allocatable, pod, budget.admitted);
      probe.outcome.admitted = false;
      probe.outcome.reason = exact.admit ? fit.reason : exact.reason;
      probe.outcome.message = exact.admit ? fit.message : exact.message;
    }
  }
  if (probe.outcome.admitted) {
    for (const ContainerDecision& c : d->containers) {
      probe.numa |= c.memory_nodes;
      if (c.exclusive_cpus) probe.numa |= policy_node.topology().NumaNodesOf(c.cpus);
    }
  }
  probe.decision = *std::move(d);
  return probe;
}

NodeState ZoneView(const Node& node, const NodeState& state, int numa) {
  NodeState view;
  view.cpu = state.cpu;
  view.memory = state.memory;
  const CpuSet elsewhere =
      (state.cpu.default_cpu_set - node.ReservedCpus()) - node.topology().CpusInNumaNode(numa);
  if (!elsewhere.IsEmpty()) {
    view.cpu.default_cpu_set -= elsewhere;
    view.cpu.assignments[kPhantomHolder]["phantom"] = elsewhere;
  }
  for (MemoryNumaNodeState& n : view.memory.machine.nodes) {
    if (n.id == numa) continue;
    for (MemoryResourceTable& t : n.memory) {
      t.table.reserved += t.table.free;
      t.table.free = 0;
    }
  }
  return view;
}

}  // namespace podalloc::internal
