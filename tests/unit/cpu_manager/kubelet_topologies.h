// File: tests/unit/cpu_manager/kubelet_topologies.h
// The kubelet's CPU-manager test topologies (conformance/cpumanager/topologies.json) as
// Topology values. A header count the Go literal leaves unset is the Go zero value, 0 —
// not a count derived from the CPU list — so unset counts are pinned to 0 here.
#pragma once

#include <string>

#include "podalloc/topology.h"

namespace podalloc::testing {

// FAILs the current test when the topology is unknown or does not build.
Topology KubeletTopology(const std::string& name);
// Whether topologies.json holds `name` (some vectors name topologies never retrieved).
bool HasKubeletTopology(const std::string& name);
// Parses a kubelet cpuset string, FAILing the test on a syntax error.
CpuSet Cpus(const std::string& text);

}  // namespace podalloc::testing
