// File: bench/bench_hints.h
// Hints the benchmarks share: one provider's capacity family over N NUMA nodes, as the CPU
// and memory managers build them (per-node capacity and free amounts, one request).
#pragma once

#include <cstdint>
#include <vector>

#include "podalloc/hint.h"

namespace podalloc::bench {

inline CapacityHints CapacityFamilyOf(int n, const std::vector<uint64_t>& capacity,
                                      const std::vector<uint64_t>& available, uint64_t request) {
  CapacityHints f;
  f.nodes = NumaMask::FirstN(n);
  CapacityDemand d;
  d.available = available;
  d.request = request;
  f.demands.push_back(d);
  f.preferred_size = MinAffinitySize({capacity}, {request}, f.nodes);
  return f;
}

}  // namespace podalloc::bench
