// The fit report's exact search (spec: noderesourcetopology.md §6.2). Counted resources (CPUs)
// are tried from the upper bound downwards, the first admitted size being the answer. For byte
// resources every test admission makes on the size x is "x <= T" with T a sum of memory-table
// free or allocatable amounts over a NUMA mask, or the predicate's remainder, so the largest
// admitted x is one of those thresholds: they are tried in descending order.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fit_plugin.h"
#include "fit_probe.h"
#include "nrt_internal.h"
#include "podalloc/nrt.h"
#include "podalloc/fit_report.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

using internal::PredicateBudget;
using internal::Probe;

constexpr int kMaxEnumeratedNumaNodes = 8;

int64_t Remaining(const PredicateBudget& budget, const std::string& name, bool millis = false) {
  const Quantity* q = FindResource(budget.remaining, name);
  if (q == nullptr) return 0;
  return std::max<int64_t>(0, millis ? q->MilliValue() : q->Value());
}

// One resource's search on one state under one policy.
struct Search {
  const Node& policy_node;
  const NodeState& state;
  const PredicateBudget& budget;
  const FitQuery& query;
  std::string resource;

  ResourceList Requests(int64_t x) const {
    ResourceList r;
    if (resource == "cpu") {
      r["cpu"] = Quantity::FromValue(x);
      r["memory"] = query.memory_floor;
    } else if (resource == "memory") {
      r["cpu"] = query.cpu_floor;
      r["memory"] = Quantity::FromValue(x, Quantity::Format::kBinarySI);
    } else {
      r["cpu"] = query.cpu_floor;
      r["memory"] = query.memory_floor;
      r[resource] = Quantity::FromValue(x, Quantity::Format::kBinarySI);
    }
    return r;
  }

  absl::StatusOr<Probe> Try(int64_t x) const {
    return internal::ProbeAdmission(policy_node, state, budget, internal::ProbePod(Requests(x)));
  }
};

// CPU sizes to try, descending: the free exclusive CPUs (every CPU under policy none), capped
// by the predicate's remainder.
std::vector<int64_t> CpuCandidates(const Node& node, const NodeState& state,
                                   const PredicateBudget& budget) {
  int64_t upper = Remaining(budget, "cpu", true) / 1000;
  if (node.config().cpu_manager_policy == "static") {
    upper = std::min<int64_t>(upper, (state.cpu.default_cpu_set - node.ReservedCpus()).Size());
  }
  std::vector<int64_t> out;
  for (int64_t x = upper; x >= 1; --x) out.push_back(x);
  return out;
}

uint64_t PageSize(const std::string& resource) {
  if (resource == "memory") return 1;
  absl::StatusOr<Quantity> q = Quantity::Parse(resource.substr(std::string("hugepages-").size()));
  return q.ok() && q->Value() > 0 ? static_cast<uint64_t>(q->Value()) : 1;
}

