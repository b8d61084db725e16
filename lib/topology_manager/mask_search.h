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

// For every machine node j, the machine's nodes by increasing distance towards j (the
// closest search's lower bound reads it). Built once per merge.
struct IncomingOrder {
  explicit IncomingOrder(const NumaInfo& numa) {
    const std::vector<int>& nodes = numa.nodes();
    len = static_cast<int>(nodes.size());
    for (int j : nodes) {
      uint8_t* row = by_node[j];
      for (int k = 0; k < len; ++k) row[k] = static_cast<uint8_t>(nodes[k]);
      std::stable_sort(row, row + len, [&](uint8_t a, uint8_t b) {
        return numa.distance(a, j) < numa.distance(b, j);
      });
    }
  }
  uint8_t by_node[64][64] = {};
  int len = 0;
};

// Branch and bound for prefer-closest-numa-nodes: the accepted mask of the tier with the
// smallest distance sum (hence smallest kubelet average, the popcount being fixed), ties to
// the numerically smaller mask — the order NUMAInfo.Closest gives.
template <typename May, typename Accept>
class ClosestTierSearch {
 public:
  ClosestTierSearch(const NumaInfo& numa, const IncomingOrder& incoming, May& may,
                    Accept& accept)
      : numa_(numa), incoming_(incoming), may_(may), accept_(accept) {}

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
  // A lower bound of the sum of any completion of `chosen` by `r` nodes R of `pool`: each
  // j in R adds its diagonal, its pairs with `chosen`, and at least the r-1 smallest
  // distances into j from the rest of the pool.
  uint64_t LowerBound(uint64_t chosen, uint64_t sum, uint64_t pool, int r) const {
    if (r == 0) return sum;
    uint64_t costs[64];
    int n = 0;
    for (uint64_t b = pool; b != 0; b &= b - 1) {
      const int j = std::countr_zero(b);
      uint64_t c = AddedBy(chosen, j);
      int want = r - 1;
      for (int k = 0; k < incoming_.len && want > 0; ++k) {
        const int i = incoming_.by_node[j][k];
        if (i != j && ((pool >> i) & 1u)) {
          c += numa_.distance(i, j);
          --want;
        }
      }
      costs[n++] = c;
    }
    std::partial_sort(costs, costs + r, costs + n);
    uint64_t lb = sum;
    for (int i = 0; i < r; ++i) lb += costs[i];
    return lb;
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
  const IncomingOrder& incoming_;
  May& may_;
  Accept& accept_;
  std::optional<NumaMask> best_;
  uint64_t best_sum_ = 0;
};

template <typename May, typename Accept>
std::optional<NumaMask> ClosestInTier(const NumaInfo& numa, const IncomingOrder& incoming,
                                      NumaMask lower, NumaMask upper, int count, May&& may,
                                      Accept&& accept) {
  ClosestTierSearch<May, Accept> search(numa, incoming, may, accept);
  return search.Run(lower, upper, count);
}

}  // namespace podalloc::internal
