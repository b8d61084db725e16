#include "vector_json.h"

#include <catch2/catch.hpp>

namespace podalloc::testing {

NumaMask MaskFromJson(const nlohmann::json& ids) {
  absl::StatusOr<NumaMask> m = NumaMask::New(ids.get<std::vector<int>>());
  REQUIRE(m.ok());
  return *m;
}

TopologyHint HintFromJson(const nlohmann::json& j) {
  TopologyHint h;
  if (!j.at("numa_affinity").is_null()) h.affinity = MaskFromJson(j.at("numa_affinity"));
  h.preferred = j.at("preferred").get<bool>();
  return h;
}

nlohmann::json HintToJson(const TopologyHint& h) {
  nlohmann::json j;
  j["numa_affinity"] = h.affinity ? nlohmann::json(h.affinity->GetBits()) : nlohmann::json();
  j["preferred"] = h.preferred;
  return j;
}

std::vector<TopologyHint> HintListFromJson(const nlohmann::json& j) {
  std::vector<TopologyHint> out;
  for (const auto& h : j) out.push_back(HintFromJson(h));
  return out;
}

std::vector<ProviderHints> ProvidersFromJson(const nlohmann::json& providers) {
  std::vector<ProviderHints> out;
  for (const auto& p : providers) {
    ProviderHints ph;
    const nlohmann::json& hints = p.at("hints");
    if (!hints.is_null()) {
      for (const auto& [resource, list] : hints.items()) {
        ph.resources[resource] = list.is_null() ? ResourceHints::NoPreference()
                                                : ResourceHints::List(HintListFromJson(list));
      }
    }
    out.push_back(std::move(ph));
  }
  return out;
}

std::vector<NumaInfoNode> NodesFromJson(const nlohmann::json& ids,
                                        const nlohmann::json& distances) {
  std::vector<NumaInfoNode> nodes;
  for (const auto& id : ids) {
    NumaInfoNode n;
    n.id = id.get<int>();
    const std::string key = std::to_string(n.id);
    if (distances.is_object() && distances.contains(key) && !distances[key].is_null()) {
      n.distances = distances[key].get<std::vector<uint64_t>>();
    }
    nodes.push_back(std::move(n));
  }
  return nodes;
}

TopologyPolicyOptions OptionsFromJson(const nlohmann::json& options) {
  TopologyPolicyOptions o;
  if (options.is_object()) {
    o.prefer_closest_numa = options.value(kPreferClosestNumaNodes, false);
    o.max_allowable_numa_nodes = options.value(kMaxAllowableNumaNodes, 8);
  }
  return o;
}

}  // namespace podalloc::testing
