// File: capi/handles.h
// What the opaque C handles hold. A topology handle keeps the CPU layout the
// take-by-topology hot path needs, built once so each call does no per-topology work.
#pragma once

#include <cstddef>

#include "podalloc/cpu_assignment.h"
#include "podalloc/podalloc.h"
#include "podalloc/topology.h"

struct podalloc_topology {
  explicit podalloc_topology(podalloc::Topology t);

  podalloc::Topology topology;
  podalloc::CpuLayout layout;
  size_t cpuset_words;  // words holding every CPU of the topology
};
