// File: capi/handles.h
// What a topology handle holds: the topology and what the hot paths need (the CPU layout of
// take-by-topology, the NUMA info of hint merging), built once so each call does no
// per-topology work. Node and decision handles are private to node.cc.
#pragma once

#include <cstddef>
#include <optional>

#include "podalloc/cpu_assignment.h"
#include "podalloc/numa_info.h"
#include "podalloc/podalloc.h"
#include "podalloc/topology.h"

struct podalloc_topology {
  podalloc_topology(podalloc::Topology t, podalloc::NumaInfo numa,
                    std::optional<podalloc::NumaInfo> numa_distances);

  podalloc::Topology topology;
  podalloc::CpuLayout layout;
  size_t cpuset_words;  // words holding every CPU of the topology
  // The topology manager's view of the NUMA nodes, without and with their distances (the
  // latter for prefer-closest-numa-nodes; absent when the topology reports none).
  podalloc::NumaInfo merge_numa;
  std::optional<podalloc::NumaInfo> merge_numa_distances;
};
