// File: lib/topology_manager/mask_search.h
// Searching the masks of one popcount ("tier") in the kubelet's preference order, with
// pruning. Masks with lower ⊆ M ⊆ upper and |M| == count are visited in increasing numeric
// value (the order IsNarrowerThan uses within a popcount) by fixing the highest bit first;
// `may(L, U)` is asked before every subtree (every mask below has L ⊆ M ⊆ U) and must answer
// false only when no acceptable mask lies there; `accept(M)` decides a complete mask.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <optional>

#include "podalloc/bitmask.h"
#include "podalloc/numa_info.h"

namespace podalloc::internal {

inline uint64_t BitsBelow(int h) { return h == 0 ? 0 : (~uint64_t{0} >> (64 - h)); }

template <typename May, typename Accept>
bool FirstInTierFrom(uint64_t chosen, uint64_t pool, int r, May& may, Accept& accept,
                     NumaMask* out) {
  if (r == 0) {
    if (!accept(NumaMask::FromBits(chosen))) return false;
    *out = NumaMask::FromBits(chosen);
    return true;
  }
  // The next bit is the highest of the r still to choose: the lowest such bit first.
  for (uint64_t cand = pool; cand != 0; cand &= cand - 1) {
    const int h = std::countr_zero(cand);
    const uint64_t below = pool & BitsBelow(h);
    if (std::popcount(below) < r - 1) continue;
    const uint64_t m = chosen | (uint64_t{1} << h);
    const uint64_t upper = r > 1 ? (m | below) : m;
    if (!may(NumaMask::FromBits(m), NumaMask::FromBits(upper))) continue;
    if (FirstInTierFrom(m, below, r - 1, may, accept, out)) return true;
  }
  return false;
}

// The numerically smallest accepted mask of the tier.
template <typename May, typename Accept>
std::optional<NumaMask> FirstInTier(NumaMask lower, NumaMask upper, int count, May&& may,
                                    Accept&& accept) {
  if (!lower.IsSubsetOf(upper)) return std::nullopt;
  const uint64_t pool = upper.bits() & ~lower.bits();
  const int r = count - lower.Count();
  if (r < 0 || std::popcount(pool) < r) return std::nullopt;
  if (!may(lower, r == 0 ? lower : upper)) return std::nullopt;
  NumaMask out;
  if (FirstInTierFrom(lower.bits(), pool, r, may, accept, &out)) return out;
  return std::nullopt;
}

// Branch and bound for prefer-closest-numa-nodes: the accepted mask of the tier with the
// smallest distance sum (hence smallest kubelet average, the popcount being fixed), ties to
// the numerically smaller mask — the order NUMAInfo.Closest gives.
template <typename May, typename Accept>
class ClosestTierSearch {
 public:
  ClosestTierSearch(const NumaInfo& numa, uint64_t min_off_diagonal, May& may, Accept& accept)
      : numa_(numa), min_off_(min_off_diagonal), may_(may), accept_(accept) {}

  std::optional<NumaMask> Run(NumaMask lower, NumaMask upper, int count) {
    if (!lower.IsSubsetOf(upper)) return std::nullopt;
    const uint64_t pool = upper.bits() & ~lower.bits();
    const int r = count - lower.Count();
    if (r < 0 || std::popcount(pool) < r) return std::nullopt;
    if (!may_(lower, r == 0 ? lower : upper)) return std::nullopt;
    best_.reset();
    best_sum_ = std::numeric_limits<uint64_t>::max();
    Visit(lower.bits(), numa_.DistanceSum(lower), pool, r);
    return best_;
  }

 private:
  uint64_t AddedBy(uint64_t chosen, int j) const {
    uint64_t s = numa_.distance(j, j);
    for (uint64_t b = chosen; b != 0; b &= b - 1) {
      const int i = std::countr_zero(b);
      s += numa_.distance(i, j) + numa_.distance(j, i);
    }
    return s;
  }
  // A lower bound of the sum of any completion of `chosen` by `r` nodes of `pool`.
  uint64_t LowerBound(uint64_t chosen, uint64_t sum, uint64_t pool, int r) const {
    if (r == 0) return sum;
    uint64_t costs[64];
    int n = 0;
    for (uint64_t b = pool; b != 0; b &= b - 1) costs[n++] = AddedBy(chosen, std::countr_zero(b));
    std::partial_sort(costs, costs + r, costs + n);
    uint64_t lb = sum;
    for (int i = 0; i < r; ++i) lb += costs[i];
    return lb + static_cast<uint64_t>(r) * static_cast<uint64_t>(r - 1) * min_off_;
  }
  void Visit(uint64_t chosen, uint64_t sum, uint64_t pool, int r) {
    if (r == 0) {
      if (sum < best_sum_ && accept_(NumaMask::FromBits(chosen))) {
        best_ = NumaMask::FromBits(chosen);
        best_sum_ = sum;
      }
      return;
    }
    for (uint64_t cand = pool; cand != 0; cand &= cand - 1) {
      const int h = std::countr_zero(cand);
      const uint64_t below = pool & BitsBelow(h);
      if (std::popcount(below) < r - 1) continue;
      const uint64_t m = chosen | (uint64_t{1} << h);
      const uint64_t s = sum + AddedBy(chosen, h);
      // Later masks are numerically larger, so a tie with the incumbent loses too.
      if (LowerBound(m, s, below, r - 1) >= best_sum_) continue;
      const uint64_t upper = r > 1 ? (m | below) : m;
      if (!may_(NumaMask::FromBits(m), NumaMask::FromBits(upper))) continue;
      Visit(m, s, below, r - 1);
    }
  }

  const NumaInfo& numa_;
  uint64_t min_off_;
  May& may_;
  Accept& accept_;
  std::optional<NumaMask> best_;
  uint64_t best_sum_ = 0;
};

template <typename May, typename Accept>
std::optional<NumaMask> ClosestInTier(const NumaInfo& numa, uint64_t min_off_diagonal,
                                      NumaMask lower, NumaMask upper, int count, May&& may,
                                      Accept&& accept) {
  ClosestTierSearch<May, Accept> search(numa, min_off_diagonal, may, accept);
  return search.Run(lower, upper, count);
}

}  // namespace podalloc::internal
