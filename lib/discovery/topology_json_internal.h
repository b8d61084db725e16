// File: lib/discovery/topology_json_internal.h
// Pieces shared by the two topology JSON readers (topology_json.cc for the versioned schema,
// kubelet_records.cc for the kubelet's test topologies).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/topology.h"
#include "podalloc/topology_json.h"

namespace podalloc::internal {

// An id-like member (int 0..INT_MAX); a missing member yields `fallback` when one is given.
absl::StatusOr<int> ReadIntMember(const nlohmann::json& obj, const std::string& path,
                                  std::string_view key, std::optional<int> fallback = std::nullopt);

// A header count: absent or null leaves it unset, or sets it to 0 when `null_is_zero`.
absl::Status ReadCount(const nlohmann::json& obj, const std::string& path, std::string_view key,
                       std::optional<int>* out, bool null_is_zero = false);

// A square matrix as an array of rows, or an object {"<numa id>": row} whose rows are taken
// in ascending NUMA id order (the shape of cadvisor's per-node distance lists); null = none.
absl::StatusOr<std::vector<std::vector<int>>> ReadDistances(const nlohmann::json& v,
                                                            const std::string& path);

// One CPUTopology literal of the kubelet's tests, as transcribed in topologies.json; `root`
// is its JSON path.
absl::StatusOr<TopologySpec> ReadKubeletRecord(const nlohmann::json& doc, const std::string& root,
                                               KubeletNullCount nulls);

// Either form, recognised by the presence of "schema"; `nulls` applies to kubelet records.
absl::StatusOr<Topology> TopologyFromDocument(const nlohmann::json& doc, const std::string& root,
                                              KubeletNullCount nulls);

}  // namespace podalloc::internal
