#include "vector_model.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "podalloc/device_hints.h"
#include "podalloc/quantity.h"

namespace podalloc::device_vectors {

PluginDevice DeviceOf(const Json& j) {
  PluginDevice d;
  d.id = j.at("id").get<std::string>();
  d.health = j.value("health", std::string(kDeviceHealthy));
  if (j.contains("numa") && !j["numa"].is_null()) {
    d.numa_nodes = j["numa"].get<std::vector<int64_t>>();
  }
  return d;
}

std::vector<PluginDevice> DevicesOf(const Json& list) {
  std::vector<PluginDevice> out;
  for (const Json& d : list) out.push_back(DeviceOf(d));
  return out;
}

std::set<std::string> IdsOf(const Json& list) {
  std::set<std::string> out;
  if (list.is_null()) return out;
  for (const Json& id : list) out.insert(id.get<std::string>());
  return out;
}

namespace {

Quantity QuantityOf(const Json& v) {
  if (v.is_number_integer()) return Quantity::FromMilli(v.get<int64_t>() * 1000);
  absl::StatusOr<Quantity> q = Quantity::Parse(v.get<std::string>());
  REQUIRE(q.ok());
  return *q;
}

Container ContainerOf(const Json& j) {
  Container c;
  c.name = j.value("name", std::string());
  if (j.contains("limits")) {
    for (const auto& [name, v] : j["limits"].items()) {
      c.resources.limits[name] = QuantityOf(v);
      c.resources.requests[name] = QuantityOf(v);
    }
  }
  c.restart_policy = j.value("restart_policy", std::string());
  return c;
}

}  // namespace

Pod PodOf(const Json& j) {
  Pod p;
  p.uid = j.value("uid", std::string());
  for (const Json& c : j.value("init_containers", Json::array())) {
    p.init_containers.push_back(ContainerOf(c));
  }
  for (const Json& c : j.value("containers", Json::array())) p.containers.push_back(ContainerOf(c));
  if (j.contains("resources")) {
    ResourceRequirements r;
    const Json limits = j["resources"].value("limits", Json::object());
    for (const auto& [name, v] : limits.items()) {
      r.limits[name] = QuantityOf(v);
    }
    p.resources = r;
  }
  if (j.contains("status") && j["status"].contains("extendedResourceClaimStatus")) {
    for (const Json& m : j["status"]["extendedResourceClaimStatus"]["requestMappings"]) {
      ExtendedResourceRequestMapping mapping;
      mapping.container_name = m.at("containerName").get<std::string>();
      mapping.resource_name = m.at("resourceName").get<std::string>();
      p.status.extended_resource_request_mappings.push_back(mapping);
    }
  }
  return p;
}

std::optional<NumaMask> HintOf(const Json& j) {
  if (j.is_null() || !j.contains("numa_affinity") || j["numa_affinity"].is_null()) {
    return std::nullopt;
  }
  NumaMask m;
  for (const Json& id : j["numa_affinity"]) m.Set(id.get<int>());
  return m;
}

std::vector<int> NodesOf(const Json& j) {
  return j.is_null() ? std::vector<int>{0} : j.get<std::vector<int>>();
}

void AddResources(DeviceManager& m, const Json& resources) {
  if (resources.is_null()) return;
  for (const auto& [name, devices] : resources.items()) {
    m.RegisterPlugin(name);
    REQUIRE(m.UpdateDevices(name, DevicesOf(devices)).ok());
  }
}

void AddAllocations(DeviceManager& m, const Json& allocations) {
  if (allocations.is_null()) return;
  for (const Json& a : allocations) {
    DeviceEntry e;
    if (a.contains("numa_keys")) {
      for (const auto& [key, ids] : a["numa_keys"].items()) {
        e.devices_per_numa[std::stoll(key)] = ids.get<std::vector<std::string>>();
      }
    } else {
      e.devices_per_numa[-1] = a.at("devices").get<std::vector<std::string>>();
    }
    m.SetEntry(a.at("pod"), a.at("container"), a.at("resource"), e);
  }
}

Json SortedHints(Json list) {
  if (list.is_null()) return list;
  std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) {
    const auto key = [](const Json& h) {
      uint64_t bits = 0;
      for (const Json& id : h["numa_affinity"]) bits |= uint64_t{1} << id.get<int>();
      return std::make_tuple(!h["preferred"].get<bool>(), h["numa_affinity"].size(), bits);
    };
    return key(a) < key(b);
  });
  return list;
}

Json HintsJson(const ResourceHints& hints) {
  absl::StatusOr<std::optional<std::vector<TopologyHint>>> list = ExpandDeviceHints(hints);
  REQUIRE(list.ok());
  if (!list->has_value()) return Json();
  Json out = Json::array();
  for (const TopologyHint& h : **list) {
    out.push_back({{"numa_affinity", h.affinity ? h.affinity->GetBits() : std::vector<int>{}},
                   {"preferred", h.preferred}});
  }
  return SortedHints(out);
}

}  // namespace podalloc::device_vectors
