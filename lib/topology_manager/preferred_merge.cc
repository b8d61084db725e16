// The preferred half of the merge. A kubelet permutation merges to a preferred hint exactly
// when every hint in it is preferred and all its non-nil affinities are one mask A; the
// merged affinity is then default ∧ A (or default when all are nil). So instead of walking
// the cross product we look for the best A that every list offers as preferred (or can skip
// with a preferred nil) — by listing one strict list's candidates when it is explicit, or by
// searching masks in preference order when only rule-based families are strict.
#include <algorithm>

#include "mask_search.h"
#include "merge_lists.h"

namespace podalloc::internal {

bool MergeContext::Better(NumaMask a, NumaMask b) const {
  if (a.Count() != b.Count()) return a.Count() < b.Count();
  if (use_closest) {
    const uint64_t da = numa->DistanceSum(a), db = numa->DistanceSum(b);
    if (da != db) return da < db;
  }
  return a.IsLessThan(b);
}

namespace {

bool OffersPreferred(const MergeList& list, NumaMask a) {
  if (list.nil_preferred) return true;
  if (list.family != nullptr) {
    return a.IsSubsetOf(list.family->nodes()) && list.family->IsHint(a) &&
           list.family->IsPreferred(a);
  }
  return std::binary_search(list.preferred_masks.begin(), list.preferred_masks.end(), a,
                            [](NumaMask x, NumaMask y) { return x.IsLessThan(y); });
}

void Consider(const MergeContext& ctx, NumaMask affinity, std::optional<NumaMask>* best) {
  const NumaMask merged = affinity & ctx.all;
  if (merged.IsEmpty()) return;  // an empty merge never wins
  if (!*best || ctx.Better(merged, **best)) *best = merged;
}

// Every strict list is a family: search the masks they all accept, tier by tier.
std::optional<NumaMask> SearchFamilies(const std::vector<MergeList>& lists,
                                       const MergeContext& ctx) {
  std::vector<const MaskFamily*> families;
  NumaMask upper = ctx.all;
  for (const MergeList& l : lists) {
    if (l.family != nullptr) {
      families.push_back(l.family);
      upper &= l.family->nodes();
    }
  }
  auto accept = [&](NumaMask m) {
    for (const MaskFamily* f : families) {
      if (!f->IsHint(m) || !f->IsPreferred(m)) return false;
    }
    return true;
  };
  for (int c = 1; c <= upper.Count(); ++c) {
    auto may = [&](NumaMask l, NumaMask u) {
      if (!ctx.Spend()) return false;
      for (const MaskFamily* f : families) {
        if (!f->MayExist(l, u, c, true)) return false;
      }
      return true;
    };
    std::optional<NumaMask> found =
        ctx.use_closest
            ? ClosestInTier(*ctx.numa, *ctx.incoming, NumaMask(), upper, c, may, accept)
            : FirstInTier(NumaMask(), upper, c, may, accept);
    if (found) return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<NumaMask> BestPreferredMerge(const std::vector<MergeList>& lists,
                                           const MergeContext& ctx) {
  const MergeList* strict = nullptr;  // the explicit list without a preferred nil, fewest masks
  bool strict_family = false;
  for (const MergeList& l : lists) {
    if (l.nil_preferred) continue;
    if (l.family != nullptr) {
      strict_family = true;
    } else if (strict == nullptr || l.preferred_masks.size() < strict->preferred_masks.size()) {
      strict = &l;
    }
  }
  std::optional<NumaMask> best;
  if (strict != nullptr) {
    for (NumaMask a : strict->preferred_masks) {
      bool everywhere = true;
      for (const MergeList& l : lists) {
        if (&l != strict && !OffersPreferred(l, a)) {
          everywhere = false;
          break;
        }
      }
      if (everywhere) Consider(ctx, a, &best);
    }
    return best;
  }
  if (strict_family) return SearchFamilies(lists, ctx);
  // Every list can answer with a preferred nil: the all-nil permutation merges to the default
  // affinity, and any preferred mask of one list pairs with nils elsewhere.
  Consider(ctx, ctx.all, &best);
  for (const MergeList& l : lists) {
    for (NumaMask a : l.preferred_masks) Consider(ctx, a, &best);
  }
  return best;
}

}  // namespace podalloc::internal
