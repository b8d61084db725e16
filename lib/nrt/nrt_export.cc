// NodeResourceTopology v1alpha2 from one snapshot of a node: the zones' cpu, memory and huge
// page rows (exact: the managers' free pools; rte: the exporter's container-listed usage),
// the costs from the NUMA distances, and the attributes the scheduler plugin reads.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "nrt_internal.h"
#include "podalloc/yaml_json.h"
#include "podalloc/nrt.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

using Json = nlohmann::ordered_json;
using internal::ListedUsage;
using Row = internal::ZoneRow;

int64_t Bytes(uint64_t v) { return static_cast<int64_t>(std::min<uint64_t>(v, INT64_MAX)); }

// Per NUMA id, in one pass over the listed containers.
std::map<int, ListedUsage> ListedUsageByNode(const NodeState& state, const Topology& topology) {
  std::map<int, ListedUsage> usage;
  for (const auto& [uid, record] : state.pods) {
    for (const internal::ListedContainer& c : internal::ListedContainers(state, record)) {
      for (int cpu : c.cpus) {
        if (const CpuInfo* info = topology.cpu(cpu)) ++usage[info->numa_id].cpus;
      }
      for (const MemoryBlock& b : c.memory) {
        for (int numa : b.numa_affinity.GetBits()) usage[numa].memory[b.type] += Bytes(b.size);
      }
    }
  }
  return usage;
}

uint64_t HugePageCapacity(const NumaNodeInfo* info, uint64_t page_size) {
  if (info == nullptr) return 0;
  for (const HugePages& h : info->hugepages) {
    if (h.page_size_bytes == page_size) return h.page_size_bytes * h.total_pages;
  }
  return 0;
}

// `usage`: the exporter's listed usage on this node (rte mode only).
std::vector<Row> ZoneRowsOf(const Node& node, const NodeState& state, int numa,
                            const NrtOptions& options, const ListedUsage& usage) {
  const Topology& topology = node.topology();
  const CpuSet& node_cpus = topology.CpusInNumaNode(numa);
  const bool rte = options.mode == NrtMode::kRte;
  std::vector<Row> rows;
  if (node.config().cpu_manager_policy == "static") {
    const CpuSet& reserved = node.ReservedCpus();
    Row cpu{"cpu", node_cpus.Size(), node_cpus.Size() - node_cpus.CountIn(reserved), 0};
    cpu.available = rte ? cpu.allocatable - usage.cpus
                        : (state.cpu.default_cpu_set - reserved).CountIn(node_cpus);
    rows.push_back(cpu);
  }
  if (const MemoryNumaNodeState* tables = state.memory.machine.Node(numa)) {
    const NumaNodeInfo* info = topology.NumaNode(numa);
    for (const MemoryResourceTable& t : tables->memory) {
      Row row{t.resource.Name(), 0, Bytes(t.table.allocatable), 0};
      if (t.resource.is_hugepages()) {
        row.capacity = Bytes(HugePageCapacity(info, t.resource.page_size_bytes()));
        if (row.capacity == 0) row.capacity = Bytes(t.table.total);
      } else {
        row.capacity = Bytes(info != nullptr ? info->memory_bytes : t.table.total);
      }
      if (rte) {
        auto it = usage.memory.find(t.resource);
        row.available = row.allocatable - (it == usage.memory.end() ? 0 : it->second);
      } else {
        row.available = Bytes(t.table.free);
      }
      rows.push_back(row);
    }
  }
  // Only what the node can allocate is listed; a zone with nothing gets a cpu row of zeros
  // but its CPU count, as the exporter writes it.
  std::erase_if(rows, [](const Row& r) { return r.allocatable <= 0; });
  if (rows.empty()) rows.push_back(Row{"cpu", node_cpus.Size(), 0, 0});
  for (Row& r : rows) {
    if (r.capacity <= 0) r.capacity = r.allocatable;
    r.capacity = std::max(r.capacity, r.allocatable);
    r.available = std::max<int64_t>(r.available, 0);
  }
  for (const std::string& key : {options.node_name, std::string("*")}) {
    auto excluded = options.resource_exclude.find(key);
    if (excluded == options.resource_exclude.end()) continue;
    std::erase_if(rows, [&](const Row& r) { return excluded->second.contains(r.name); });
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.name < b.name; });
  return rows;
}

// NFD's single deprecated policy value for (policy, scope).
std::string LegacyPolicy(const NodeConfig& config) {
  const std::string& policy = config.topology_manager_policy;
  const std::string& scope = config.topology_manager_scope;
  std::string base;
  if (policy == "single-numa-node") base = "SingleNUMANode";
  if (policy == "restricted") base = "Restricted";
  if (policy == "best-effort") base = "BestEffort";
  if (base.empty() || (scope != "pod" && scope != "container")) return "None";
  return base + (scope == "pod" ? "PodLevel" : "ContainerLevel");
}

Json Attribute(std::string name, std::string value) {
  Json a = Json::object();
  a["name"] = std::move(name);
  a["value"] = std::move(value);
  return a;
}

