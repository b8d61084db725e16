// File: podalloc/discovery.h
// Building a Topology from the machine or from a description of one: hwloc (live, synthetic
// strings, XML files), Linux sysfs below a root prefix, and JSON. It plays the role of the
// kubelet's cpumanager/topology.Discover over cadvisor's MachineInfo, which reads sysfs.
//
// All sources produce the same model with the kubelet's rules: a CPU's core id is the lowest
// usable thread id of its core; its uncore id is its L3 cache's id, or its socket id when it
// has no L3; kind 0 is the least performant core kind. These functions do I/O (except the
// synthetic and JSON ones) and are reentrant; none reads the environment.
//
// The hwloc and sysfs sources also list the machine's PCI and OS devices with the NUMA nodes
// each is local to (Topology::devices(), podalloc/io_device.h; docs/discovery.md): hwloc is
// asked for its important I/O objects and a device's locality is the nodeset of its first
// non-I/O ancestor, none when that is the Machine; sysfs reads /sys/bus/pci/devices, where a
// numa_node of -1 is unknown locality.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/topology.h"

namespace podalloc {

// This machine, through hwloc's native discovery (cgroup restrictions applied, see
// FromHwlocXml), plus the CPU-less NUMA nodes that /sys/devices/system/node lists but hwloc
// 2.9 hides (NVIDIA GPU memory): those are added with their sysfs memory, hugepages and the
// sysfs distance matrix.
[[nodiscard]] absl::StatusOr<Topology> DiscoverHost();

// What an hwloc synthetic string cannot say. Memory by NUMA node id overrides any
// "numa(memory=...)" of the string; distances are a square matrix over the NUMA nodes in
// ascending id order (hwloc numbers synthetic NUMA nodes 0..n-1).
struct SyntheticExtras {
  std::string name;  // defaults to the description
  std::map<int, uint64_t> numa_memory_bytes;
  std::vector<std::vector<int>> distances;
};

// A machine described by an hwloc synthetic string, e.g. "pack:2 numa:4 l3:3 core:8 pu:2".
// InvalidArgument when hwloc rejects the string or the extras do not fit the machine.
[[nodiscard]] absl::StatusOr<Topology> FromHwlocSynthetic(std::string_view description,
                                                          const SyntheticExtras& extras = {});

// An hwloc XML export (format 2; a version="3.0" header from newer hwloc is read as 2.0).
// A CPU is usable when hwloc allows it (it is in the topology's allowed cpuset) and its NUMA
// node is visible and allowed; the other CPUs of the machine that the file lists are reported
// as offline_cpus ("present but not usable"). Disallowed NUMA nodes are left out, with their
// rows and columns of the distance matrix.
// hwloc never sees the text itself: it is parsed with libxml2, checked against hwloc's v2
// format and rewritten (docs/discovery.md); anything else is InvalidArgument naming the file
// (or "XML topology" for a buffer), the line and the problem. Only a regular file of at most
// 16 MiB is read, and a path with a NUL byte is refused.
[[nodiscard]] absl::StatusOr<Topology> FromHwlocXml(const std::filesystem::path& path);
[[nodiscard]] absl::StatusOr<Topology> FromHwlocXmlBuffer(std::string_view xml);

// Linux sysfs read from `root` ("" or "/" = the live system; a capture folder holding sys/),
// as cadvisor reads it for the kubelet:
//  - online CPUs from cpu/online (or per-CPU online flags); other cpu<N> folders are offline;
//  - NUMA nodes: node<N> folders listed in node/online, CPUs from node<N>/cpulist (or cpumap),
//    memory from meminfo MemTotal, hugepages from hugepages/hugepages-<size>kB/nr_hugepages,
//    distances from node<N>/distance. Without a node folder, one node per package, no memory;
//  - cores: within a NUMA node, the CPUs with the same (topology/core_id,
//    physical_package_id); the core id is the lowest of them. The kernel's sibling lists
//    (core_cpus_list, thread_siblings_list, thread_siblings) must agree;
//  - socket: physical_package_id (-1, "unknown", is read as 0);
//  - uncore cache (cadvisor's rule): the first cache/index<K> above L2 whose shared CPUs are
//    not exactly the node's threads, named by its "id"; the socket id when there is none or
//    when the kernel gives caches no "id" (before Linux 4.15);
//  - core kind: from the first of cpu<N>/cpu_capacity, the Intel hybrid PMU lists
//    (devices/cpu_atom/cpus, devices/cpu_core/cpus), cpufreq/base_frequency and
//    cpufreq/cpuinfo_max_freq that every online CPU has: the rank of the CPU's value among the
//    distinct values (0 = slowest), as hwloc ranks its cpukinds.
// Unreadable or inconsistent files (a CPU in two cores or two NUMA nodes, a distance row of
// the wrong length) are errors naming the file. cgroup restrictions are not applied, as
// cadvisor does not apply them.
//  - devices: sys/bus/pci/devices/<bus id>/{class,vendor,device,numa_node} of the classes
//    IsImportantPciClass keeps, and the names in its net/ and infiniband/ folders; numa_node -1
//    or absent is unknown, a negative, out-of-range or offline node is an error naming the file.
// Each file read must be a regular file of at most 1 MiB; a root with a NUL byte is refused.
[[nodiscard]] absl::StatusOr<Topology> FromSysfs(const std::filesystem::path& root);

// The JSON forms of podalloc/topology_json.h, from text or from a file (a regular file of at
// most 16 MiB, its path without a NUL byte).
[[nodiscard]] absl::StatusOr<Topology> FromJson(std::string_view text);
[[nodiscard]] absl::StatusOr<Topology> FromJsonFile(const std::filesystem::path& path);

}  // namespace podalloc
