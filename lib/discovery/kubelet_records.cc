// The kubelet's CPU-manager test topologies (the CPUTopology literals of policy_test.go as
// transcribed in conformance/cpumanager/topologies.json). Reading is lenient: the records carry
// descriptive extras such as "source".
#include "absl/strings/str_cat.h"
#include "json_reader.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/status_macros.h"
#include "podalloc/topology_json.h"
#include "topology_json_internal.h"

namespace podalloc {
namespace internal {

using nlohmann::json;

absl::StatusOr<TopologySpec> ReadKubeletRecord(const json& doc, const std::string& root,
                                               KubeletNullCount nulls) {
  // Descriptive extras are ignored, but a key of the versioned document would be lost
  // silently (its NUMA memory, distances or devices), so it is refused with what to do.
  for (const char* key : {"numa_nodes", "distances", "offline_cpus", "counts", "devices",
                          "allow_cores_across_nodes"}) {
    if (doc.contains(key)) {
      return JsonError(JsonPath(root, key),
                       absl::StrCat("a key of the versioned topology document, which a kubelet "
                                    "test-topology record cannot carry; add \"schema\": \"",
                                    kTopologySchemaV1, "\" and write the document in that form "
                                    "(docs/topology-json.md)"));
    }
  }
  TopologySpec spec;
  // The kubelet's CoreID is a label: some of its test machines reuse core ids in every socket.
  spec.allow_cores_across_nodes = true;
  if (const json* name = FindMember(doc, "name")) {
    PODALLOC_ASSIGN_OR_RETURN(spec.name, ReadString(*name, JsonPath(root, "name")));
  }
  const bool zero = nulls == KubeletNullCount::kZero;
  PODALLOC_RETURN_IF_ERROR(ReadCount(doc, root, "num_cpus", &spec.num_cpus, zero));
  PODALLOC_RETURN_IF_ERROR(ReadCount(doc, root, "num_sockets", &spec.num_sockets, zero));
  PODALLOC_RETURN_IF_ERROR(ReadCount(doc, root, "num_cores", &spec.num_cores, zero));
  PODALLOC_RETURN_IF_ERROR(ReadCount(doc, root, "num_numanodes", &spec.num_numa_nodes, zero));
  PODALLOC_RETURN_IF_ERROR(ReadCount(doc, root, "num_uncorecache", &spec.num_uncore_caches, zero));
  const std::string cpus_path = JsonPath(root, "cpus");
  const json* cpus = FindMember(doc, "cpus");
  if (cpus == nullptr) return JsonError(cpus_path, "missing");
  PODALLOC_RETURN_IF_ERROR(ExpectArray(*cpus, cpus_path));
  for (size_t i = 0; i < cpus->size(); ++i) {
    const json& c = (*cpus)[i];
    std::string path = JsonPath(cpus_path, i);
    PODALLOC_RETURN_IF_ERROR(ExpectObject(c, path));
    CpuInfo cpu;
    PODALLOC_ASSIGN_OR_RETURN(cpu.id, ReadIntMember(c, path, "cpu"));
    PODALLOC_ASSIGN_OR_RETURN(cpu.core_id, ReadIntMember(c, path, "core"));
    PODALLOC_ASSIGN_OR_RETURN(cpu.socket_id, ReadIntMember(c, path, "socket"));
    PODALLOC_ASSIGN_OR_RETURN(cpu.numa_id, ReadIntMember(c, path, "numa"));
    // The Go literals omit UncoreCacheID outside the uncore tests: its zero value.
    PODALLOC_ASSIGN_OR_RETURN(cpu.uncore_id, ReadIntMember(c, path, "uncore_cache", 0));
    spec.cpus.push_back(cpu);
  }
  if (const json* distances = FindMember(doc, "numa_distances")) {
    PODALLOC_ASSIGN_OR_RETURN(spec.distances,
                              ReadDistances(*distances, JsonPath(root, "numa_distances")));
  }
  return spec;
}

}  // namespace internal

using internal::EscapeInput;
using internal::ExpectArray;
using internal::ExpectObject;
using internal::FindMember;
using internal::JsonError;
using internal::JsonPath;
using internal::QuoteInput;
using nlohmann::json;

namespace {

// The "topologies" array of a test-topology file.
absl::StatusOr<const json*> RecordList(const json& doc) {
  PODALLOC_RETURN_IF_ERROR(ExpectObject(doc, ""));
  const json* list = FindMember(doc, "topologies");
  if (list == nullptr) return JsonError("/topologies", "missing");
  PODALLOC_RETURN_IF_ERROR(ExpectArray(*list, "/topologies"));
  return list;
}

}  // namespace

absl::StatusOr<Topology> KubeletTestTopologyFromJson(const json& record, KubeletNullCount nulls) {
  try {
    PODALLOC_RETURN_IF_ERROR(ExpectObject(record, ""));
    if (record.contains("schema")) {
      return JsonError("/schema", "a kubelet test-topology record has no schema key");
    }
    PODALLOC_ASSIGN_OR_RETURN(TopologySpec spec, internal::ReadKubeletRecord(record, "", nulls));
    return Topology::Build(std::move(spec));
  } catch (const json::exception& e) {
    return JsonError("", absl::StrCat("unexpected JSON error: ", EscapeInput(e.what())));
  }
}

absl::StatusOr<std::vector<Topology>> KubeletTestTopologiesFromJson(const json& doc,
                                                                    KubeletNullCount nulls) {
  try {
    PODALLOC_ASSIGN_OR_RETURN(const json* list, RecordList(doc));
    std::vector<Topology> out;
    for (size_t i = 0; i < list->size(); ++i) {
      std::string path = JsonPath("/topologies", i);
      PODALLOC_RETURN_IF_ERROR(ExpectObject((*list)[i], path));
      PODALLOC_ASSIGN_OR_RETURN(TopologySpec spec,
                                internal::ReadKubeletRecord((*list)[i], path, nulls));
      std::string name = spec.name;
      auto topology = Topology::Build(std::move(spec));
      if (!topology.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, " (", EscapeInput(name), "): ",
                         std::string(topology.status().message())));
      }
      out.push_back(*std::move(topology));
    }
    return out;
  } catch (const json::exception& e) {
    return JsonError("", absl::StrCat("unexpected JSON error: ", EscapeInput(e.what())));
  }
}

absl::StatusOr<Topology> KubeletTestTopologyByName(const json& doc, std::string_view name,
                                                   KubeletNullCount nulls) {
  // Only the named record is built, so one record the model rejects does not hide the others.
  try {
    PODALLOC_ASSIGN_OR_RETURN(const json* list, RecordList(doc));
    for (size_t i = 0; i < list->size(); ++i) {
      const json& record = (*list)[i];
      if (!record.is_object()) continue;
      const json* n = FindMember(record, "name");
      if (n == nullptr || !n->is_string() || n->get_ref<const std::string&>() != name) continue;
      return internal::TopologyFromDocument(record, JsonPath("/topologies", i), nulls);
    }
  } catch (const json::exception& e) {
    return JsonError("", absl::StrCat("unexpected JSON error: ", EscapeInput(e.what())));
  }
  return absl::NotFoundError(
      absl::StrCat("no kubelet test topology named ", QuoteInput(name)));
}

}  // namespace podalloc
