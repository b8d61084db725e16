// The topology-aware scheduler plugin's Filter on podalloc's own NRT object, for the fit
// report's "would the scheduler agree" (spec: noderesourcetopology.md §5.2). Only policy
// single-numa-node filters; any other policy passes every node. For a Guaranteed pod each
// requested resource must fit one zone's `available` (the lowest such zone is picked); a native
// resource no zone lists (memory under memory policy None) rejects the pod.
#include "fit_plugin.h"

#include <string>
#include <vector>

#include "nrt_internal.h"

namespace podalloc::internal {
namespace {

bool IsHostLevel(const std::string& name) {
  const bool native = name == "cpu" || name == "memory" || name.rfind("hugepages-", 0) == 0 ||
                      name == "ephemeral-storage" || name == "storage";
  return name == "ephemeral-storage" || name == "storage" || !native;
}

}  // namespace

PluginFilter::PluginFilter(const Node& node, const NodeState& state)
    : filters_(node.config().topology_manager_policy == "single-numa-node"),
      allocatable_(node.Allocatable()) {
  NrtOptions exact;
  for (int id : node.topology().NumaIds()) {
    std::map<std::string, Quantity, std::less<>> cell;
    for (const ZoneRow& r : ZoneRows(node, state, id, exact, ListedUsage{})) {
      cell[r.name] = Quantity::FromValue(r.available);
    }
    cells_.push_back(std::move(cell));
  }
}

bool PluginFilter::Accepts(const ResourceList& requests) const {
  if (!filters_) return true;
  std::vector<bool> fits(cells_.size(), true);
  for (const auto& [name, q] : requests) {
    if (q.Sign() <= 0) continue;
    const Quantity* allocatable = FindResource(allocatable_, name);
    if (allocatable == nullptr || allocatable->Sign() <= 0) return false;
    bool listed = false;
    std::vector<bool> here(cells_.size(), false);
    for (size_t i = 0; i < cells_.size(); ++i) {
      auto it = cells_[i].find(name);
      if (it == cells_[i].end()) continue;
      listed = true;
      here[i] = it->second >= q;
    }
    if (!listed && IsHostLevel(name)) continue;
    for (size_t i = 0; i < fits.size(); ++i) fits[i] = fits[i] && here[i];
  }
  for (bool f : fits) {
    if (f) return true;
  }
  return false;
}

}  // namespace podalloc::internal
