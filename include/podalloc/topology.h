// File: podalloc/topology.h
// The machine model every policy reads: logical CPUs with their core, socket, NUMA node,
// uncore (L3) cache and core kind; NUMA nodes with memory, hugepages and distances.
// It plays the role of the kubelet's cpumanager/topology.CPUTopology plus the NUMA and
// memory facts the memory manager gets from cadvisor's MachineInfo.
//
// Ids are the machine's own and may be sparse; CPU ids are < CpuSet::kMaxCpus and NUMA ids
// < NumaMask::kMaxNodes. A Topology is immutable once built and safe to share between
// threads. Build one with Topology::Build (validating), or through podalloc/discovery.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"
#include "podalloc/cpuset.h"
#include "podalloc/io_device.h"

namespace podalloc {

// One logical CPU (hardware thread).
struct CpuInfo {
  int id = 0;
  // Machine-unique core id. Discovery uses the kubelet's rule (lowest thread id of the core);
  // a spec may give any unique id.
  int core_id = 0;
  int socket_id = 0;
  int numa_id = 0;
  // The kubelet's UncoreCacheID: id of the core's L3 cache, the socket id when there is none.
  int uncore_id = 0;
  // Core kind rank from hwloc cpukinds (0 = least performant kind); 0 on homogeneous machines.
  int kind = 0;
  friend bool operator==(const CpuInfo&, const CpuInfo&) = default;
};

// Hugepages of one size on one NUMA node.
struct HugePages {
  uint64_t page_size_bytes = 0;
  uint64_t total_pages = 0;
  friend bool operator==(const HugePages&, const HugePages&) = default;
};

struct NumaNodeInfo {
  int id = 0;
  uint64_t memory_bytes = 0;        // total memory of the node (MemTotal)
  std::vector<HugePages> hugepages;  // ascending page size
  friend bool operator==(const NumaNodeInfo&, const NumaNodeInfo&) = default;
};

// Everything needed to build a Topology; what discovery and JSON loading produce.
struct TopologySpec {
  std::string name;                 // free text, e.g. the fixture or machine name
  std::vector<CpuInfo> cpus;        // online CPUs, any order
  CpuSet offline_cpus;              // informational: present but offline
  // NUMA nodes, including CPU-less and memory-less ones. A NUMA id that a CPU names but that
  // is missing here is added with no memory.
  std::vector<NumaNodeInfo> numa_nodes;
  // distances[i][j] between the i-th and j-th NUMA node in ascending id order; empty when
  // unknown. Values must be positive; asymmetric matrices (seen on real Arm servers) are kept.
  std::vector<std::vector<int>> distances;
  // The kubelet's header counts. When unset they are the numbers of distinct ids. The kubelet
  // derives per-entity sizes from these (e.g. CPUsPerCore = NumCPUs / NumCores), and its test
  // topologies sometimes state counts that differ from the CPU list.
  std::optional<int> num_cpus, num_cores, num_sockets, num_numa_nodes, num_uncore_caches;
  // Core ids are taken as plain labels, as the kubelet's CPUDetails does: threads that share a
  // core id form one core even across sockets or NUMA nodes. Some kubelet test topologies
  // reuse core ids in every socket; loading them with this set reproduces the kubelet's view.
  // Off (the default) such a spec is rejected, since no real machine has such a core.
  bool allow_cores_across_nodes = false;
  // PCI and OS devices with their NUMA locality (podalloc/io_device.h); empty when the source
  // has none (synthetic machines, the kubelet's test topologies, captures without /sys/bus/pci).
  // Build orders them PCI devices first, each type by id.
  std::vector<IoDevice> devices;
  friend bool operator==(const TopologySpec&, const TopologySpec&) = default;
};

// Every memory amount of the machine fits a Kubernetes quantity (at most 2^63-1 bytes): the
// NUMA nodes' memory and huge page pools (page size x page count) add up to no more than that
// over the whole machine, so node capacity, allocatable and the memory manager's per-node
// tables can add any of them without wrapping. InvalidArgument naming the NUMA node and the
// amount otherwise ("topology: NUMA node 3: ...").
[[nodiscard]] absl::Status CheckMachineMemory(const std::vector<NumaNodeInfo>& numa_nodes);

// Sorts `devices` (PCI devices first, each type by id) and checks them against the machine's
// NUMA nodes: a non-empty id, unique per type; a PCI device's id is a canonical bus id
// (IsPciBusId) equal to its pci_bus_id, an OS device's pci_bus_id is empty or canonical; a
// known locality is a non-empty subset of `machine_numa_nodes`. InvalidArgument naming the
// device otherwise ("topology: device eth0: ...").
[[nodiscard]] absl::Status CheckIoDevices(std::vector<IoDevice>* devices,
                                          NumaMask machine_numa_nodes);

class Topology {
 public:
  // Validates the spec: unique CPU ids in range, non-negative ids, every core within one
  // socket and one NUMA node, NUMA ids in range and unique, distance matrix square and of
  // the node count with positive entries, hugepage sizes non-zero, memory amounts within
  // CheckMachineMemory's bound, devices as CheckIoDevices says. Errors name the item.
  [[nodiscard]] static absl::StatusOr<Topology> Build(TopologySpec spec);