absl::StatusOr<Json> BuildNrt(const Node& node, const NrtOptions& options) {
  if (options.node_name.empty()) {
    return absl::InvalidArgumentError("nodeName: the NodeResourceTopology needs the node's name");
  }
  const NodeSnapshot snapshot = node.Snapshot();
  const NodeState& state = snapshot.state;
  const Topology& topology = node.topology();
  const NodeConfig& config = node.config();

  std::vector<int> ids = topology.NumaIds();
  std::sort(ids.begin(), ids.end());
  Json zones = Json::array();
  std::set<std::string> published;
  const std::map<int, ListedUsage> usage = options.mode == NrtMode::kRte
                                               ? ListedUsageByNode(state, topology)
                                               : std::map<int, ListedUsage>{};
  for (int numa : ids) {
    Json zone = Json::object();
    zone["name"] = absl::StrCat("node-", numa);
    zone["type"] = "Node";
    if (topology.HasDistances()) {
      Json costs = Json::array();
      for (int to : ids) {
        Json cost = Json::object();
        cost["name"] = absl::StrCat("node-", to);
        cost["value"] = topology.Distance(numa, to);
        costs.push_back(std::move(cost));
      }
      zone["costs"] = std::move(costs);
    }
    Json resources = Json::array();
    auto used = usage.find(numa);
    for (const Row& r : ZoneRowsOf(node, state, numa, options,
                                 used != usage.end() ? used->second : ListedUsage{})) {
      Json row = Json::object();
      row["name"] = r.name;
      row["capacity"] = DecimalSiText(r.capacity);
      row["allocatable"] = DecimalSiText(r.allocatable);
      row["available"] = DecimalSiText(r.available);
      published.insert(r.name);
      resources.push_back(std::move(row));
    }
    if (!resources.empty()) zone["resources"] = std::move(resources);
    zones.push_back(std::move(zone));
  }

  Json doc = Json::object();
  doc["apiVersion"] = "topology.node.k8s.io/v1alpha2";
  doc["kind"] = "NodeResourceTopology";
  Json metadata = Json::object();
  metadata["name"] = options.node_name;
  std::string fingerprint;
  if (options.fingerprint) {
    const std::vector<PodName> pods =
        internal::FingerprintPods(state, options.method, options.rule, published);
    fingerprint = PodFingerprint(pods);
    metadata["annotations"] = Json::object({{"topology.node.k8s.io/fingerprint", fingerprint}});
  }
  if (!options.node_uid.empty()) {
    Json owner = Json::object();
    owner["apiVersion"] = "v1";
    owner["kind"] = "Node";
    owner["name"] = options.node_name;
    owner["uid"] = options.node_uid;
    metadata["ownerReferences"] = Json::array({std::move(owner)});
  }
  doc["metadata"] = std::move(metadata);
  if (options.legacy_topology_policies) doc["topologyPolicies"] = Json::array({LegacyPolicy(config)});
  doc["zones"] = std::move(zones);
  Json attributes = Json::array();
  if (options.fingerprint) {
    attributes.push_back(Attribute("nodeTopologyPodsFingerprint", fingerprint));
    attributes.push_back(
        Attribute("nodeTopologyPodsFingerprintMethod", FingerprintMethodName(options.method)));
  }
  attributes.push_back(Attribute("topologyManagerScope", config.topology_manager_scope));
  attributes.push_back(Attribute("topologyManagerPolicy", config.topology_manager_policy));
  if (options.publish_max_numa_nodes) {
    auto it = config.topology_manager_policy_options.find("max-allowable-numa-nodes");
    attributes.push_back(Attribute("topologyManagerMaxNUMANodes",
                                   it != config.topology_manager_policy_options.end() ? it->second
                                                                                      : "8"));
  }
  doc["attributes"] = std::move(attributes);
  return doc;
}

}  // namespace

namespace internal {
std::vector<ZoneRow> ZoneRows(const Node& node, const NodeState& state, int numa,
                              const NrtOptions& options, const ListedUsage& usage) {
  return ZoneRowsOf(node, state, numa, options, usage);
}
}  // namespace internal

absl::StatusOr<std::string> ExportNrt(const Node& node, const NrtOptions& options, int indent) {
  PODALLOC_ASSIGN_OR_RETURN(Json doc, BuildNrt(node, options));
  return doc.dump(indent);
}

absl::StatusOr<std::string> ExportNrtYaml(const Node& node, const NrtOptions& options) {
  PODALLOC_ASSIGN_OR_RETURN(Json doc, BuildNrt(node, options));
  return JsonToYaml(doc);
}

std::string NodePodFingerprint(const Node& node, FingerprintMethod method, FingerprintRule rule) {
  // The published names matter only for non-native resources, which no zone lists yet.
  const NodeSnapshot snapshot = node.Snapshot();
  return PodFingerprint(internal::FingerprintPods(snapshot.state, method, rule, {}));
}

}  // namespace podalloc
