// hwloc objects mapped to the model with the kubelet's rules (see discovery.h): PU os_index =
// CPU id; Core = the PUs of one core, named by the lowest usable one; Package os_index =
// socket; the most local NUMA node of a PU = its node; cadvisor's uncore-cache rule on the
// cache ancestors above L2; cpukinds index = kind.
#include "hwloc_model.h"

#include <algorithm>
#include <climits>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {
namespace {

absl::StatusOr<CpuSet> ToCpuSet(hwloc_const_bitmap_t bitmap, const std::string& what) {
  CpuSet out;
  if (bitmap == nullptr) return out;
  if (hwloc_bitmap_weight(bitmap) < 0) {
    return absl::InvalidArgumentError(absl::StrCat("hwloc: ", what, " is infinite"));
  }
  for (int i = hwloc_bitmap_first(bitmap); i != -1; i = hwloc_bitmap_next(bitmap, i)) {
    if (i >= CpuSet::kMaxCpus) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hwloc: ", what, " holds CPU ", i, ", out of range (0..", CpuSet::kMaxCpus - 1, ")"));
    }
    out.Add(i);
  }
  return out;
}

int OsIndex(hwloc_obj_t obj) {
  return obj->os_index == HWLOC_UNKNOWN_INDEX ? static_cast<int>(obj->logical_index)
                                              : static_cast<int>(obj->os_index);
}

struct NumaNode {
  hwloc_obj_t obj;
  int id;
  CpuSet cpus;
  bool allowed;
};

absl::StatusOr<std::vector<NumaNode>> ReadNumaNodes(hwloc_topology_t topology) {
  std::vector<NumaNode> nodes;
  hwloc_const_nodeset_t allowed = hwloc_topology_get_allowed_nodeset(topology);
  for (hwloc_obj_t obj = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, nullptr);
       obj != nullptr; obj = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, obj)) {
    NumaNode node{.obj = obj, .id = OsIndex(obj), .cpus = {}, .allowed = false};
    if (node.id >= NumaMask::kMaxNodes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hwloc: NUMA node P#", node.id, " is out of range (0..", NumaMask::kMaxNodes - 1, ")"));
    }
    PODALLOC_ASSIGN_OR_RETURN(node.cpus,
                              ToCpuSet(obj->cpuset, absl::StrCat("NUMA node P#", node.id)));
    node.allowed = allowed == nullptr || hwloc_bitmap_isset(allowed, obj->os_index);
    nodes.push_back(node);
  }
  return nodes;
}

// Latency matrix over `kept` (ascending id), or empty when hwloc has none.
absl::StatusOr<std::vector<std::vector<int>>> ReadDistances(
    hwloc_topology_t topology, const std::vector<const NumaNode*>& kept) {
  std::vector<std::vector<int>> rows;
  unsigned count = 0;
  if (hwloc_distances_get_by_type(topology, HWLOC_OBJ_NUMANODE, &count, nullptr,
                                  HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) != 0 ||
      count == 0) {
    return rows;
  }
  std::vector<hwloc_distances_s*> all(count, nullptr);
  if (hwloc_distances_get_by_type(topology, HWLOC_OBJ_NUMANODE, &count, all.data(),
                                  HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) != 0) {
    return absl::InternalError("hwloc: cannot read the NUMA distance matrices");
  }
  count = std::min<unsigned>(count, static_cast<unsigned>(all.size()));
  // Prefer what the OS reported (the SLIT) over user-supplied matrices.
  hwloc_distances_s* chosen = all[0];
  for (unsigned i = 0; i < count; ++i) {
    if (all[i]->kind & HWLOC_DISTANCES_KIND_FROM_OS) {
      chosen = all[i];
      break;
    }
  }
  absl::Status status;
  std::vector<int> index;  // position of each kept node in the matrix
  for (const NumaNode* node : kept) {
    int found = -1;
    for (unsigned i = 0; i < chosen->nbobjs; ++i) {
      if (chosen->objs[i] == node->obj) found = static_cast<int>(i);
    }
    if (found < 0 && status.ok()) {
      status = absl::InvalidArgumentError(
          absl::StrCat("hwloc: the NUMA latency matrix does not cover NUMA node P#", node->id));
    }
    index.push_back(found);
  }
  for (size_t i = 0; status.ok() && i < kept.size(); ++i) {
    std::vector<int> row;
    for (size_t j = 0; status.ok() && j < kept.size(); ++j) {
      hwloc_uint64_t v = chosen->values[index[i] * chosen->nbobjs + index[j]];
      if (v > INT_MAX) {
        status = absl::InvalidArgumentError(absl::StrCat(
            "hwloc: distance ", v, " from NUMA node P#", kept[i]->id, " is out of range"));
      }
      row.push_back(static_cast<int>(v));
    }
    rows.push_back(std::move(row));
  }
  for (unsigned i = 0; i < count; ++i) hwloc_distances_release(topology, all[i]);
  if (!status.ok()) return status;
  return rows;
}