  const TopologySpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }
  // PCI and OS devices, PCI devices first, each type in ascending id order.
  const std::vector<IoDevice>& devices() const { return spec_.devices; }

  // All online CPUs.
  const CpuSet& cpus() const { return all_cpus_; }
  // Info of an online CPU, or nullptr.
  const CpuInfo* cpu(int id) const {
    return id >= 0 && id < static_cast<int>(cpu_index_.size()) && cpu_index_[id] >= 0
               ? &spec_.cpus[cpu_index_[id]]
               : nullptr;
  }

  // Header counts (see TopologySpec).
  int NumCpus() const { return num_cpus_; }
  int NumCores() const { return num_cores_; }
  int NumSockets() const { return num_sockets_; }
  int NumNumaNodes() const { return num_numa_nodes_; }
  int NumUncoreCaches() const { return num_uncore_caches_; }
  // The kubelet's integer divisions of header counts; 0 when the divisor is 0.
  int CpusPerCore() const { return Div(num_cpus_, num_cores_); }
  int CpusPerSocket() const { return Div(num_cpus_, num_sockets_); }
  int CpusPerUncoreCache() const { return Div(num_cpus_, num_uncore_caches_); }

  // Ascending ids of each kind of entity that has at least one online CPU; NumaIds() lists
  // every NUMA node, CPU-less ones included.
  const std::vector<int>& SocketIds() const { return sockets_.ids; }
  const std::vector<int>& CoreIds() const { return cores_.ids; }
  const std::vector<int>& UncoreIds() const { return uncores_.ids; }
  const std::vector<int>& NumaIds() const { return numa_.ids; }
  NumaMask AllNumaNodes() const { return all_numa_; }

  // CPUs of one entity (empty set for an unknown id).
  const CpuSet& CpusInSocket(int id) const { return sockets_.Cpus(id); }
  const CpuSet& CpusInCore(int id) const { return cores_.Cpus(id); }
  const CpuSet& CpusInUncoreCache(int id) const { return uncores_.Cpus(id); }
  const CpuSet& CpusInNumaNode(int id) const { return numa_.Cpus(id); }
  CpuSet CpusInNumaNodes(NumaMask nodes) const;
  CpuSet CpusInSockets(const std::vector<int>& ids) const;

  // NUMA nodes with CPUs in a socket, and sockets with CPUs in a NUMA node (ascending).
  std::vector<int> NumaIdsInSocket(int socket_id) const;
  std::vector<int> SocketIdsInNumaNode(int numa_id) const;
  // NUMA nodes holding at least one CPU of `cpus`.
  NumaMask NumaNodesOf(const CpuSet& cpus) const;

  const NumaNodeInfo* NumaNode(int id) const;
  bool HasDistances() const { return !spec_.distances.empty(); }
  // Distance between two NUMA nodes by id: the matrix value, or 10 (same) / 20 (remote)
  // when the machine reports none, as Linux does for a machine without a SLIT table.
  int Distance(int from, int to) const;

  friend bool operator==(const Topology& a, const Topology& b) { return a.spec_ == b.spec_; }

 private:
  // A kind of entity: ascending ids, each with its CPUs.
  struct Group {
    std::vector<int> ids;
    std::vector<CpuSet> cpus;                    // parallel to ids
    absl::flat_hash_map<int, int> index;         // id -> position (lookups only)
    const CpuSet& Cpus(int id) const;
    void Add(int id, int cpu);
    void Finish();
  };
  static int Div(int a, int b) { return b == 0 ? 0 : a / b; }

  TopologySpec spec_;
  CpuSet all_cpus_;
  std::vector<int> cpu_index_;  // cpu id -> index in spec_.cpus, -1 when absent
  Group sockets_, cores_, uncores_, numa_;
  NumaMask all_numa_;
  int num_cpus_ = 0, num_cores_ = 0, num_sockets_ = 0, num_numa_nodes_ = 0,
      num_uncore_caches_ = 0;
};

}  // namespace podalloc
