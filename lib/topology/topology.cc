#include "podalloc/topology.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace podalloc {
namespace {

const CpuSet& EmptyCpuSet() {
  static const CpuSet kEmpty;
  return kEmpty;
}

absl::Status Invalid(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("topology: ", what));
}

}  // namespace

const CpuSet& Topology::Group::Cpus(int id) const {
  auto it = index.find(id);
  return it == index.end() ? EmptyCpuSet() : cpus[it->second];
}

void Topology::Group::Add(int id, int cpu) {
  auto [it, inserted] = index.try_emplace(id, static_cast<int>(ids.size()));
  if (inserted) {
    ids.push_back(id);
    cpus.emplace_back();
  }
  if (cpu >= 0) cpus[it->second].Add(cpu);
}

void Topology::Group::Finish() {
  // Ids were appended in first-seen order; store them ascending.
  std::vector<int> order(ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return ids[a] < ids[b]; });
  std::vector<int> sorted_ids;
  std::vector<CpuSet> sorted_cpus;
  for (int i : order) {
    sorted_ids.push_back(ids[i]);
    sorted_cpus.push_back(cpus[i]);
  }
  ids = std::move(sorted_ids);
  cpus = std::move(sorted_cpus);
  index.clear();
  for (size_t i = 0; i < ids.size(); ++i) index[ids[i]] = static_cast<int>(i);
}

absl::StatusOr<Topology> Topology::Build(TopologySpec spec) {
  Topology t;
  std::sort(spec.cpus.begin(), spec.cpus.end(),
            [](const CpuInfo& a, const CpuInfo& b) { return a.id < b.id; });
  std::sort(spec.numa_nodes.begin(), spec.numa_nodes.end(),
            [](const NumaNodeInfo& a, const NumaNodeInfo& b) { return a.id < b.id; });

  // NUMA nodes: unique, in range; hugepages sorted with non-zero sizes.
  for (size_t i = 0; i < spec.numa_nodes.size(); ++i) {
    NumaNodeInfo& node = spec.numa_nodes[i];
    if (node.id < 0 || node.id >= NumaMask::kMaxNodes) {
      return Invalid(absl::StrCat("NUMA node id ", node.id, " is out of range (0..",
                                  NumaMask::kMaxNodes - 1, ")"));
    }
    if (i > 0 && spec.numa_nodes[i - 1].id == node.id) {
      return Invalid(absl::StrCat("NUMA node ", node.id, " is listed twice"));
    }
    std::sort(node.hugepages.begin(), node.hugepages.end(),
              [](const HugePages& a, const HugePages& b) {
                return a.page_size_bytes < b.page_size_bytes;
              });
    for (size_t h = 0; h < node.hugepages.size(); ++h) {
      if (node.hugepages[h].page_size_bytes == 0) {
        return Invalid(absl::StrCat("NUMA node ", node.id, ": hugepage size 0"));
      }
      if (h > 0 && node.hugepages[h - 1].page_size_bytes == node.hugepages[h].page_size_bytes) {
        return Invalid(absl::StrCat("NUMA node ", node.id, ": hugepage size ",
                                    node.hugepages[h].page_size_bytes, " is listed twice"));
      }
    }
  }

  if (absl::Status s = CheckMachineMemory(spec.numa_nodes); !s.ok()) return s;

  // CPUs: unique ids in range; each core in exactly one socket and one NUMA node.
  std::map<int, std::pair<int, int>> core_home;  // core id -> (socket, numa) of first thread
  int max_id = spec.cpus.empty() ? -1 : spec.cpus.back().id;
  for (size_t i = 0; i < spec.cpus.size(); ++i) {
    const CpuInfo& c = spec.cpus[i];
    if (c.id < 0 || c.id >= CpuSet::kMaxCpus) {
      return Invalid(absl::StrCat("CPU id ", c.id, " is out of range (0..",
                                  CpuSet::kMaxCpus - 1, ")"));
    }
    if (i > 0 && spec.cpus[i - 1].id == c.id) {
      return Invalid(absl::StrCat("CPU ", c.id, " is listed twice"));
    }
    if (c.core_id < 0 || c.socket_id < 0 || c.uncore_id < 0 || c.kind < 0) {
      return Invalid(absl::StrCat("CPU ", c.id, ": negative core (", c.core_id, "), socket (",
                                  c.socket_id, "), uncore cache (", c.uncore_id,
                                  ") or kind (", c.kind, ") id"));
    }
    if (c.numa_id < 0 || c.numa_id >= NumaMask::kMaxNodes) {
      return Invalid(absl::StrCat("CPU ", c.id, ": NUMA node id ", c.numa_id,
                                  " is out of range (0..", NumaMask::kMaxNodes - 1, ")"));
    }
    if (spec.offline_cpus.Contains(c.id)) {
      return Invalid(absl::StrCat("CPU ", c.id, " is listed both online and offline"));
    }
    auto [it, inserted] = core_home.try_emplace(c.core_id, c.socket_id, c.numa_id);
    if (!inserted && !spec.allow_cores_across_nodes && (it->second.first != c.socket_id || it->second.second != c.numa_id)) {
      return Invalid(absl::StrCat("core ", c.core_id, " has CPU ", c.id, " in socket ",
                                  c.socket_id, "/NUMA node ", c.numa_id,
                                  " but another thread in socket ", it->second.first,
                                  "/NUMA node ", it->second.second));
    }
  }

  // NUMA nodes named by CPUs but not described: add them without memory.
  for (const CpuInfo& c : spec.cpus) {
    auto it = std::lower_bound(spec.numa_nodes.begin(), spec.numa_nodes.end(), c.numa_id,
                               [](const NumaNodeInfo& n, int id) { return n.id < id; });
    if (it == spec.numa_nodes.end() || it->id != c.numa_id) {
      spec.numa_nodes.insert(it, NumaNodeInfo{.id = c.numa_id, .memory_bytes = 0, .hugepages = {}});
    }
  }

  const size_t n = spec.numa_nodes.size();
  if (!spec.distances.empty()) {
    if (spec.distances.size() != n) {
      return Invalid(absl::StrCat("distance matrix has ", spec.distances.size(),
                                  " rows for ", n, " NUMA nodes"));
    }
    for (size_t i = 0; i < n; ++i) {
      if (spec.distances[i].size() != n) {
        return Invalid(absl::StrCat("distance matrix row of NUMA node ", spec.numa_nodes[i].id,
                                    " has ", spec.distances[i].size(), " entries for ", n,
                                    " NUMA nodes"));
      }
      for (size_t j = 0; j < n; ++j) {
        if (spec.distances[i][j] <= 0) {
          return Invalid(absl::StrCat("distance from NUMA node ", spec.numa_nodes[i].id,
                                      " to ", spec.numa_nodes[j].id, " is ",
                                      spec.distances[i][j], " (must be positive)"));
        }
      }
    }
  }

  for (const auto* count : {&spec.num_cpus, &spec.num_cores, &spec.num_sockets,
                            &spec.num_numa_nodes, &spec.num_uncore_caches}) {
    if (count->has_value() && **count < 0) {
      return Invalid(absl::StrCat("negative header count ", **count));
    }
  }

  NumaMask machine_nodes;
  for (const NumaNodeInfo& node : spec.numa_nodes) machine_nodes.Set(node.id);
  if (absl::Status s = CheckIoDevices(&spec.devices, machine_nodes); !s.ok()) return s;

  t.cpu_index_.assign(max_id + 1, -1);
  for (size_t i = 0; i < spec.cpus.size(); ++i) {
    const CpuInfo& c = spec.cpus[i];
    t.cpu_index_[c.id] = static_cast<int>(i);
    t.all_cpus_.Add(c.id);
    t.sockets_.Add(c.socket_id, c.id);
    t.cores_.Add(c.core_id, c.id);
    t.uncores_.Add(c.uncore_id, c.id);
  }
  for (const NumaNodeInfo& node : spec.numa_nodes) {
    t.numa_.Add(node.id, -1);
    t.all_numa_.Set(node.id);
  }
  for (const CpuInfo& c : spec.cpus) t.numa_.Add(c.numa_id, c.id);
  t.sockets_.Finish();
  t.cores_.Finish();
  t.uncores_.Finish();
  t.numa_.Finish();

  t.num_cpus_ = spec.num_cpus.value_or(static_cast<int>(spec.cpus.size()));
  t.num_cores_ = spec.num_cores.value_or(static_cast<int>(t.cores_.ids.size()));
  t.num_sockets_ = spec.num_sockets.value_or(static_cast<int>(t.sockets_.ids.size()));
  t.num_numa_nodes_ = spec.num_numa_nodes.value_or(static_cast<int>(t.numa_.ids.size()));
  t.num_uncore_caches_ =
      spec.num_uncore_caches.value_or(static_cast<int>(t.uncores_.ids.size()));
  t.spec_ = std::move(spec);
  return t;
}

