// File: tests/unit/device_manager/vector_model.h
// Reading the device manager's conformance vectors (tests/data/conformance/devicemanager,
// README there) into podalloc values.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "podalloc/device_manager.h"

namespace podalloc::device_vectors {

using Json = nlohmann::json;

PluginDevice DeviceOf(const Json& j);
std::vector<PluginDevice> DevicesOf(const Json& list);
std::set<std::string> IdsOf(const Json& list);
// {"uid", "init_containers", "containers", "resources"?, "status"?} -> Pod.
Pod PodOf(const Json& j);
// A stored hint {"numa_affinity": null | [ids]} -> its affinity.
std::optional<NumaMask> HintOf(const Json& j);
std::vector<int> NodesOf(const Json& j);
// Registers a connected plugin with `devices` for each resource of `resources`.
void AddResources(DeviceManager& m, const Json& resources);
// Records `allocations` ([{pod, container, resource, devices, numa_keys?}]).
void AddAllocations(DeviceManager& m, const Json& allocations);
// A hint list in the vectors' form (null, or sorted preferred-first, narrower, smaller).
Json HintsJson(const ResourceHints& hints);
Json SortedHints(Json list);

}  // namespace podalloc::device_vectors
