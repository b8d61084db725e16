// This machine: hwloc's native discovery, completed from sysfs. hwloc 2.9 hides the NUMA nodes
// of NVIDIA GPU memory (POWER9 + V100, Grace Hopper) that /sys/devices/system/node lists and
// that cadvisor, and so the kubelet, sees; they are CPU-less and are added back here.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "file_text.h"
#include "hwloc_model.h"
#include "podalloc/discovery.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace internal {

void AddHiddenNumaNodes(const TopologySpec& sysfs, TopologySpec* spec) {
  auto has = [](const std::vector<NumaNodeInfo>& nodes, int id) {
    return std::any_of(nodes.begin(), nodes.end(),
                       [id](const NumaNodeInfo& n) { return n.id == id; });
  };
  std::vector<NumaNodeInfo> hidden;
  for (const NumaNodeInfo& node : sysfs.numa_nodes) {
    bool has_cpu = std::any_of(sysfs.cpus.begin(), sysfs.cpus.end(),
                               [&](const CpuInfo& c) { return c.numa_id == node.id; });
    if (!has(spec->numa_nodes, node.id) && !has_cpu) hidden.push_back(node);
  }
  if (hidden.empty()) return;
  for (const NumaNodeInfo& node : spec->numa_nodes) {
    if (!has(sysfs.numa_nodes, node.id)) return;
  }
  std::vector<NumaNodeInfo> nodes = spec->numa_nodes;
  nodes.insert(nodes.end(), hidden.begin(), hidden.end());
  std::sort(nodes.begin(), nodes.end(),
            [](const NumaNodeInfo& a, const NumaNodeInfo& b) { return a.id < b.id; });
  std::vector<std::vector<int>> distances;
  if (!sysfs.distances.empty()) {
    std::vector<size_t> at;  // row of each node in the sysfs matrix
    for (const NumaNodeInfo& node : nodes) {
      at.push_back(
          static_cast<size_t>(std::find_if(sysfs.numa_nodes.begin(), sysfs.numa_nodes.end(),
                                           [&](const NumaNodeInfo& n) { return n.id == node.id; }) -
                              sysfs.numa_nodes.begin()));
    }
    for (size_t i : at) {
      std::vector<int> row;
      for (size_t j : at) row.push_back(sysfs.distances[i][j]);
      distances.push_back(std::move(row));
    }
  }
  spec->numa_nodes = std::move(nodes);
  spec->distances = std::move(distances);
}

}  // namespace internal

absl::StatusOr<Topology> DiscoverHost() {
  internal::HwlocHandle handle;
  PODALLOC_RETURN_IF_ERROR(internal::LoadHwloc(handle, "this machine", [](hwloc_topology_t t) {
    return hwloc_topology_set_flags(
        t, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED | HWLOC_TOPOLOGY_FLAG_IS_THISSYSTEM);
  }));
  PODALLOC_ASSIGN_OR_RETURN(TopologySpec spec, internal::SpecFromHwloc(handle.get()));
  spec.name = "host";
  // sysfs is a complement: a machine without it (or a container hiding it) keeps hwloc's view.
  if (auto sysfs = FromSysfs("/"); sysfs.ok()) internal::AddHiddenNumaNodes(sysfs->spec(), &spec);
  auto topology = Topology::Build(std::move(spec));
  if (!topology.ok()) return internal::Prefixed(topology.status(), "this machine");
  return topology;
}

}  // namespace podalloc