CpuSet Topology::CpusInNumaNodes(NumaMask nodes) const {
  CpuSet out;
  for (uint64_t b = nodes.bits(); b != 0; b &= b - 1) out |= numa_.Cpus(std::countr_zero(b));
  return out;
}

CpuSet Topology::CpusInSockets(const std::vector<int>& ids) const {
  CpuSet out;
  for (int id : ids) out |= sockets_.Cpus(id);
  return out;
}

std::vector<int> Topology::NumaIdsInSocket(int socket_id) const {
  const CpuSet& socket = sockets_.Cpus(socket_id);
  std::vector<int> out;
  for (size_t i = 0; i < numa_.ids.size(); ++i) {
    if (numa_.cpus[i].Intersects(socket)) out.push_back(numa_.ids[i]);
  }
  return out;
}

std::vector<int> Topology::SocketIdsInNumaNode(int numa_id) const {
  const CpuSet& node = numa_.Cpus(numa_id);
  std::vector<int> out;
  for (size_t i = 0; i < sockets_.ids.size(); ++i) {
    if (sockets_.cpus[i].Intersects(node)) out.push_back(sockets_.ids[i]);
  }
  return out;
}

NumaMask Topology::NumaNodesOf(const CpuSet& cpus) const {
  NumaMask out;
  for (size_t i = 0; i < numa_.ids.size(); ++i) {
    if (numa_.cpus[i].Intersects(cpus)) out.Set(numa_.ids[i]);
  }
  return out;
}

const NumaNodeInfo* Topology::NumaNode(int id) const {
  auto it = numa_.index.find(id);
  return it == numa_.index.end() ? nullptr : &spec_.numa_nodes[it->second];
}

int Topology::Distance(int from, int to) const {
  auto a = numa_.index.find(from);
  auto b = numa_.index.find(to);
  if (a == numa_.index.end() || b == numa_.index.end() || spec_.distances.empty()) {
    return from == to ? 10 : 20;
  }
  return spec_.distances[a->second][b->second];
}

}  // namespace podalloc
