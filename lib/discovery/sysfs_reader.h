// File: lib/discovery/sysfs_reader.h
// The two halves of the sysfs reader: NUMA nodes (node*/cpulist, meminfo, hugepages, distance)
// and CPUs (online state, cores, packages, L3 caches, core kinds). FromSysfs in discovery.h
// combines them.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/topology.h"
#include "sysfs_files.h"

namespace podalloc::internal {

struct SysfsNumaFacts {
  std::vector<NumaNodeInfo> nodes;          // ascending id
  std::vector<std::vector<int>> distances;  // rows in ascending id order; empty when unknown
  std::vector<int> cpu_node;                // CPU id -> NUMA id, -1 when in no node's list
  bool has_node_dir = true;  // false: no sys/devices/system/node (NUMA ids = package ids)
};

absl::StatusOr<SysfsNumaFacts> ReadSysfsNumaNodes(const SysfsRoot& root);

// Fills spec->cpus and spec->offline_cpus; NUMA ids come from `numa`. Cores, uncore caches
// and kinds follow the rules in discovery.h (FromSysfs).
absl::Status ReadSysfsCpus(const SysfsRoot& root, const SysfsNumaFacts& numa, TopologySpec* spec);

// Core-kind rank per CPU id (index = CPU id) for the online CPUs `cpus`; see discovery.h for
// the rule. All 0 when the machine looks homogeneous.
absl::StatusOr<std::vector<int>> ReadSysfsCoreKinds(const SysfsRoot& root, const CpuSet& cpus);

// The PCI functions of /sys/bus/pci/devices whose class IsImportantPciClass, each followed by
// the network interfaces and RDMA devices in its net/ and infiniband/ folders (or those of its
// virtio<N>/ child), with the NUMA
// node of numa_node (sysfs_pci.cc for the rules); `machine` holds the machine's NUMA nodes.
// Empty when the tree has no /sys/bus/pci.
absl::StatusOr<std::vector<IoDevice>> ReadSysfsPciDevices(const SysfsRoot& root,
                                                          NumaMask machine);

}  // namespace podalloc::internal
