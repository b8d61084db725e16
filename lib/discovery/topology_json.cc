// The versioned topology document (see docs/topology-json.md). Reading is strict (unknown keys
// are errors, so a misspelt field never silently becomes a default); writing is deterministic.
#include "podalloc/topology_json.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "json_reader.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/status_macros.h"
#include "topology_json_internal.h"

namespace podalloc {
namespace {

using internal::EscapeInput;
using internal::ExpectArray;
using internal::ExpectObject;
using internal::ExpectOnlyKeys;
using internal::FindMember;
using internal::JsonError;
using internal::JsonPath;
using internal::QuoteInput;
using internal::ReadCount;
using internal::ReadDistances;
using internal::ReadIntMember;
using internal::ReadString;
using internal::ReadUint64;
using nlohmann::json;

absl::StatusOr<NumaNodeInfo> ReadNumaNode(const json& v, const std::string& path) {
  PODALLOC_RETURN_IF_ERROR(ExpectObject(v, path));
  PODALLOC_RETURN_IF_ERROR(ExpectOnlyKeys(v, path, {"id", "memory_bytes", "hugepages"}));
  NumaNodeInfo node;
  PODALLOC_ASSIGN_OR_RETURN(node.id, ReadIntMember(v, path, "id"));
  if (const json* mem = FindMember(v, "memory_bytes")) {
    PODALLOC_ASSIGN_OR_RETURN(node.memory_bytes, ReadUint64(*mem, JsonPath(path, "memory_bytes")));
  }
  if (const json* pages = FindMember(v, "hugepages")) {
    std::string pages_path = JsonPath(path, "hugepages");
    PODALLOC_RETURN_IF_ERROR(ExpectArray(*pages, pages_path));
    for (size_t i = 0; i < pages->size(); ++i) {
      const json& p = (*pages)[i];
      std::string p_path = JsonPath(pages_path, i);
      PODALLOC_RETURN_IF_ERROR(ExpectObject(p, p_path));
      PODALLOC_RETURN_IF_ERROR(ExpectOnlyKeys(p, p_path, {"page_size_bytes", "total_pages"}));
      HugePages hp;
      const json* size = FindMember(p, "page_size_bytes");
      const json* total = FindMember(p, "total_pages");
      if (size == nullptr) return JsonError(JsonPath(p_path, "page_size_bytes"), "missing");
      if (total == nullptr) return JsonError(JsonPath(p_path, "total_pages"), "missing");
      PODALLOC_ASSIGN_OR_RETURN(hp.page_size_bytes,
                                ReadUint64(*size, JsonPath(p_path, "page_size_bytes")));
      PODALLOC_ASSIGN_OR_RETURN(hp.total_pages,
                                ReadUint64(*total, JsonPath(p_path, "total_pages")));
      node.hugepages.push_back(hp);
    }
  }
  return node;
}

absl::StatusOr<TopologySpec> ReadVersioned(const json& doc) {
  const std::string root;
  PODALLOC_RETURN_IF_ERROR(ExpectOnlyKeys(
      doc, root, {"schema", "name", "cpus", "offline_cpus", "numa_nodes", "distances", "counts",
                  "allow_cores_across_nodes", "devices"}));
  PODALLOC_ASSIGN_OR_RETURN(std::string schema, ReadString(doc["schema"], "/schema"));
  if (schema != kTopologySchemaV1) {
    return JsonError("/schema", absl::StrCat("unknown schema version ", QuoteInput(schema),
                                             " (supported: \"", kTopologySchemaV1, "\")"));
  }
  TopologySpec spec;
  if (const json* name = FindMember(doc, "name")) {
    PODALLOC_ASSIGN_OR_RETURN(spec.name, ReadString(*name, "/name"));
  }
  const json* cpus = FindMember(doc, "cpus");
  if (cpus == nullptr) return JsonError("/cpus", "missing");
  PODALLOC_RETURN_IF_ERROR(ExpectArray(*cpus, "/cpus"));
  for (size_t i = 0; i < cpus->size(); ++i) {
    const json& c = (*cpus)[i];
    std::string path = JsonPath("/cpus", i);
    PODALLOC_RETURN_IF_ERROR(ExpectObject(c, path));
    PODALLOC_RETURN_IF_ERROR(
        ExpectOnlyKeys(c, path, {"id", "core", "socket", "numa", "uncore", "kind"}));
    CpuInfo cpu;
    PODALLOC_ASSIGN_OR_RETURN(cpu.id, ReadIntMember(c, path, "id"));
    PODALLOC_ASSIGN_OR_RETURN(cpu.core_id, ReadIntMember(c, path, "core"));
    PODALLOC_ASSIGN_OR_RETURN(cpu.socket_id, ReadIntMember(c, path, "socket"));
    PODALLOC_ASSIGN_OR_RETURN(cpu.numa_id, ReadIntMember(c, path, "numa"));
    // The kubelet's rule: without an L3 the uncore cache is the socket.
    PODALLOC_ASSIGN_OR_RETURN(cpu.uncore_id, ReadIntMember(c, path, "uncore", cpu.socket_id));
    PODALLOC_ASSIGN_OR_RETURN(cpu.kind, ReadIntMember(c, path, "kind", 0));
    spec.cpus.push_back(cpu);
  }
  if (const json* offline = FindMember(doc, "offline_cpus")) {
    PODALLOC_ASSIGN_OR_RETURN(std::string text, ReadString(*offline, "/offline_cpus"));
    auto set = CpuSet::Parse(text);
    if (!set.ok()) return JsonError("/offline_cpus", std::string(set.status().message()));
    spec.offline_cpus = *set;
  }
  if (const json* nodes = FindMember(doc, "numa_nodes")) {
    PODALLOC_RETURN_IF_ERROR(ExpectArray(*nodes, "/numa_nodes"));
    for (size_t i = 0; i < nodes->size(); ++i) {
      PODALLOC_ASSIGN_OR_RETURN(NumaNodeInfo node,
                                ReadNumaNode((*nodes)[i], JsonPath("/numa_nodes", i)));
      spec.numa_nodes.push_back(std::move(node));
    }
  }
  if (const json* distances = FindMember(doc, "distances")) {
    PODALLOC_ASSIGN_OR_RETURN(spec.distances, ReadDistances(*distances, "/distances"));
  }
  if (const json* allow = FindMember(doc, "allow_cores_across_nodes")) {
    if (!allow->is_boolean()) {
      return JsonError("/allow_cores_across_nodes", "must be true or false");
    }
    spec.allow_cores_across_nodes = allow->get<bool>();
  }
  if (const json* devices = FindMember(doc, "devices")) {
    PODALLOC_ASSIGN_OR_RETURN(spec.devices, internal::ReadIoDevices(*devices, "/devices"));
  }
  if (const json* counts = FindMember(doc, "counts")) {
    PODALLOC_RETURN_IF_ERROR(ExpectObject(*counts, "/counts"));
    PODALLOC_RETURN_IF_ERROR(ExpectOnlyKeys(
        *counts, "/counts",
        {"num_cpus", "num_cores", "num_sockets", "num_numa_nodes", "num_uncore_caches"}));
    PODALLOC_RETURN_IF_ERROR(ReadCount(*counts, "/counts", "num_cpus", &spec.num_cpus));
    PODALLOC_RETURN_IF_ERROR(ReadCount(*counts, "/counts", "num_cores", &spec.num_cores));
    PODALLOC_RETURN_IF_ERROR(ReadCount(*counts, "/counts", "num_sockets", &spec.num_sockets));
    PODALLOC_RETURN_IF_ERROR(ReadCount(*counts, "/counts", "num_numa_nodes", &spec.num_numa_nodes));
    PODALLOC_RETURN_IF_ERROR(
        ReadCount(*counts, "/counts", "num_uncore_caches", &spec.num_uncore_caches));
  }
  return spec;
}

template <typename Json>
Json BuildDocument(const Topology& topology) {
  const TopologySpec& spec = topology.spec();
  Json doc;
  doc["schema"] = kTopologySchemaV1;
  doc["name"] = spec.name;
  Json cpus = Json::array();
  for (const CpuInfo& c : spec.cpus) {
    Json cpu;
    cpu["id"] = c.id;
    cpu["core"] = c.core_id;
    cpu["socket"] = c.socket_id;
    cpu["numa"] = c.numa_id;
    cpu["uncore"] = c.uncore_id;
    cpu["kind"] = c.kind;
    cpus.push_back(std::move(cpu));
  }
  doc["cpus"] = std::move(cpus);
  doc["offline_cpus"] = spec.offline_cpus.ToString();
  Json nodes = Json::array();
  for (const NumaNodeInfo& n : spec.numa_nodes) {
    Json node;
    node["id"] = n.id;
    node["memory_bytes"] = n.memory_bytes;
    Json pages = Json::array();
    for (const HugePages& hp : n.hugepages) {
      Json page;
      page["page_size_bytes"] = hp.page_size_bytes;
      page["total_pages"] = hp.total_pages;
      pages.push_back(std::move(page));
    }
    node["hugepages"] = std::move(pages);
    nodes.push_back(std::move(node));
  }
  doc["numa_nodes"] = std::move(nodes);
  doc["distances"] = Json::array();
  for (const auto& row : spec.distances) doc["distances"].push_back(row);
  Json counts = Json::object();
  auto put = [&counts](const char* key, const std::optional<int>& v) {
    if (v.has_value()) counts[key] = *v;
  };
  put("num_cpus", spec.num_cpus);
  put("num_cores", spec.num_cores);
  put("num_sockets", spec.num_sockets);
  put("num_numa_nodes", spec.num_numa_nodes);
  put("num_uncore_caches", spec.num_uncore_caches);
  doc["counts"] = std::move(counts);
  if (spec.allow_cores_across_nodes) doc["allow_cores_across_nodes"] = true;
  // Written only when there are devices, so documents of machines without I/O information
  // stay as they were.
  if (!spec.devices.empty()) {
    Json devices = Json::array();
    for (const IoDevice& d : spec.devices) devices.push_back(internal::IoDeviceToJson<Json>(d));
    doc["devices"] = std::move(devices);
  }
  return doc;
}

}  // namespace

absl::StatusOr<Topology> internal::TopologyFromDocument(const json& doc, const std::string& root,
                                                        KubeletNullCount nulls) {
  PODALLOC_RETURN_IF_ERROR(ExpectObject(doc, root));
  absl::StatusOr<TopologySpec> spec;
  if (doc.contains("schema")) {
    spec = ReadVersioned(doc);
  } else if (doc.contains("cpus") && (doc.contains("num_cpus") || doc.contains("num_cores"))) {
    spec = internal::ReadKubeletRecord(doc, root, nulls);
  } else {
    return JsonError(JsonPath(root, "schema"),
                     absl::StrCat("missing (expected \"", kTopologySchemaV1,
                                  "\" or a kubelet test-topology record)"));
  }
  if (!spec.ok()) return spec.status();
  return Topology::Build(*std::move(spec));
}

json TopologyToJson(const Topology& topology) { return BuildDocument<json>(topology); }

std::string TopologyToJsonString(const Topology& topology, int indent) {
  // The text form keeps the documented key order (schema first) for human readers.
  const nlohmann::ordered_json doc = BuildDocument<nlohmann::ordered_json>(topology);
  if (indent < 0) return doc.dump();
  // One array element per line: a 4096-CPU machine stays 4096 lines, not 33000.
  const std::string pad(static_cast<size_t>(indent), ' ');
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : doc.items()) {
    absl::StrAppend(&out, first ? "\n" : ",\n", pad, nlohmann::ordered_json(key).dump(), ": ");
    first = false;
    if (!value.is_array() || value.empty()) {
      out += value.dump();
      continue;
    }
    out += "[";
    for (size_t i = 0; i < value.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "\n" : ",\n", pad, pad, value[i].dump());
    }
    absl::StrAppend(&out, "\n", pad, "]");
  }
  out += "\n}";
  return out;
}

absl::StatusOr<Topology> TopologyFromJsonValue(const json& doc) {
  try {
    return internal::TopologyFromDocument(doc, "", KubeletNullCount::kUnset);
  } catch (const json::exception& e) {
    return JsonError("", absl::StrCat("unexpected JSON error: ", EscapeInput(e.what())));
  }
}

absl::StatusOr<Topology> TopologyFromJson(std::string_view text) {
  absl::StatusOr<json> doc = internal::ParseJson(text, internal::JsonPathStyle::kPointer);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("topology JSON: malformed: ", doc.status().message()));
  }
  return TopologyFromJsonValue(*doc);
}

}  // namespace podalloc
