// File: lib/cpu_manager/cpu_layout.h (private to the cpu_manager module)
// The allocator's view of a topology and the kubelet's cpuAccumulator over it. Entities
// (sockets, NUMA nodes with CPUs, cores, uncore caches) get dense indices in ascending id
// order, so comparing indices compares ids — the kubelet's tie-break everywhere.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "podalloc/cpu_assignment.h"
#include "podalloc/cpuset.h"

namespace podalloc::internal::cpu {

// A CPU bitset of which only the first `nw` words (those covering the topology) are used.
using Words = std::array<uint64_t, CpuSet::kWords>;

struct EntityKind {
  std::vector<int> ids;         // machine ids, ascending; index = position
  std::vector<uint64_t> masks;  // ids.size() * nw words
  std::vector<int> size;        // CPUs in the entity (the topology's own count)
  int min_size = 0;             // smallest size (0 when there are none)
  const uint64_t* mask(int i, int nw) const { return masks.data() + static_cast<size_t>(i) * nw; }
  int count() const { return static_cast<int>(ids.size()); }
};

struct CpuLayoutData {
  int nw = 1;
  CpuSet all;
  Words all_words{};
  int num_cpus = 0;  // CPUs in the topology (CPUDetails.CPUs().Size())
  // Per CPU id (index < cpu_slots): entity indices, -1 for an absent CPU.
  std::vector<int> core_of, socket_of, numa_of, uncore_of;
  EntityKind sockets, numas, cores, uncores;
  std::vector<int> core_cpu_begin;  // CSR: CPUs of core i are core_cpus[begin[i]..begin[i+1])
  std::vector<int> core_cpus;
  // Static relations: entities sharing at least one CPU, ascending index.
  std::vector<std::vector<int>> cores_in_socket, cores_in_numa, sockets_in_numa, numas_in_socket,
      uncores_in_numa;
  // Header arithmetic (Topology::CpusPerCore etc.).
  int cpus_per_core = 0, cpus_per_socket = 0, cpus_per_uncore = 0;
  int header_num_numa = 0, header_num_sockets = 0;
  // NumSockets >= NumNUMANodes: NUMA nodes are the first level.
  bool numa_first = true;
  // Every second-level entity sits under exactly one first-level entity, so the kubelet's
  // hierarchical lists never repeat an entity and can be walked lazily.
  bool tree = true;
};

inline int PopcountAnd(const uint64_t* a, const uint64_t* b, int nw) {
  int n = 0;
  for (int i = 0; i < nw; ++i) n += std::popcount(a[i] & b[i]);
  return n;
}
inline int PopcountAnd3(const uint64_t* a, const uint64_t* b, const uint64_t* c, int nw) {
  int n = 0;
  for (int i = 0; i < nw; ++i) n += std::popcount(a[i] & b[i] & c[i]);
  return n;
}
inline bool TestBit(const uint64_t* w, int cpu) { return (w[cpu >> 6] >> (cpu & 63)) & 1u; }

CpuSet WordsToCpuSet(const Words& w, int nw);

// The kubelet's cpuAccumulator. Lists are produced exactly as the kubelet produces them at the
// moment they are asked for (sorted by free CPUs, then id; hierarchical; duplicates where the
// topology is not a tree). The take steps live in take_by_topology.cc / take_uncore.cc.
class Accumulator {
 public:
  Accumulator(const CpuLayoutData& layout, const CpuSet& available, int num_cpus,
              CpuSortingStrategy strategy);

  const CpuLayoutData& L;
  CpuSortingStrategy strategy;
  Words free{};  // the kubelet's `details`
  Words result{};
  int needed = 0;
  // Materialise every list even on tree-shaped topologies (reference path for tests).
  bool materialize = false;

  int FreeCount() const;
  int SocketFree(int s) const { return PopcountAnd(free.data(), L.sockets.mask(s, L.nw), L.nw); }
  int NumaFree(int n) const { return PopcountAnd(free.data(), L.numas.mask(n, L.nw), L.nw); }
  int UncoreFree(int u) const { return PopcountAnd(free.data(), L.uncores.mask(u, L.nw), L.nw); }
  int CoreFree(int c) const;

