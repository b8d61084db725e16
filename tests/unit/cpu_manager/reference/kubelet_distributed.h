// File: tests/unit/cpu_manager/reference/kubelet_distributed.h
// A literal, brute-force model of the kubelet's takeByTopologyNUMADistributed
// (cpu_assignment.go): every k-combination of the NUMA list through iterateCombinations, every
// remainder subset of each, maps keyed by NUMA node, and Go's append() replayed on shared
// backing arrays so the kept "best" slices read as they do in Go. Exponential by design (about
// 3^N for N NUMA nodes) — the oracle the table search of lib/cpu_manager is checked against.
// Shares with lib/cpu_manager the accumulator (sorted NUMA list, free counts), the packed take
// the kubelet calls per NUMA node, and the balance score's arithmetic.
#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/cpu_assignment.h"

namespace podalloc::reference {

// A Go []int: a backing array shared by the slices appended from it, and a length.
struct GoSlice {
  std::shared_ptr<std::vector<int>> array;
  int len = 0;
  int cap() const { return array ? static_cast<int>(array->size()) : 0; }
  std::vector<int> Elements() const {
    return array ? std::vector<int>(array->begin(), array->begin() + len) : std::vector<int>();
  }
};

// append(s, value) with Go's growth below 256 elements (capacity 0, 1, 2, 4, 8, ...).
GoSlice Append(const GoSlice& s, int value);

// iterateCombinations(n, k, f); f returns true to Break.
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

// The kubelet's takeByTopologyNUMADistributed, walked in full.
absl::StatusOr<CpuSet> KubeletTakeDistributed(const CpuLayout& layout, const CpuSet& available,
                                              int num_cpus, int group,
                                              CpuSortingStrategy strategy);

}  // namespace podalloc::reference
