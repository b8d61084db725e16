// File: lib/cpu_manager/go_combinations.h (private to the cpu_manager module)
// The kubelet's iterateCombinations, including the way Go's append() shares backing arrays
// between the slices it hands to the callback: a slice kept by the callback may later show
// the elements of another combination (from 4 elements on). GoSlice replays append (capacity
// 0, 1, 2, 4, 8, ...; written in place while it fits) so kept slices read as in Go.
#pragma once

#include <memory>
#include <vector>

namespace podalloc::internal::cpu {

struct GoSlice {
  std::shared_ptr<std::vector<int>> array;
  int len = 0;
  int cap() const { return array ? static_cast<int>(array->size()) : 0; }
  int operator[](int i) const { return (*array)[i]; }
  std::vector<int> Elements() const {
    return array ? std::vector<int>(array->begin(), array->begin() + len) : std::vector<int>();
  }
};

inline GoSlice Append(const GoSlice& s, int value) {
  if (s.len < s.cap()) {
    (*s.array)[s.len] = value;
    return GoSlice{s.array, s.len + 1};
  }
  const int new_cap = s.cap() == 0 ? 1 : 2 * s.cap();  // Go's growth below 256 elements
  auto grown = std::make_shared<std::vector<int>>(new_cap, 0);
  for (int i = 0; i < s.len; ++i) (*grown)[i] = (*s.array)[i];
  (*grown)[s.len] = value;
  return GoSlice{grown, s.len + 1};
}

// Returns true when f asked to stop (the kubelet's Break).
template <typename F>
bool IterateHelper(const std::vector<int>& n, int k, int start, const GoSlice& accum, F& f) {
  if (k == 0) return f(accum);
  for (int i = start; i <= static_cast<int>(n.size()) - k; ++i) {
    if (IterateHelper(n, k - 1, i + 1, Append(accum, n[i]), f)) return true;
  }
  return false;
}

template <typename F>
void IterateCombinations(const std::vector<int>& n, int k, F f) {
  if (k < 1) return;
  IterateHelper(n, k, 0, GoSlice{}, f);
}

}  // namespace podalloc::internal::cpu
