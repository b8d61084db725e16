// The kubelet's merge steps on explicit lists (policy.go, policy_single_numa_node.go), kept
// literal so their own behaviour can be checked step by step.
#include "podalloc/hint_merge_steps.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {

absl::StatusOr<HintLists> FlattenProviderHints(const std::vector<ProviderHints>& providers) {
  HintLists out;
  for (size_t p = 0; p < providers.size(); ++p) {
    if (providers[p].resources.empty()) {
      out.push_back({TopologyHint::Any(true)});
      continue;
    }
    for (const auto& [resource, hints] : providers[p].resources) {
      std::vector<TopologyHint> list;
      if (hints.is_no_preference()) {
        list = {TopologyHint::Any(true)};
      } else if (hints.list() != nullptr) {
        list = *hints.list();
      } else if (hints.capacity() != nullptr) {
        absl::StatusOr<std::vector<TopologyHint>> expanded = ExpandHints(*hints.capacity());
        if (!expanded.ok()) return expanded.status();
        list = *std::move(expanded);
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "provider ", p, ", resource ", internal::QuoteInput(resource),
            ": an oracle cannot be listed"));
      }
      if (list.empty()) list = {TopologyHint::Any(false)};
      out.push_back(std::move(list));
    }
  }
  return out;
}

HintLists FilterSingleNumaHints(const HintLists& lists) {
  HintLists out;
  for (const std::vector<TopologyHint>& list : lists) {
    std::vector<TopologyHint> kept;
    for (const TopologyHint& h : list) {
      if (h.preferred && (!h.affinity || h.affinity->Count() == 1)) kept.push_back(h);
    }
    out.push_back(std::move(kept));
  }
  return out;
}

int MaxOfMinAffinityCounts(const HintLists& lists) {
  int max = 0;
  for (const std::vector<TopologyHint>& list : lists) {
    int min = -1;
    for (const TopologyHint& h : list) {
      if (h.affinity && (min < 0 || h.affinity->Count() < min)) min = h.affinity->Count();
    }
    if (min > max) max = min;
  }
  return max;
}

namespace {

// The merger's fitter: keeps `current` on equal masks.
CompareWinner Fitter(NumaMask current, NumaMask candidate, bool use_closest,
                     const NumaInfo& numa) {
  if (current == candidate) return CompareWinner::kCurrent;
  const NumaMask chosen = use_closest ? numa.Closest(current, candidate)
                                      : NumaInfo::Narrowest(current, candidate);
  return chosen == current ? CompareWinner::kCurrent : CompareWinner::kCandidate;
}

}  // namespace

CompareWinner CompareMergedHints(const std::optional<TopologyHint>& current,
                                 const TopologyHint& candidate, int k, bool use_closest,
                                 const NumaInfo& numa) {
  const NumaMask cand = candidate.affinity.value_or(NumaMask());
  if (cand.Count() == 0) return CompareWinner::kCurrent;
  if (!current) return CompareWinner::kCandidate;
  const NumaMask cur = current->affinity.value_or(NumaMask());
  if (!current->preferred && candidate.preferred) return CompareWinner::kCandidate;
  if (current->preferred && !candidate.preferred) return CompareWinner::kCurrent;
  if (current->preferred) return Fitter(cur, cand, use_closest, numa);
  const int c = cur.Count(), n = cand.Count();
  if (c > k) return Fitter(cur, cand, use_closest, numa);
  if (c == k) {
    return n == k && Fitter(cur, cand, use_closest, numa) == CompareWinner::kCandidate
               ? CompareWinner::kCandidate
               : CompareWinner::kCurrent;
  }
  if (n > k) return CompareWinner::kCurrent;
  if (n == k) return CompareWinner::kCandidate;
  if (n > c) return CompareWinner::kCandidate;
  if (n < c) return CompareWinner::kCurrent;
  return Fitter(cur, cand, use_closest, numa);
}

}  // namespace podalloc
