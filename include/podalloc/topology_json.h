// File: podalloc/topology_json.h
// The JSON form of a Topology: the versioned schema "podalloc.topology/v1" (documented in
// docs/topology-json.md) that FFI callers, the simulator and the CLI pass around, and the
// per-topology records of the kubelet's CPU-manager test topologies (the CPUTopology literals
// of pkg/kubelet/cm/cpumanager/policy_test.go, as transcribed in conformance/cpumanager).
//
// Output is deterministic (fixed key order, ascending ids) and round-trips exactly:
// TopologyFromJson(TopologyToJsonString(t)) == t. All functions are reentrant.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/topology.h"

namespace podalloc {

// The schema tag written by TopologyToJson and required by the versioned form.
inline constexpr char kTopologySchemaV1[] = "podalloc.topology/v1";

// The versioned document of `topology`.
nlohmann::json TopologyToJson(const Topology& topology);
// The same document as text: compact when indent < 0; otherwise one key, and one array
// element (CPU, NUMA node, distance row), per line, indented by `indent` spaces.
std::string TopologyToJsonString(const Topology& topology, int indent = -1);

// Builds a Topology from either
//  - a versioned document {"schema": "podalloc.topology/v1", ...} (unknown keys and unknown
//    schema versions are errors), or
//  - one kubelet test-topology record {"name", "num_cpus", "num_sockets", "num_cores",
//    "num_numanodes", "num_uncorecache", "cpus": [{"cpu","core","socket","numa",
//    "uncore_cache"}], "numa_distances"}; a null header count stays unset in the spec (the
//    Topology then derives it from the CPU list), a missing "uncore_cache" is 0, extra
//    descriptive keys ("source", "derived", ...) are ignored.
// Malformed JSON, wrong types and model violations are InvalidArgument naming the JSON path
// (e.g. "/cpus/3/core") or the offending item. Never throws.
[[nodiscard]] absl::StatusOr<Topology> TopologyFromJson(std::string_view text);
// The same from an already parsed document (named apart because nlohmann::json converts
// implicitly from strings, which would make an overload ambiguous).
[[nodiscard]] absl::StatusOr<Topology> TopologyFromJsonValue(const nlohmann::json& doc);

// How a null (or absent) header count of a kubelet test-topology record is read. The Go
// literal left such a field at its zero value, and the kubelet computes with that 0 (e.g.
// newCPUAccumulator's NumSockets >= NumNUMANodes, CPUsPerUncoreCache() == 0); kUnset instead
// lets the model derive the count from the CPU list.
enum class KubeletNullCount { kUnset, kZero };

// One kubelet test-topology record (see TopologyFromJson) with an explicit null-count rule.
[[nodiscard]] absl::StatusOr<Topology> KubeletTestTopologyFromJson(
    const nlohmann::json& record, KubeletNullCount nulls = KubeletNullCount::kUnset);

// Every record of a kubelet test-topology file ({"topologies": [record, ...], ...}, the shape
// of conformance/cpumanager/topologies.json), in file order.
[[nodiscard]] absl::StatusOr<std::vector<Topology>> KubeletTestTopologiesFromJson(
    const nlohmann::json& doc, KubeletNullCount nulls = KubeletNullCount::kUnset);
// The record called `name` in such a file; NotFound when absent.
[[nodiscard]] absl::StatusOr<Topology> KubeletTestTopologyByName(
    const nlohmann::json& doc, std::string_view name,
    KubeletNullCount nulls = KubeletNullCount::kUnset);

}  // namespace podalloc