  bool NeedsAtLeast(int n) const { return needed >= n; }
  bool IsSatisfied() const { return needed < 1; }
  bool IsFailed() const { return needed > FreeCount(); }

  // take() of the CPUs of `mask` that are still free: they join the result, leave the free
  // CPUs and lower the count still needed by their number. The kubelet's take() adds an
  // entity's whole CPU set and lowers the count by its size; the two agree whenever that set
  // is free, and only then is the kubelet's answer a set of the requested size within the
  // available CPUs. Its sets can hold CPUs that are not free where the header arithmetic
  // averages sizes (a two-thread core on a hybrid machine whose CPUsPerCore is 1, a socket
  // larger than CPUsPerSocket), where a core id labels threads in two sockets (kubelet test
  // machines) or where a list names an entity twice (non-tree topologies); there it would hand
  // out CPUs that are not available or come up short, and this take stays exact.
  void TakeMask(const uint64_t* mask);
  void TakeCpu(int cpu);
  void TakeWords(const Words& w);
  // The kubelet's take() as written (CpuAccumulator::Take): every CPU of `w` joins the result
  // and the count drops by their number, free or not.
  void TakeAsKubelet(const Words& w);

  // Hierarchical orders (entity indices), computed from the current free CPUs.
  std::vector<int> SortedNumas() const;
  std::vector<int> SortedSockets() const;
  std::vector<int> SortedCores() const;
  std::vector<int> SortedUncores() const;
  std::vector<int> FreeNumas() const;
  std::vector<int> FreeSockets() const;
  std::vector<int> FreeCores() const;
  std::vector<int> FreeUncores() const;
  std::vector<int> PackedCpus() const;
  std::vector<int> SpreadCpus() const;
  std::vector<int> OrderedCpus() const {
    return strategy == CpuSortingStrategy::kPacked ? PackedCpus() : SpreadCpus();
  }

  // The groups cores are listed under: sockets when NUMA-first, NUMA nodes otherwise.
  std::vector<int> CoreGroups() const { return L.numa_first ? SortedSockets() : SortedNumas(); }
  const std::vector<int>& CoresOfGroup(int g) const {
    return L.numa_first ? L.cores_in_socket[g] : L.cores_in_numa[g];
  }

 private:
  // Sorts entity indices by (free count, index) with the given count function.
  template <typename F>
  static void SortByFree(std::vector<int>& v, F count);
  template <typename Count>
  std::vector<int> Under(const std::vector<int>& parents, const EntityKind& parent_kind,
                         const std::vector<std::vector<int>>& children,
                         const EntityKind& child_kind, Count count) const;
  template <typename Count>
  std::vector<int> Flat(const EntityKind& kind, Count count) const;
};

// Steps of takeByTopologyNUMAPacked (take_by_topology.cc, take_uncore.cc).
void TakeFullNumaNodes(Accumulator& a);
void TakeFullSockets(Accumulator& a);
void TakeFullCores(Accumulator& a);
void TakeRemainingCpus(Accumulator& a);
void TakeUncoreCache(Accumulator& a);

// The packed algorithm on a layout, used by the policy and by the distributed algorithm.
absl::StatusOr<CpuSet> TakePacked(const CpuLayoutData& layout, const CpuSet& available,
                                  int num_cpus, CpuSortingStrategy strategy, bool prefer_uncore);
absl::StatusOr<CpuSet> TakeDistributed(const CpuLayoutData& layout, const CpuSet& available,
                                       int num_cpus, int cpu_group_size,
                                       CpuSortingStrategy strategy);
// Same as TakePacked, with the lazy walks disabled (every list materialised as the kubelet does);
// the property tests compare the two.
absl::StatusOr<CpuSet> TakePackedMaterialized(const CpuLayoutData& layout, const CpuSet& available,
                                              int num_cpus, CpuSortingStrategy strategy,
                                              bool prefer_uncore);

}  // namespace podalloc::internal::cpu
