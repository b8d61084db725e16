// File: lib/cpu_manager/go_combinations.h (private to the cpu_manager module)
// What a combination kept by the kubelet's iterateCombinations callback reads once the
// enumeration has moved on. The helper builds each combination with append() on the slice of
// its prefix, and Go's append writes in place while the backing array has room (capacity 1, 2,
// 4, 8, ... for []int). A slice of k elements therefore owns only the first p elements of its
// array, p being the length at which that array was allocated (1, 2, 3, 5, 9, 17, 33, 65); the
// later positions are shared with every combination of the same p-prefix and end up holding
// the last such combination the enumeration wrote. From 4 elements on, the kept "best" NUMA
// combination can name other NUMA nodes than the one that scored best.
#pragma once

#include <algorithm>
#include <optional>
#include <vector>

namespace podalloc::internal::cpu {

// Length of the prefix a combination of `size` elements owns: the largest 2^j + 1 (or 1)
// not above `size`.
inline int GoOwnedPrefix(int size) {
  int owned = 1;
  for (int allocated = 2; allocated <= size; allocated = (allocated - 1) * 2 + 1) {
    owned = allocated;
  }
  return size == 0 ? 0 : owned;
}

// The next k-combination of positions 0..n-1 in the kubelet's (lexicographic) order, or
// nullopt after the last one.
inline std::optional<std::vector<int>> NextCombination(std::vector<int> c, int n) {
  const int k = static_cast<int>(c.size());
  int i = k - 1;
  while (i >= 0 && c[i] == n - k + i) --i;
  if (i < 0) return std::nullopt;
  ++c[i];
  for (int j = i + 1; j < k; ++j) c[j] = c[j - 1] + 1;
  return c;
}

// The positions a kept combination of positions 0..n-1 reads once the enumeration stopped
// after writing `stopped_at` (the kubelet's Break; not before `kept`), or ran to the end when
// `stopped_at` is null: the last combination written with the same owned prefix.
inline std::vector<int> ReadKeptCombination(const std::vector<int>& kept, int n,
                                            const std::vector<int>* stopped_at) {
  const int k = static_cast<int>(kept.size());
  const int owned = GoOwnedPrefix(k);
  if (owned >= k) return kept;
  if (stopped_at != nullptr &&
      std::equal(kept.begin(), kept.begin() + owned, stopped_at->begin())) {
    return *stopped_at;
  }
  // Every combination with this prefix was written; the last one ends with the last positions.
  std::vector<int> out(kept.begin(), kept.begin() + owned);
  for (int p = n - (k - owned); p < n; ++p) out.push_back(p);
  return out;
}

}  // namespace podalloc::internal::cpu
