// The non-preferred half of the merge. When no preferred permutation merges to a non-empty
// mask, the kubelet's pairwise compare amounts to a fixed ranking of the merged masks of all
// permutations: popcount k (best_non_preferred_affinity_count) first, then k-1 down to 1,
// then k+1 upwards, each popcount in the fitter order. We visit candidate masks X in that
// ranking and stop at the first one some permutation reaches, i.e. for which every list has
// an option a_i ⊇ X and together the options leave out every other machine node. Deciding
// that is a small covering problem over the nodes outside X, solved by backtracking with
// forward checking; it usually succeeds on its first branch.
#include <algorithm>
#include <bit>

#include "mask_search.h"
#include "merge_lists.h"

namespace podalloc::internal {
namespace {

int MinCount(const MergeList& l) {
  if (l.family != nullptr) return MinMemberCount(*l.family);
  int min = -1;
  for (NumaMask m : l.masks) {
    if (min < 0 || m.Count() < min) min = m.Count();
  }
  return min;
}

class Reachability {
 public:
  Reachability(const std::vector<MergeList>& lists, const MergeContext& ctx)
      : lists_(lists), all_(ctx.all.bits()) {}

  // The nodes every reachable X ⊇ lower must contain — each list's options containing lower
  // have them all in common — or nullopt when some list has no option containing lower.
  std::optional<uint64_t> Core(NumaMask lower) const {
    uint64_t core = all_;
    for (const MergeList& l : lists_) {
      if (l.family != nullptr) {
        if (!l.family->ExistsBetween(lower, ctx_all())) {
          if (!l.has_nil()) return std::nullopt;
          continue;
        }
        core &= l.family->CommonAbove(lower).bits();
        continue;
      }
      bool any = l.has_nil();
      uint64_t common = all_;
      for (NumaMask m : l.masks) {
        const uint64_t o = m.bits() & all_;
        if ((lower.bits() & ~o) == 0) {
          common &= o;
          any = true;
        }
      }
      if (!any) return std::nullopt;
      core &= common;
    }
    return core;
  }

  // Could a reachable mask of `count` nodes lie between lower and upper?
  bool MayReach(NumaMask lower, NumaMask upper, int count) const {
    const std::optional<uint64_t> core = Core(lower);
    return core && (*core & ~upper.bits()) == 0 && std::popcount(*core) <= count;
  }

  bool Reaches(NumaMask x) {
    x_ = x.bits();
    // Each list must offer options containing X whose common part is exactly X.
    if (Core(x) != x_) return false;
    options_.assign(lists_.size(), {});
    for (size_t i = 0; i < lists_.size(); ++i) {
      for (NumaMask m : lists_[i].masks) {
        const uint64_t o = m.bits() & all_;
        if ((x_ & ~o) == 0) options_[i].push_back(o);
      }
    }
    excluded_.assign(lists_.size(), 0);
    return Cover(all_ & ~x_);
  }

 private:
  NumaMask ctx_all() const { return NumaMask::FromBits(all_); }

  // Can list i pick an option containing X that leaves out every node of `avoid`?
  bool CanAvoid(size_t i, uint64_t avoid) const {
    const MergeList& l = lists_[i];
    if (avoid == 0) return true;  // Core(X) found an option containing X
    if (l.family != nullptr) {
      return l.family->ExistsBetween(NumaMask::FromBits(x_), NumaMask::FromBits(all_ & ~avoid));
    }
    for (uint64_t o : options_[i]) {
      if ((o & avoid) == 0) return true;
    }
    return false;
  }

  // Share the nodes of `rest` out among the lists, each node to one list that leaves it out.
  bool Cover(uint64_t rest) {
    if (rest == 0) return true;
    for (size_t i = 0; i < lists_.size(); ++i) {
      if (CanAvoid(i, excluded_[i] | rest)) return true;
    }
    // Branch on the node the fewest lists can still leave out.
    int pick = -1;
    size_t pick_takers = lists_.size() + 1;
    for (uint64_t b = rest; b != 0; b &= b - 1) {
      const uint64_t bit = b & (~b + 1);
      size_t takers = 0;
      for (size_t i = 0; i < lists_.size(); ++i) takers += CanAvoid(i, excluded_[i] | bit);
      if (takers == 0) return false;
      if (takers < pick_takers) {
        pick_takers = takers;
        pick = std::countr_zero(b);
      }
    }
    const uint64_t bit = uint64_t{1} << pick;
    for (size_t i = 0; i < lists_.size(); ++i) {
      if (!CanAvoid(i, excluded_[i] | bit)) continue;
      excluded_[i] |= bit;
      const bool ok = Cover(rest & ~bit);
      excluded_[i] &= ~bit;
      if (ok) return true;
    }
    return false;
  }

  const std::vector<MergeList>& lists_;
  uint64_t all_;
  uint64_t x_ = 0;
  std::vector<std::vector<uint64_t>> options_;
  std::vector<uint64_t> excluded_;
};

}  // namespace

std::optional<NumaMask> BestReachableMerge(const std::vector<MergeList>& lists,
                                           const MergeContext& ctx) {
  int k = 0;
  for (const MergeList& l : lists) k = std::max(k, MinCount(l));
  const int n = ctx.all.Count();
  std::vector<int> tiers;
  for (int c = std::min(k, n); c >= 1; --c) tiers.push_back(c);
  for (int c = k + 1; c <= n; ++c) tiers.push_back(c);

  Reachability reach(lists, ctx);
  auto accept = [&](NumaMask x) { return reach.Reaches(x); };
  for (int c : tiers) {
    auto may = [&](NumaMask lower, NumaMask upper) { return reach.MayReach(lower, upper, c); };
    std::optional<NumaMask> found =
        ctx.use_closest
            ? ClosestInTier(*ctx.numa, ctx.min_off_diagonal, NumaMask(), ctx.all, c, may, accept)
            : FirstInTier(NumaMask(), ctx.all, c, may, accept);
    if (found) return found;
  }
  return std::nullopt;
}

}  // namespace podalloc::internal
