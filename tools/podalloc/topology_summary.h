// File: tools/podalloc/topology_summary.h
// The readable summary of a Topology that `podalloc topology` prints: counts, sockets, NUMA
// nodes with memory and hugepages, core kinds, L3 (uncore) groups, the distance matrix and a
// table of the PCI and OS devices with their NUMA nodes.
#pragma once

#include <string>

#include "podalloc/topology.h"

namespace podalloc::cli {

std::string TopologySummary(const Topology& topology);

// "1.5 GiB", "512 MiB", "0 B": binary units, one decimal when not whole.
std::string HumanBytes(uint64_t bytes);

}  // namespace podalloc::cli