// The kubelet's uncore id of a PU (cadvisor addCacheInfo): the first cache above L2 not
// spanning exactly the node's threads; -1 for none. hwloc keeps the kernel's cache id as the
// cache's os_index when it knows it; otherwise the lowest PU of the cache names it.
absl::StatusOr<int> UncoreId(hwloc_obj_t pu, int node_threads) {
  for (hwloc_obj_t obj = pu->parent; obj != nullptr; obj = obj->parent) {
    if (!hwloc_obj_type_is_cache(obj->type) || obj->attr->cache.depth < 3 ||
        obj->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION) {
      continue;
    }
    PODALLOC_ASSIGN_OR_RETURN(CpuSet shared, ToCpuSet(obj->cpuset, "a cache's cpuset"));
    if (shared.Size() == node_threads) continue;
    return obj->os_index != HWLOC_UNKNOWN_INDEX ? static_cast<int>(obj->os_index) : shared.First();
  }
  return -1;
}

std::vector<int> CoreKinds(hwloc_topology_t topology) {
  std::vector<int> kinds(CpuSet::kMaxCpus, 0);
  int count = hwloc_cpukinds_get_nr(topology, 0);
  if (count <= 1) return kinds;
  hwloc_bitmap_t cpus = hwloc_bitmap_alloc();
  // hwloc lists kinds from the least to the most performant.
  for (int k = 0; k < count; ++k) {
    if (hwloc_cpukinds_get_info(topology, static_cast<unsigned>(k), cpus, nullptr, nullptr, nullptr,
                                0) != 0) {
      continue;
    }
    for (int i = hwloc_bitmap_first(cpus); i >= 0 && i < CpuSet::kMaxCpus;
         i = hwloc_bitmap_next(cpus, i)) {
      kinds[i] = k;
    }
  }
  hwloc_bitmap_free(cpus);
  return kinds;
}

}  // namespace

absl::Status LoadHwloc(HwlocHandle& handle, const std::string& what,
                       absl::FunctionRef<int(hwloc_topology_t)> configure) {
  if (hwloc_topology_init(handle.out()) != 0) {
    return absl::ResourceExhaustedError(absl::StrCat("hwloc: cannot initialise for ", what));
  }
  // The I/O filter must be set before the load; the default drops every I/O object.
  if (hwloc_topology_set_flags(handle.get(), HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED) != 0 ||
      hwloc_topology_set_io_types_filter(handle.get(), HWLOC_TYPE_FILTER_KEEP_IMPORTANT) != 0 ||
      configure(handle.get()) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("hwloc rejects ", what));
  }
  if (hwloc_topology_load(handle.get()) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("hwloc cannot load ", what));
  }
  return absl::OkStatus();
}