// Byte sizes to try, descending: the thresholds of §6.2 within the upper bound. Up to 8 NUMA
// nodes every mask is summed (exact); on bigger machines the masks the memory manager reaches
// in practice: single nodes, pairs, the existing groups, their union, the nodes without
// assignments (id-order prefixes) and the whole machine.
std::vector<int64_t> ByteCandidates(const NodeState& state, const PredicateBudget& budget,
                                    const std::string& resource) {
  const int64_t remaining = Remaining(budget, resource);
  const uint64_t page = PageSize(resource);
  std::vector<uint64_t> thresholds = {static_cast<uint64_t>(remaining)};
  std::map<int, std::pair<uint64_t, uint64_t>> tables;  // NUMA id -> (free, allocatable)
  std::vector<NumaMask> masks;
  NumaMask nodes, groups;
  std::vector<int> unassigned;  // nodes a multi-NUMA block may still span
  for (const MemoryNumaNodeState& n : state.memory.machine.nodes) {
    for (const MemoryResourceTable& t : n.memory) {
      if (t.resource.Name() != resource) continue;
      tables[n.id] = {t.table.free, t.table.allocatable};
      nodes.Set(n.id);
      if (n.number_of_assignments == 0) unassigned.push_back(n.id);
      masks.push_back(NumaMask::Single(n.id));
      if (n.cells.Count() > 1) {
        masks.push_back(n.cells);
        groups |= n.cells;
      }
    }
  }
  if (nodes.Count() <= kMaxEnumeratedNumaNodes) {
    masks.clear();
    const std::vector<int> ids = nodes.GetBits();
    for (uint64_t m = 1; m < (uint64_t{1} << ids.size()); ++m) {
      NumaMask mask;
      for (size_t i = 0; i < ids.size(); ++i) {
        if ((m >> i) & 1) mask.Set(ids[i]);
      }
      masks.push_back(mask);
    }
  } else {
    const std::vector<int> ids = nodes.GetBits();
    for (size_t i = 0; i < ids.size(); ++i) {
      for (size_t j = i + 1; j < ids.size(); ++j) masks.push_back(NumaMask{ids[i], ids[j]});
    }
    masks.push_back(groups);
    masks.push_back(nodes);
    // Blocks spanning nodes without assignments: every prefix in id order, which is the
    // order the memory manager fills and breaks ties in.
    NumaMask prefix;
    for (int id : unassigned) {
      prefix.Set(id);
      masks.push_back(prefix);
    }
  }
  uint64_t all_free = 0;
  for (const auto& [id, t] : tables) all_free += t.first;
  for (NumaMask m : masks) {
    uint64_t f = 0, a = 0;
    for (int id : m.GetBits()) {
      auto it = tables.find(id);
      if (it == tables.end()) continue;
      f += it->second.first;
      a += it->second.second;
    }
    thresholds.push_back(f);
    thresholds.push_back(a);
  }
  const uint64_t upper = state.memory.machine.empty()
                             ? static_cast<uint64_t>(remaining)
                             : std::min<uint64_t>(static_cast<uint64_t>(remaining), all_free);
  std::vector<int64_t> out;
  for (uint64_t t : thresholds) {
    t = std::min(t, upper) / page * page;
    if (t > 0 && t <= static_cast<uint64_t>(INT64_MAX)) out.push_back(static_cast<int64_t>(t));
  }
  std::sort(out.begin(), out.end(), std::greater<>());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Found {
  int64_t largest = 0;
  NumaMask numa;
  std::optional<FitOutcome> next;
};

absl::StatusOr<Found> Largest(const Search& search, const std::vector<int64_t>& candidates,
                              bool explain) {
  Found found;
  int64_t above = 0;  // the smallest refused candidate tried, for `next`
  FitOutcome refused;
  for (int64_t x : candidates) {
    PODALLOC_ASSIGN_OR_RETURN(Probe p, search.Try(x));
    if (p.outcome.admitted) {
      found.largest = x;
      found.numa = p.numa;
      break;
    }
    above = x;
    refused = p.outcome;
  }
  if (!explain) return found;
  if (above == 0) {
    // Nothing above was a candidate: the next size is one step (a CPU, a page) up.
    above = found.largest + static_cast<int64_t>(search.resource == "cpu" ? 1 : PageSize(search.resource));
    PODALLOC_ASSIGN_OR_RETURN(Probe p, search.Try(above));
    refused = p.outcome;
  }
  refused.value = above;
  found.next = refused;
  return found;
}

// The plugin's answer at every candidate (descending), and the kubelet's: refused above
// `largest` (the search tried those), admitted at it, probed below it until they disagree.
absl::StatusOr<PluginFit> PluginView(const Search& search, const std::vector<int64_t>& candidates,
                                     int64_t largest, const internal::PluginFilter& filter) {
  PluginFit fit;
  bool largest_found = false;
  for (int64_t x : candidates) {
    const bool plugin = filter.Accepts(search.Requests(x));
    if (plugin && !largest_found) {
      fit.largest = x;
      largest_found = true;
    }
    if (!fit.agrees) continue;
    bool kubelet = x == largest;
    if (x < largest) {
      PODALLOC_ASSIGN_OR_RETURN(Probe p, search.Try(x));
      kubelet = p.outcome.admitted;
    }
    if (plugin != kubelet) fit.agrees = false;
  }
  return fit;
}

std::vector<std::string> Resources(const PredicateBudget& budget) {
  std::vector<std::string> out = {"cpu"};
  for (const auto& [name, q] : budget.allocatable) {
    if (name == "memory" || (name.rfind("hugepages-", 0) == 0 && q.Sign() > 0)) out.push_back(name);
  }
  return out;
}

int64_t NrtAvailable(const Node& node, const NodeState& state, const std::string& resource) {
  if (resource == "cpu") {
    return node.config().cpu_manager_policy == "static"
               ? (state.cpu.default_cpu_set - node.ReservedCpus()).Size()
               : 0;
  }
  uint64_t sum = 0;
  for (const MemoryNumaNodeState& n : state.memory.machine.nodes) {
    for (const MemoryResourceTable& t : n.memory) {
      if (t.resource.Name() == resource) sum += t.table.free;
    }
  }
  return static_cast<int64_t>(std::min<uint64_t>(sum, INT64_MAX));
}

absl::StatusOr<PolicyFit> FitsUnder(const Node& node, const Node& policy_node,
                                    const NodeState& state, const PredicateBudget& budget,
                                    const FitQuery& query, const std::vector<NodeState>& views) {
  PolicyFit fit;
  fit.policy = policy_node.config().topology_manager_policy;
  fit.scope = policy_node.config().topology_manager_scope;
  fit.configured = &policy_node == &node;
  const std::optional<internal::PluginFilter> filter =
      fit.configured ? std::optional<internal::PluginFilter>(std::in_place, node, state)
                     : std::nullopt;
  for (const std::string& resource : Resources(budget)) {
    ResourceFit r;
    r.name = resource;
    r.available = NrtAvailable(node, state, resource);
    Search search{policy_node, state, budget, query, resource};
    auto candidates = [&](const NodeState& s) {
      return resource == "cpu" ? CpuCandidates(node, s, budget)
                               : ByteCandidates(s, budget, resource);
    };
    const std::vector<int64_t> overall_candidates = candidates(state);
    PODALLOC_ASSIGN_OR_RETURN(Found overall, Largest(search, overall_candidates, true));
    r.largest = overall.largest;
    if (filter.has_value()) {
      PODALLOC_ASSIGN_OR_RETURN(r.plugin,
                                PluginView(search, overall_candidates, overall.largest, *filter));
    }
    r.numa_affinity = overall.numa;
    r.next = overall.next;
    const std::vector<int>& ids = node.topology().NumaIds();
    for (size_t i = 0; i < views.size(); ++i) {
      Search zone{policy_node, views[i], budget, query, resource};
      PODALLOC_ASSIGN_OR_RETURN(Found z, Largest(zone, candidates(views[i]), false));
      r.zones.push_back(ZoneFit{ids[i], z.largest});
    }
    fit.resources.push_back(std::move(r));
  }
  return fit;
}

absl::StatusOr<std::unique_ptr<Node>> WhatIfNode(const Node& node, const std::string& policy,
                                                 const std::string& scope) {
  NodeConfig config = node.config();
  config.topology_manager_policy = policy;
  config.topology_manager_scope = scope;
  absl::StatusOr<std::unique_ptr<Node>> n = Node::Create(node.topology(), config);
  if (!n.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("what-if policy \"", policy, "\" scope \"",
                                                   scope, "\": ", n.status().message()));
  }
  return n;
}

