// takeByTopologyNUMAPacked: whole first-level entities, whole second-level entities,
// (optionally) uncore caches, whole cores, then single threads.
//
// On tree-shaped topologies the core and thread steps walk the kubelet's hierarchical lists
// lazily: the order of the groups is fixed when the step starts, and a group's cores are
// sorted only when the walk reaches it. Takes only touch cores of groups already walked, so
// every sort key is still the one the kubelet computed up front, and the walk stops as soon as
// no further take is possible. Small requests on large machines touch one NUMA node.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cpu_layout.h"

namespace podalloc {
namespace internal::cpu {
namespace {

bool Lazy(const Accumulator& a) { return a.L.tree && !a.materialize; }

}  // namespace

void TakeFullNumaNodes(Accumulator& a) {
  if (!a.NeedsAtLeast(a.L.numas.min_size) || a.L.numas.count() == 0) return;
  for (int n : a.FreeNumas()) {
    if (a.NeedsAtLeast(a.L.numas.size[n])) a.TakeMask(a.L.numas.mask(n, a.L.nw));
  }
}

void TakeFullSockets(Accumulator& a) {
  if (!a.NeedsAtLeast(a.L.sockets.min_size) || a.L.sockets.count() == 0) return;
  for (int s : a.FreeSockets()) {
    // The whole socket of the topology is taken, as the kubelet does.
    if (a.NeedsAtLeast(a.L.sockets.size[s])) a.TakeMask(a.L.sockets.mask(s, a.L.nw));
  }
}

void TakeFullCores(Accumulator& a) {
  const CpuLayoutData& L = a.L;
  if (!a.NeedsAtLeast(L.cores.min_size) || L.cores.count() == 0) return;
  if (!Lazy(a)) {
    for (int c : a.FreeCores()) {
      if (a.NeedsAtLeast(L.cores.size[c])) a.TakeMask(L.cores.mask(c, L.nw));
    }
    return;
  }
  // Free cores share one sort key (CPUsPerCore free CPUs), so within a group they come in
  // ascending id order: no sort is needed.
  for (int g : a.CoreGroups()) {
    for (int c : a.CoresOfGroup(g)) {
      const int free = a.CoreFree(c);
      if (free == 0 || free != L.cpus_per_core) continue;
      if (a.NeedsAtLeast(L.cores.size[c])) a.TakeMask(L.cores.mask(c, L.nw));
      if (!a.NeedsAtLeast(L.cores.min_size)) return;
    }
  }
}

void TakeRemainingCpus(Accumulator& a) {
  const CpuLayoutData& L = a.L;
  if (!Lazy(a)) {
    for (int cpu : a.OrderedCpus()) {
      a.TakeCpu(cpu);
      if (a.IsSatisfied()) return;
    }
    return;
  }
  if (a.strategy == CpuSortingStrategy::kSpread) {
    for (int s : a.SortedSockets()) {
      const uint64_t* mask = L.sockets.mask(s, L.nw);
      Words snapshot{};
      for (int i = 0; i < L.nw; ++i) snapshot[i] = a.free[i] & mask[i];
      for (int i = 0; i < L.nw; ++i) {
        for (uint64_t b = snapshot[i]; b != 0; b &= b - 1) {
          a.TakeCpu(i * 64 + std::countr_zero(b));
          if (a.IsSatisfied()) return;
        }
      }
    }
    return;
  }
  std::vector<std::pair<int, int>> keyed;
  for (int g : a.CoreGroups()) {
    keyed.clear();
    for (int c : a.CoresOfGroup(g)) {
      const int free = a.CoreFree(c);
      if (free > 0) keyed.emplace_back(free, c);
    }
    std::sort(keyed.begin(), keyed.end());
    for (const auto& [unused, c] : keyed) {
      for (int i = L.core_cpu_begin[c]; i < L.core_cpu_begin[c + 1]; ++i) {
        const int cpu = L.core_cpus[i];
        if (!TestBit(a.free.data(), cpu)) continue;
        a.TakeCpu(cpu);
        if (a.IsSatisfied()) return;
      }
    }
  }
}

namespace {

absl::StatusOr<CpuSet> RunPacked(Accumulator& acc, const CpuSet& available, int num_cpus,
                                 bool prefer_uncore) {
  if (acc.IsSatisfied()) return CpuSet();
  if (acc.IsFailed()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("not enough cpus available to satisfy request: requested=", num_cpus,
                     ", available=", available.Size()));
  }
  const CpuLayoutData& L = acc.L;
  auto result = [&] { return WordsToCpuSet(acc.result, L.nw); };
  if (L.numa_first) {
    TakeFullNumaNodes(acc);
    if (acc.IsSatisfied()) return result();
    TakeFullSockets(acc);
  } else {
    TakeFullSockets(acc);
    if (acc.IsSatisfied()) return result();
    TakeFullNumaNodes(acc);
  }
  if (acc.IsSatisfied()) return result();
  if (prefer_uncore) {
    TakeUncoreCache(acc);
    if (acc.IsSatisfied()) return result();
  }
  if (acc.strategy != CpuSortingStrategy::kSpread) {
    TakeFullCores(acc);
    if (acc.IsSatisfied()) return result();
  }
  TakeRemainingCpus(acc);
  if (acc.IsSatisfied()) return result();
  return absl::InternalError("failed to allocate cpus");
}

}  // namespace

absl::StatusOr<CpuSet> TakePacked(const CpuLayoutData& layout, const CpuSet& available,
                                  int num_cpus, CpuSortingStrategy strategy, bool prefer_uncore) {
  Accumulator acc(layout, available, num_cpus, strategy);
  return RunPacked(acc, available, num_cpus, prefer_uncore);
}

absl::StatusOr<CpuSet> TakePackedMaterialized(const CpuLayoutData& layout, const CpuSet& available,
                                              int num_cpus, CpuSortingStrategy strategy,
                                              bool prefer_uncore) {
  Accumulator acc(layout, available, num_cpus, strategy);
  acc.materialize = true;
  return RunPacked(acc, available, num_cpus, prefer_uncore);
}

}  // namespace internal::cpu

absl::StatusOr<CpuSet> TakeByTopologyNumaPacked(const CpuLayout& layout, const CpuSet& available,
                                                int num_cpus, CpuSortingStrategy strategy,
                                                bool prefer_align_by_uncore_cache) {
  return internal::cpu::TakePacked(layout.data(), available, num_cpus, strategy,
                                   prefer_align_by_uncore_cache);
}

absl::StatusOr<CpuSet> TakeByTopologyNumaPacked(const Topology& topology, const CpuSet& available,
                                                int num_cpus, CpuSortingStrategy strategy,
                                                bool prefer_align_by_uncore_cache) {
  return TakeByTopologyNumaPacked(CpuLayout(topology), available, num_cpus, strategy,
                                  prefer_align_by_uncore_cache);
}

}  // namespace podalloc
