// The prefer-align-cpus-by-uncorecache step of takeByTopologyNUMAPacked: whole free uncore
// caches while the request is at least CPUsPerUncore, then the remainder inside the first
// uncore cache (in the kubelet's order) that can hold all of it; otherwise nothing, and the
// core and thread steps finish the request.
#include <algorithm>
#include <vector>

#include "cpu_layout.h"

namespace podalloc::internal::cpu {
namespace {

void TakeFullUncore(Accumulator& a) {
  for (int u : a.FreeUncores()) {
    if (a.NeedsAtLeast(a.L.uncores.size[u])) a.TakeMask(a.L.uncores.mask(u, a.L.nw));
  }
}

void TakePartialUncore(Accumulator& a, int u) {
  const CpuLayoutData& L = a.L;
  const int per_core = L.cpus_per_core;
  if (per_core <= 0) return;  // the kubelet would divide by zero here
  const int cores_needed = (a.needed + per_core - 1) / per_core;

  // CoresNeededInUncoreCache: cores with a free CPU in this cache, lowest ids first.
  std::vector<int> cores;
  const uint64_t* mask = L.uncores.mask(u, L.nw);
  for (int i = 0; i < L.nw; ++i) {
    for (uint64_t b = a.free[i] & mask[i]; b != 0; b &= b - 1) {
      cores.push_back(L.core_of[i * 64 + std::countr_zero(b)]);
    }
  }
  std::sort(cores.begin(), cores.end());
  cores.erase(std::unique(cores.begin(), cores.end()), cores.end());
  if (static_cast<int>(cores.size()) > cores_needed) cores.resize(cores_needed);

  // Every free CPU of those cores, ascending.
  std::vector<int> cpus;
  for (int c : cores) {
    for (int i = L.core_cpu_begin[c]; i < L.core_cpu_begin[c + 1]; ++i) {
      if (TestBit(a.free.data(), L.core_cpus[i])) cpus.push_back(L.core_cpus[i]);
    }
  }
  std::sort(cpus.begin(), cpus.end());
  // An odd remainder with SMT needs one thread of the last core: drop its highest CPU.
  if (a.needed % 2 != 0 && per_core > 1 && static_cast<int>(cpus.size()) > a.needed) {
    cpus.pop_back();
  }
  if (static_cast<int>(cpus.size()) != a.needed) return;
  Words w{};
  for (int cpu : cpus) w[cpu >> 6] |= uint64_t{1} << (cpu & 63);
  a.TakeWords(w);
}

}  // namespace

void TakeUncoreCache(Accumulator& a) {
  for (int u : a.SortedUncores()) {
    if (a.NeedsAtLeast(a.L.cpus_per_uncore)) TakeFullUncore(a);
    if (a.IsSatisfied()) return;
    TakePartialUncore(a, u);
    if (a.IsSatisfied()) return;
  }
}

}  // namespace podalloc::internal::cpu