ShapeFit FitShape(const Node& node, const NodeState& state, const PredicateBudget& budget,
                  const Pod& pod) {
  ShapeFit fit;
  fit.pod = absl::StrCat(pod.namespace_name, "/", pod.name);
  absl::StatusOr<Probe> p = internal::ProbeAdmission(node, state, budget, pod);
  if (!p.ok()) {
    fit.reason = "InvalidPod";
    fit.message = std::string(p.status().message());
    return fit;
  }
  fit.admitted = p->outcome.admitted;
  fit.reason = p->outcome.reason;
  fit.message = p->outcome.message;
  if (fit.admitted) {
    for (const ContainerDecision& c : p->decision.containers) {
      fit.containers.push_back(
          ShapePlacement{c.name, c.exclusive_cpus ? c.cpus : CpuSet(), c.memory_nodes});
    }
  }
  return fit;
}

}  // namespace

absl::StatusOr<FitReport> WhatStillFits(const Node& node, const FitQuery& query) {
  if (query.cpu_floor.Sign() <= 0 || query.memory_floor.Sign() <= 0) {
    return absl::InvalidArgumentError(
        "fit query: the cpu and memory floors must be positive (the probe pod is Guaranteed)");
  }
  const NodeSnapshot snapshot = node.Snapshot();
  const NodeState& state = snapshot.state;
  const PredicateBudget budget = internal::BudgetOf(node, state);
  std::vector<NodeState> views;
  if (query.zones) {
    for (int id : node.topology().NumaIds()) views.push_back(internal::ZoneView(node, state, id));
  }
  FitReport report;
  report.state_version = snapshot.version;
  report.fingerprint = PodFingerprint(internal::FingerprintPods(
      state, FingerprintMethod::kWithExclusiveResources, FingerprintRule::kPlugin, {}));
  PODALLOC_ASSIGN_OR_RETURN(PolicyFit configured,
                            FitsUnder(node, node, state, budget, query, views));
  report.results.push_back(std::move(configured));

  std::vector<std::pair<std::string, std::string>> pairs = query.what_if;
  if (query.all_policies) {
    for (const char* policy : {"none", "best-effort", "restricted", "single-numa-node"}) {
      for (const char* scope : {"container", "pod"}) pairs.emplace_back(policy, scope);
    }
  }
  std::vector<std::pair<std::string, std::string>> seen = {
      {node.config().topology_manager_policy, node.config().topology_manager_scope}};
  for (const auto& pair : pairs) {
    if (std::find(seen.begin(), seen.end(), pair) != seen.end()) continue;
    seen.push_back(pair);
    PODALLOC_ASSIGN_OR_RETURN(std::unique_ptr<Node> what_if,
                              WhatIfNode(node, pair.first, pair.second));
    PODALLOC_ASSIGN_OR_RETURN(PolicyFit fit,
                              FitsUnder(node, *what_if, state, budget, query, views));
    report.results.push_back(std::move(fit));
  }
  for (const Pod& shape : query.shapes) {
    report.shapes.push_back(FitShape(node, state, budget, shape));
  }
  return report;
}

}  // namespace podalloc
