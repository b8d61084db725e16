// File: podalloc/cpu_assignment.h
// Choosing which CPUs satisfy an exclusive request: the kubelet's CPU accumulator and its
// take-by-topology algorithms (NUMA-packed with whole sockets, NUMA nodes, uncore caches,
// cores, then threads; NUMA-distributed). Mirrors pkg/kubelet/cm/cpumanager/cpu_assignment.go,
// decision for decision, including its sort orders, tie-breaks and header-count arithmetic.
//
// The kubelet recomputes its topology maps on every call; here a CpuLayout is built once per
// topology and every set operation is a bitset operation. All functions are pure and
// reentrant; CpuLayout is immutable and safe to share between threads.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/cpuset.h"
#include "podalloc/topology.h"

namespace podalloc {

namespace internal::cpu {
struct CpuLayoutData;
class Accumulator;
}  // namespace internal::cpu

// The kubelet's CPUSortingStrategy: how single threads are ordered once whole entities are
// exhausted. Spread (distribute-cpus-across-cores) also skips taking whole cores.
enum class CpuSortingStrategy { kPacked, kSpread };

// A Topology re-indexed for allocation: dense entity indices, per-entity bitsets sized to the
// machine, the relations the accumulator walks, and the kubelet's derived sizes
// (CPUsPerCore = NumCPUs / NumCores etc., from the header counts). Cheap to copy (shared).
class CpuLayout {
 public:
  explicit CpuLayout(const Topology& topology);

  // Every CPU of the topology (the kubelet's CPUDetails.CPUs()).
  const CpuSet& cpus() const;
  // NUMA node ids that hold CPUs (CPUDetails.NUMANodes()), ascending.
  const std::vector<int>& numa_ids() const;
  const std::vector<int>& socket_ids() const;
  // CPUs of one NUMA node / socket (empty for an unknown id).
  CpuSet CpusInNumaNode(int id) const;
  CpuSet CpusInSocket(int id) const;
  // All threads of every core that has a CPU of `cpus` (hyperthread siblings included).
  CpuSet CoreSiblingsOf(const CpuSet& cpus) const;
  // Socket ids holding a CPU of each NUMA node of `numa_ids`, ascending.
  std::vector<int> SocketsOfNumaNodes(const std::vector<int>& numa_ids) const;
  int cpus_per_core() const;

  const internal::cpu::CpuLayoutData& data() const { return *data_; }

 private:
  std::shared_ptr<const internal::cpu::CpuLayoutData> data_;
};

// The kubelet's cpuAccumulator, exposed for inspection (tests, tools). `available` is
// restricted to the topology's CPUs, as the kubelet's CPUDetails.KeepOnly does.
class CpuAccumulator {
 public:
  CpuAccumulator(const CpuLayout& layout, const CpuSet& available, int num_cpus,
                 CpuSortingStrategy strategy = CpuSortingStrategy::kPacked);
  ~CpuAccumulator();
  CpuAccumulator(const CpuAccumulator&) = delete;
  CpuAccumulator& operator=(const CpuAccumulator&) = delete;

  // Entities whose every CPU is still free, in the accumulator's hierarchical order.
  std::vector<int> FreeNumaNodes() const;
  std::vector<int> FreeSockets() const;
  std::vector<int> FreeCores() const;
  // Every free CPU in the order single threads are taken (packed or spread).
  std::vector<int> FreeCpus() const;

  // Adds `cpus` to the result, removes them from the free CPUs and lowers the number still
  // needed by their count (exactly the kubelet's take, which does not check membership).
  void Take(const CpuSet& cpus);
  bool IsSatisfied() const;
  bool IsFailed() const;
  int NumCpusNeeded() const;
  CpuSet Result() const;

 private:
  std::unique_ptr<internal::cpu::Accumulator> acc_;
};

// takeByTopologyNUMAPacked: n <= 0 gives the empty set; more than the available CPUs is
// ResourceExhausted "not enough cpus available to satisfy request: requested=<n>,
// available=<|available|>". Otherwise the result is exactly n CPUs of `available`. Where the
// kubelet takes a whole entity holding CPUs that are not free (a two-thread core counted free
// because CPUsPerCore averages 1, a socket larger than CPUsPerSocket, a core id that labels
// threads in two sockets in a kubelet test machine, an entity its lists name twice), it counts
// CPUs it did not add or hands out CPUs that are not available; this take adds and counts only
// the free ones, and agrees with the kubelet everywhere else.
[[nodiscard]] absl::StatusOr<CpuSet> TakeByTopologyNumaPacked(
    const CpuLayout& layout, const CpuSet& available, int num_cpus,
    CpuSortingStrategy strategy = CpuSortingStrategy::kPacked,
    bool prefer_align_by_uncore_cache = false);
// Convenience overload building the layout (O(CPUs)); prefer a kept CpuLayout on hot paths.
[[nodiscard]] absl::StatusOr<CpuSet> TakeByTopologyNumaPacked(
    const Topology& topology, const CpuSet& available, int num_cpus,
    CpuSortingStrategy strategy = CpuSortingStrategy::kPacked,
    bool prefer_align_by_uncore_cache = false);

// takeByTopologyNUMADistributed (distribute-cpus-across-numa): CPUs are handed out in groups
// of `cpu_group_size` spread evenly over the fewest NUMA nodes that balance best (population
// standard deviation of the free CPUs left per NUMA node, rounded to 3 decimals, as the
// kubelet does); falls back to the packed algorithm (uncore alignment off) when n is not a
// multiple of the group size or no NUMA combination fits. The kubelet's choice, including its
// tie-breaks and the NUMA nodes its Go slices read back, is found without its walk over every
// combination: polynomial in the NUMA count (up to 64), microseconds on 24 or 64 NUMA nodes.
// Errors besides the packed ones: ResourceExhausted "accounting error, not enough CPUs
// allocated, remaining: <n>" where the kubelet's read-back NUMA nodes lack CPUs (or it would
// loop forever), and ResourceExhausted for a NUMA list naming a node twice (socket-first
// machines whose NUMA nodes span sockets) longer than 12 entries, which is searched as the
// kubelet walks it.
[[nodiscard]] absl::StatusOr<CpuSet> TakeByTopologyNumaDistributed(
    const CpuLayout& layout, const CpuSet& available, int num_cpus, int cpu_group_size,
    CpuSortingStrategy strategy = CpuSortingStrategy::kPacked);
[[nodiscard]] absl::StatusOr<CpuSet> TakeByTopologyNumaDistributed(
    const Topology& topology, const CpuSet& available, int num_cpus, int cpu_group_size,
    CpuSortingStrategy strategy = CpuSortingStrategy::kPacked);

}  // namespace podalloc
