// The narrowest member of a capacity family. With one demand a greedy pick of the largest
// amounts decides each size exactly; with several (memory and hugepages) it is a small
// multi-dimensional covering search: nodes by decreasing combined share of the requests,
// include before exclude, cut as soon as some demand cannot be reached with the best amounts
// still available.
#include <algorithm>
#include <bit>
#include <climits>

#include "mask_family.h"

namespace podalloc::internal {
bool CapacityFamily::FitsFrom(const uint8_t* order, int len, int next, int need,
                              uint64_t remaining, uint64_t* sums) const {
  bool met = true;
  for (size_t d = 0; d < demands_.size(); ++d) {
    if (SaturatingAdd(sums[d], TopK(demands_[d], remaining, need)) < demands_[d].request) {
      return false;
    }
    met = met && sums[d] >= demands_[d].request;
  }
  if (need == 0 || met) return need <= std::popcount(remaining);  // up-closed: pad freely
  for (int i = next; i < len && len - i >= need; ++i) {
    const int n = order[i];
    remaining &= ~(uint64_t{1} << n);
    for (size_t d = 0; d < demands_.size(); ++d) sums[d] += demands_[d].amount[n];
    const bool ok = FitsFrom(order, len, i + 1, need - 1, remaining, sums);
    for (size_t d = 0; d < demands_.size(); ++d) sums[d] -= demands_[d].amount[n];
    if (ok) return true;
    // Excluding n: the bound on the remaining nodes is checked by the next call.
    if (need > std::popcount(remaining)) return false;
    bool reachable = true;
    for (size_t d = 0; d < demands_.size() && reachable; ++d) {
      reachable = SaturatingAdd(sums[d], TopK(demands_[d], remaining, need)) >=
                  demands_[d].request;
    }
    if (!reachable) return false;
  }
  return false;
}

bool CapacityFamily::Fits(uint64_t lower, uint64_t pool, int count) const {
  if ((lower & ~pool) != 0 || std::popcount(lower) > count || std::popcount(pool) < count) {
    return false;
  }
  uint64_t sums[8];
  std::vector<uint64_t> big_sums;
  uint64_t* s = sums;
  if (demands_.size() > 8) {
    big_sums.resize(demands_.size());
    s = big_sums.data();
  }
  for (size_t d = 0; d < demands_.size(); ++d) s[d] = Sum(demands_[d], lower);
  const uint64_t candidates = pool & ~lower;
  uint8_t order[64];
  double share[64] = {};
  int len = 0;
  for (uint64_t b = candidates; b != 0; b &= b - 1) {
    const int n = std::countr_zero(b);
    for (const Demand& d : demands_) {
      share[n] += static_cast<double>(d.amount[n]) / static_cast<double>(std::max<uint64_t>(1, d.request));
    }
    order[len++] = static_cast<uint8_t>(n);
  }
  std::stable_sort(order, order + len, [&](uint8_t a, uint8_t b) { return share[a] > share[b]; });
  return FitsFrom(order, len, 0, count - std::popcount(lower), candidates, s);
}

int CapacityFamily::MinCount() const {
  int best = INT_MAX;
  for (uint64_t b = nodes_.bits() & ~not_alone_; b != 0; b &= b - 1) {
    if (IsHint(NumaMask::FromBits(b & (~b + 1)))) return 1;
  }
  for (uint64_t s : specials_) {
    if (IsHint(NumaMask::FromBits(s))) best = std::min(best, std::popcount(s));
  }
  const uint64_t pool = free_multi_;
  if ((required_ & ~pool) == 0) {
    // No demand can be met with fewer nodes than its own greedy count.
    int k = std::max(2, std::popcount(required_));
    for (const Demand& d : demands_) {
      while (k <= std::popcount(pool) &&
             SaturatingAdd(Sum(d, required_), TopK(d, pool & ~required_,
                                                   k - std::popcount(required_))) < d.request) {
        ++k;
      }
    }
    for (; k < best && k <= std::popcount(pool); ++k) {
      if (Fits(required_, pool, k)) {
        best = k;
        break;
      }
    }
  }
  return best == INT_MAX ? -1 : best;
}

}  // namespace podalloc::internal
