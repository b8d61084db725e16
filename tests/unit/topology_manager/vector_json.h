// File: tests/unit/topology_manager/vector_json.h
// Reading the topology-manager conformance vectors' JSON conventions into podalloc types
// (README of tests/data/conformance/topologymanager: null affinity = nil, [] = empty mask).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "podalloc/hint.h"
#include "podalloc/numa_info.h"
#include "podalloc/topology_manager.h"

namespace podalloc::testing {

NumaMask MaskFromJson(const nlohmann::json& ids);
TopologyHint HintFromJson(const nlohmann::json& j);
nlohmann::json HintToJson(const TopologyHint& h);
std::vector<TopologyHint> HintListFromJson(const nlohmann::json& j);
std::vector<ProviderHints> ProvidersFromJson(const nlohmann::json& providers);
// Nodes in the given order; rows from `distances` (object keyed by id, or null).
std::vector<NumaInfoNode> NodesFromJson(const nlohmann::json& ids, const nlohmann::json& distances);
TopologyPolicyOptions OptionsFromJson(const nlohmann::json& options);

}  // namespace podalloc::testing
