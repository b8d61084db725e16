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
      : lists_(lists), ctx_(ctx), all_(ctx.all.bits()) {}

  // The nodes all of list i's options containing `lower` share; nullopt when it has none.
  std::optional<uint64_t> ListCore(size_t i, NumaMask lower) const {
    const MergeList& l = lists_[i];
    if (l.family != nullptr) {
      if (!l.family->ExistsBetween(lower, ctx_all())) return std::nullopt;
      return l.family->CommonAbove(lower).bits();
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
    return common;
  }

  // Does list i have an option a with lower ⊆ a ∧ default ⊆ upper (of `count` nodes when
  // count >= 0; a relaxation for families)?
  bool OptionWithin(size_t i, NumaMask lower, uint64_t upper, int count) const {
    const MergeList& l = lists_[i];
    if (l.family != nullptr) {
      return count < 0 ? l.family->ExistsBetween(lower, NumaMask::FromBits(upper))
                       : l.family->MayExist(lower, NumaMask::FromBits(upper), count, false);
    }
    if (l.has_nil() && (all_ & ~upper) == 0 && (count < 0 || std::popcount(all_) == count)) {
      return true;
    }
    for (NumaMask m : l.masks) {
      const uint64_t o = m.bits() & all_;
      if ((lower.bits() & ~o) == 0 && (o & ~upper) == 0 &&
          (count < 0 || std::popcount(o) == count)) {
        return true;
      }
    }
    return false;
  }

  // The nodes every reachable X ⊇ lower must contain, or nullopt when some list has no
  // option containing lower.
  std::optional<uint64_t> Core(NumaMask lower) const {
    uint64_t core = all_;
    for (size_t i = 0; i < lists_.size(); ++i) {
      const std::optional<uint64_t> c = ListCore(i, lower);
      if (!c) return std::nullopt;
      core &= *c;
    }
    return core;
  }

  // Could a reachable mask X of `count` nodes lie between lower and upper? X contains every
  // list's core; and list i's option, which contains X, may only hold nodes outside upper that
  // some other list can leave out — when no other list can leave out anything beyond lower,
  // that option is X itself.
  bool MayReach(NumaMask lower, NumaMask upper, int count) {
    if (!ctx_.Spend()) return false;
    const size_t r = lists_.size();
    excludable_.resize(r);
    uint64_t core = all_;
    for (size_t i = 0; i < r; ++i) {
      const std::optional<uint64_t> c = ListCore(i, lower);
      if (!c) return false;
      core &= *c;
      excludable_[i] = all_ & ~*c;
    }
    if ((core & ~upper.bits()) != 0 || std::popcount(core) > count) return false;
    suffix_.assign(r + 1, 0);
    for (size_t i = r; i-- > 0;) suffix_[i] = suffix_[i + 1] | excludable_[i];
    uint64_t prefix = 0;
    for (size_t i = 0; i < r; ++i) {
      const uint64_t others = prefix | suffix_[i + 1];
      prefix |= excludable_[i];
      const uint64_t allowed = upper.bits() | others;
      if ((all_ & ~allowed) == 0) continue;
      const bool is_x = (others & ~lower.bits()) == 0;
      if (!OptionWithin(i, lower, allowed & all_, is_x ? count : -1)) return false;
    }
    return true;
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
    if (!ctx_.Spend()) return false;
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
  const MergeContext& ctx_;
  uint64_t all_;
  uint64_t x_ = 0;
  std::vector<std::vector<uint64_t>> options_;
  std::vector<uint64_t> excluded_;
  std::vector<uint64_t> excludable_, suffix_;
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
            ? ClosestInTier(*ctx.numa, *ctx.incoming, NumaMask(), ctx.all, c, may, accept)
            : FirstInTier(NumaMask(), ctx.all, c, may, accept);
    if (found) return found;
  }
  return std::nullopt;
}

}  // namespace podalloc::internal
