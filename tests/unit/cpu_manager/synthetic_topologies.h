// File: tests/unit/cpu_manager/synthetic_topologies.h
// Regular machines built in code for property tests: sockets x NUMA nodes x cores x threads,
// with uncore caches over groups of cores and Linux-style numbering (a core's siblings are
// num_cores apart) or adjacent numbering. Plus random, possibly irregular, machines.
#pragma once

#include <random>

#include "podalloc/topology.h"

namespace podalloc::testing {

struct MachineShape {
  int sockets = 1;
  int numa_per_socket = 1;  // 0: one NUMA node spans two sockets
  int cores_per_numa = 4;
  int threads = 2;
  int cores_per_uncore = 4;
  bool siblings_far = true;
};

Topology SyntheticTopology(const MachineShape& shape);
// A random machine: a regular shape, sometimes with CPUs removed (offline), sockets that
// straddle NUMA nodes, or header counts that disagree with the CPU list.
Topology RandomTopology(std::mt19937_64& rng);

}  // namespace podalloc::testing
