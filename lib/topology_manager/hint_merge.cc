// MergeHints: the kubelet's policies (policy_best_effort.go, policy_restricted.go,
// policy_single_numa_node.go) on top of the two halves of the merge. Builds the flattened
// lists, applies the single-NUMA filter, then takes the best preferred merge if any, else the
// best reachable one, else the default affinity — the same result the kubelet's walk of the
// cross product reaches.
#include <algorithm>
#include <deque>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "merge_lists.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/topology_manager.h"

namespace podalloc {
namespace {

using internal::MergeList;

constexpr int64_t kMergeSearchSteps = int64_t{1} << 16;

bool Less(NumaMask a, NumaMask b) { return a.IsLessThan(b); }

void SortDistinct(std::vector<NumaMask>* v) {
  std::sort(v->begin(), v->end(), Less);
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

struct FamilyStore {
  std::deque<internal::CapacityFamily> capacity;
  std::deque<internal::OracleFamily> oracle;
};

// One list per resource with something to say; a resource without preference (or a provider
// without resources) offers only {nil, preferred}, which changes no merge and is left out.
absl::Status BuildLists(const std::vector<ProviderHints>& providers, NumaMask all,
                        FamilyStore* store, std::vector<MergeList>* lists) {
  for (size_t p = 0; p < providers.size(); ++p) {
    for (const auto& [resource, hints] : providers[p].resources) {
      MergeList l;
      const internal::MaskFamily* family = nullptr;
      if (hints.is_no_preference()) continue;
      if (const std::vector<TopologyHint>* list = hints.list()) {
        if (list->empty()) l.nil_not_preferred = true;  // "no possible alignment"
        for (const TopologyHint& h : *list) {
          if (!h.affinity) {
            (h.preferred ? l.nil_preferred : l.nil_not_preferred) = true;
            continue;
          }
          l.masks.push_back(*h.affinity);
          if (h.preferred) l.preferred_masks.push_back(*h.affinity);
        }
        SortDistinct(&l.masks);
        SortDistinct(&l.preferred_masks);
      } else if (const CapacityHints* cap = hints.capacity()) {
        family = &store->capacity.emplace_back(*cap);
      } else if (const HintOracle* oracle = hints.oracle()) {
        family = &store->oracle.emplace_back(*oracle);
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("provider ", p, ", resource ", internal::QuoteInput(resource),
                         ": null hint oracle"));
      }
      if (family != nullptr) {
        if (!family->nodes().IsSubsetOf(all)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "provider ", p, ", resource ", internal::QuoteInput(resource),
              ": hints over NUMA nodes ",
              family->nodes().ToList(), " but the machine has ", all.ToList()));
        }
        // A family without members is the kubelet's empty list.
        if (family->ExistsBetween(NumaMask(), family->nodes())) {
          l.family = family;
        } else {
          l.nil_not_preferred = true;
        }
      }
      lists->push_back(std::move(l));
    }
  }
  return absl::OkStatus();
}

// filterSingleNumaHints: only preferred hints with a nil or single-node affinity survive.
// Returns false when a list loses every option (then no permutation exists at all).
bool FilterSingleNuma(std::vector<MergeList>* lists) {
  for (MergeList& l : *lists) {
    MergeList kept;
    kept.nil_preferred = l.nil_preferred;
    if (l.family != nullptr) {
      for (uint64_t b = l.family->nodes().bits(); b != 0; b &= b - 1) {
        const NumaMask single = NumaMask::FromBits(b & (~b + 1));
        if (l.family->IsHint(single) && l.family->IsPreferred(single)) {
          kept.masks.push_back(single);
        }
      }
    } else {
      for (NumaMask m : l.preferred_masks) {
        if (m.Count() == 1) kept.masks.push_back(m);
      }
    }
    kept.preferred_masks = kept.masks;
    if (!kept.nil_preferred && kept.masks.empty()) return false;
    l = std::move(kept);
  }
  return true;
}

}  // namespace

absl::StatusOr<MergeResult> MergeHints(const std::vector<ProviderHints>& providers,
                                       TopologyPolicy policy, const NumaInfo& numa,
                                       const TopologyPolicyOptions& options) {
  if (policy == TopologyPolicy::kNone) return MergeResult{TopologyHint::Any(false), true};
  internal::MergeContext ctx;
  ctx.numa = &numa;
  ctx.all = numa.default_affinity();
  ctx.use_closest = options.prefer_closest_numa && policy != TopologyPolicy::kSingleNumaNode;
  std::optional<internal::IncomingOrder> incoming;
  if (ctx.use_closest) {
    if (!numa.has_distances()) {
      return absl::FailedPreconditionError(
          "prefer-closest-numa-nodes needs NUMA distances, and the NUMA info has none");
    }
    ctx.incoming = &incoming.emplace(numa);
  }

  FamilyStore store;
  std::vector<MergeList> lists;
  if (absl::Status s = BuildLists(providers, ctx.all, &store, &lists); !s.ok()) return s;
  // Up to the kubelet's default limit of 8 nodes every search is small and runs to the end;
  // beyond it a pathological input stops at a fixed number of steps.
  internal::SearchBudget budget{kMergeSearchSteps};
  if (numa.num_nodes() > kDefaultMaxAllowableNumaNodes) {
    ctx.budget = &budget;
    for (auto& f : store.capacity) f.set_budget(&budget);
    for (auto& f : store.oracle) f.set_budget(&budget);
  }

  TopologyHint best = TopologyHint::Of(ctx.all, false);
  const bool permutations =
      policy != TopologyPolicy::kSingleNumaNode || FilterSingleNuma(&lists);
  if (permutations) {
    if (auto m = internal::BestPreferredMerge(lists, ctx)) {
      best = TopologyHint::Of(*m, true);
    } else if (auto r = internal::BestReachableMerge(lists, ctx)) {
      best = TopologyHint::Of(*r, false);
    }
  }
  if (budget.exhausted()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "merging the hints over ", numa.num_nodes(), " NUMA nodes needs more than ",
        kMergeSearchSteps, " search steps; the merge stops there rather than stall admission"));
  }
  // single-numa-node reports "the whole machine" as no affinity at all.
  if (policy == TopologyPolicy::kSingleNumaNode && best.affinity == ctx.all) {
    best.affinity.reset();
  }
  return MergeResult{best, PolicyAdmits(policy, best)};
}

}  // namespace podalloc
