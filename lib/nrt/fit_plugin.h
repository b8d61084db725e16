// File: lib/nrt/fit_plugin.h
// The scheduler plugin's Filter model over podalloc's own NRT zones (fit_plugin.cc).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "podalloc/node.h"
#include "podalloc/pod.h"

namespace podalloc::internal {

class PluginFilter {
 public:
  // The zones as ExportNrt publishes them in exact mode, and the node's policy.
  PluginFilter(const Node& node, const NodeState& state);
  // Whether the plugin lets a single-container Guaranteed pod with these requests onto the
  // node.
  bool Accepts(const ResourceList& requests) const;

 private:
  bool filters_ = false;  // policy single-numa-node
  ResourceList allocatable_;
  std::vector<std::map<std::string, Quantity, std::less<>>> cells_;  // ascending NUMA id
};

}  // namespace podalloc::internal
