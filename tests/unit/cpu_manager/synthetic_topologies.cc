#include "synthetic_topologies.h"

#include <catch2/catch.hpp>

#include "cpu_test_support.h"

namespace podalloc::testing {

Topology SyntheticTopology(const MachineShape& s) {
  const int numa_nodes =
      s.numa_per_socket == 0 ? std::max(1, s.sockets / 2) : s.sockets * s.numa_per_socket;
  const int cores = numa_nodes * s.cores_per_numa;
  const int cores_per_socket = cores / s.sockets;
  TopologySpec spec;
  spec.name = "synthetic";
  for (int core = 0; core < cores; ++core) {
    for (int t = 0; t < s.threads; ++t) {
      CpuInfo c;
      c.id = s.siblings_far ? t * cores + core : core * s.threads + t;
      c.core_id = core;
      c.socket_id = core / cores_per_socket;
      c.numa_id = core / s.cores_per_numa;
      c.uncore_id = core / s.cores_per_uncore;
      spec.cpus.push_back(c);
    }
  }
  auto t = Topology::Build(spec);
  if (!t.ok()) FAIL(t.status().ToString());
  return *t;
}

Topology RandomTopology(std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return Pick(rng, lo, hi); };
  MachineShape shape;
  shape.sockets = pick(1, 4);
  shape.numa_per_socket = pick(0, 3);
  shape.cores_per_numa = pick(1, 6);
  if (shape.numa_per_socket == 0) {  // NUMA nodes straddling two sockets
    shape.sockets = 2 * pick(1, 2);
    shape.cores_per_numa = 2 * pick(1, 3);
  }
  shape.threads = pick(1, 4);
  shape.cores_per_uncore = pick(1, 4);
  shape.siblings_far = pick(0, 1) == 1;
  TopologySpec spec = SyntheticTopology(shape).spec();
  if (pick(0, 3) == 0 && spec.cpus.size() > 2) {
    // Some CPUs offline: uneven cores and sockets.
    const int drop = pick(1, static_cast<int>(spec.cpus.size()) / 3);
    for (int i = 0; i < drop && spec.cpus.size() > 1; ++i) {
      spec.cpus.erase(spec.cpus.begin() + pick(0, static_cast<int>(spec.cpus.size()) - 1));
    }
  }
  if (pick(0, 4) == 0) spec.num_numa_nodes = pick(0, 6);  // kubelet-literal header counts
  if (pick(0, 4) == 0) spec.num_sockets = pick(0, 5);
  auto t = Topology::Build(spec);
  if (!t.ok()) FAIL(t.status().ToString());
  return *t;
}

}  // namespace podalloc::testing
