// A picture of a node: sockets, NUMA nodes, L3 groups, cores and CPUs, each CPU coloured by
// who holds it (a container's exclusive slice, a pod's shared pool, the node's shared pool,
// the reserved CPUs), per-NUMA memory and hugepage bars, and a legend. Self-contained SVG.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "podalloc/cpuset.h"
#include "podalloc/node.h"
#include "podalloc/topology.h"

namespace podalloc::cli {

struct MachinePicture {
  const Topology* topology = nullptr;
  NodeState state;
  CpuSet reserved;
  // The decisions of the pods admitted (or refused) for this picture, in order: they say which
  // containers hold exclusive CPUs and which share their pod's pool. Pods restored from a
  // checkpoint have none; their assignments are drawn as exclusive.
  std::vector<Decision> decisions;
  std::string title;
};

// The picture of `node` as it stands, with the decisions that led there.
MachinePicture PictureOfNode(const Node& node, std::vector<Decision> decisions);

// Writes `svg` to `path`; an error names the file.
absl::Status WriteTextFile(const std::string& path, const std::string& text);

// Deterministic: the same picture gives the same bytes. Every online CPU is drawn exactly once,
// as an element carrying data-cpu="<id>".
std::string MachineSvg(const MachinePicture& picture);

}  // namespace podalloc::cli
