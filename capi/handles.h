// File: capi/handles.h
// What the opaque C handles hold. A topology handle keeps what the hot paths need (the CPU
// layout of take-by-topology, the NUMA info of hint merging), built once so each call does
// no per-topology work.
#pragma once

#include <cstddef>
#include <memory>

#include "merge_numa.h"
#include "podalloc/cpu_assignment.h"
#include "podalloc/podalloc.h"
#include "podalloc/topology.h"

struct podalloc_topology {
  explicit podalloc_topology(podalloc::Topology t);

  podalloc::Topology topology;
  podalloc::CpuLayout layout;
  size_t cpuset_words;  // words holding every CPU of the topology
  std::shared_ptr<const podalloc::NumaInfo> merge_numa;
  std::shared_ptr<const podalloc::NumaInfo> merge_numa_distances;  // null without distances
};