absl::StatusOr<TopologySpec> SpecFromHwloc(hwloc_topology_t topology) {
  PODALLOC_ASSIGN_OR_RETURN(CpuSet complete, ToCpuSet(hwloc_topology_get_complete_cpuset(topology),
                                                      "the complete cpuset"));
  PODALLOC_ASSIGN_OR_RETURN(
      CpuSet allowed, ToCpuSet(hwloc_topology_get_allowed_cpuset(topology), "the allowed cpuset"));
  PODALLOC_ASSIGN_OR_RETURN(std::vector<NumaNode> nodes, ReadNumaNodes(topology));

  // A PU's node is the most local one holding it (smallest CPU set, then lowest id): CPU-less
  // memory (HBM, CXL) attached beside DRAM shares the DRAM node's cpuset in hwloc, while sysfs
  // lists the CPUs under the DRAM node only.
  std::vector<const NumaNode*> pu_node(CpuSet::kMaxCpus, nullptr);
  for (const NumaNode& node : nodes) {
    for (int cpu : node.cpus) {
      const NumaNode*& best = pu_node[cpu];
      if (best == nullptr || node.cpus.Size() < best->cpus.Size() ||
          (node.cpus.Size() == best->cpus.Size() && node.id < best->id)) {
        best = &node;
      }
    }
  }

  struct Pu {
    hwloc_obj_t obj, core;
    int id;
  };
  std::vector<Pu> pus;
  std::map<int, std::set<hwloc_obj_t>> cores_of_node;
  CpuSet usable;
  for (hwloc_obj_t obj = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PU, nullptr);
       obj != nullptr; obj = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PU, obj)) {
    int id = OsIndex(obj);
    if (id < 0 || id >= CpuSet::kMaxCpus) {
      return absl::InvalidArgumentError(
          absl::StrCat("hwloc: PU P#", id, " is out of range (0..", CpuSet::kMaxCpus - 1, ")"));
    }
    hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topology, HWLOC_OBJ_CORE, obj);
    pus.push_back(Pu{.obj = obj, .core = core != nullptr ? core : obj, .id = id});
    const NumaNode* node = pu_node[id];
    if (node != nullptr) cores_of_node[node->id].insert(pus.back().core);
    // Usable: allowed by the cgroup, with a NUMA node that is visible and allowed.
    if (allowed.Contains(id) && node != nullptr && node->allowed) usable.Add(id);
  }

  TopologySpec spec;
  const std::vector<int> kinds = CoreKinds(topology);
  for (const Pu& pu : pus) {
    if (!usable.Contains(pu.id)) continue;
    const NumaNode* node = pu_node[pu.id];
    PODALLOC_ASSIGN_OR_RETURN(CpuSet threads, ToCpuSet(pu.core->cpuset, "a core's cpuset"));
    CpuInfo info;
    info.id = pu.id;
    info.core_id = (threads & usable).First();
    hwloc_obj_t package = hwloc_get_ancestor_obj_by_type(topology, HWLOC_OBJ_PACKAGE, pu.obj);
    info.socket_id = package != nullptr ? OsIndex(package) : 0;
    info.numa_id = node->id;
    const int node_threads = static_cast<int>(cores_of_node[node->id].size()) * threads.Size();
    PODALLOC_ASSIGN_OR_RETURN(int uncore, UncoreId(pu.obj, node_threads));
    info.uncore_id = uncore >= 0 ? uncore : info.socket_id;
    info.kind = kinds[pu.id];
    spec.cpus.push_back(info);
  }
  spec.offline_cpus = complete - usable;

  std::vector<const NumaNode*> kept;
  for (const NumaNode& node : nodes) {
    if (node.allowed) kept.push_back(&node);
  }
  std::sort(kept.begin(), kept.end(),
            [](const NumaNode* a, const NumaNode* b) { return a->id < b->id; });
  for (const NumaNode* node : kept) {
    NumaNodeInfo info;
    info.id = node->id;
    const hwloc_obj_attr_u::hwloc_numanode_attr_s& attr = node->obj->attr->numanode;
    info.memory_bytes = attr.local_memory;
    // page_types[0] is the base page; the larger sizes are hugepages.
    for (unsigned i = 1; i < attr.page_types_len; ++i) {
      if (attr.page_types[i].size == 0) continue;
      info.hugepages.push_back(HugePages{.page_size_bytes = attr.page_types[i].size,
                                         .total_pages = attr.page_types[i].count});
    }
    spec.numa_nodes.push_back(std::move(info));
  }
  PODALLOC_ASSIGN_OR_RETURN(spec.distances, ReadDistances(topology, kept));
  NumaMask kept_nodes;
  for (const NumaNode* node : kept) kept_nodes.Set(node->id);
  spec.devices = DevicesFromHwloc(topology, kept_nodes);
  return spec;
}

}  // namespace podalloc::internal
