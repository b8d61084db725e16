// Every topology-manager conformance vector, through the public API.
#include <filesystem>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "podalloc/hint_merge_steps.h"
#include "podalloc/topology_manager.h"
#include "support/vectors.h"
#include "vector_json.h"

namespace podalloc {
namespace {

using nlohmann::json;
using testing::HintFromJson;
using testing::HintListFromJson;
using testing::HintToJson;

std::vector<json> VectorFiles() {
  std::vector<std::string> names;
  for (const auto& e :
       std::filesystem::directory_iterator(testing::TestDataDir() / "conformance/topologymanager")) {
    if (e.path().extension() == ".json") names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<json> docs;
  for (const std::string& n : names) docs.push_back(testing::LoadVectors("topologymanager/" + n));
  return docs;
}

OptionAvailability AvailabilityFromJson(const json& c) {
  OptionAvailability a;
  for (const auto& [name, level] : c.at("option_levels").items()) {
    const std::string l = level.get<std::string>();
    a.levels[name] = l == "alpha"  ? OptionMaturity::kAlpha
                     : l == "beta" ? OptionMaturity::kBeta
                                   : OptionMaturity::kStable;
  }
  a.alpha_options_gate = c.at("feature_gates").at("TopologyManagerPolicyAlphaOptions");
  a.beta_options_gate = c.at("feature_gates").at("TopologyManagerPolicyBetaOptions");
  return a;
}

std::vector<NumaInfoNode> TopologyFromJson(const json& topology) {
  std::vector<NumaInfoNode> nodes;
  for (const auto& n : topology) {
    NumaInfoNode info;
    info.id = n.at("id");
    if (n.contains("distances") && !n["distances"].is_null()) {
      info.distances = n["distances"].get<std::vector<uint64_t>>();
    }
    nodes.push_back(info);
  }
  return nodes;
}

void CheckError(const absl::Status& s, const json& expected) {
  REQUIRE_FALSE(s.ok());
  const std::string want = expected.at("error_contains");
  CAPTURE(std::string(s.message()));
  CHECK(std::string(s.message()).find(want) != std::string::npos);
}

void RunMerge(const json& c) {
  const json& dist = c.at("distances");
  absl::StatusOr<NumaInfo> numa =
      NumaInfo::Create(testing::NodesFromJson(c.at("numa_nodes"), dist), dist.is_object());
  REQUIRE(numa.ok());
  absl::StatusOr<TopologyPolicy> policy = ParseTopologyPolicy(c.at("policy").get<std::string>());
  REQUIRE(policy.ok());
  absl::StatusOr<MergeResult> r = MergeHints(testing::ProvidersFromJson(c.at("providers")),
                                             *policy, *numa, testing::OptionsFromJson(c.at("options")));
  REQUIRE(r.ok());
  CHECK(HintToJson(r->hint) == c.at("expected").at("hint"));
  CHECK(r->admit == c.at("expected").at("admit").get<bool>());
}

void RunOptions(const json& c) {
  const OptionAvailability a = AvailabilityFromJson(c);
  const json& expected = c.at("expected");
  if (c.at("op") == "available") {
    CHECK(CheckPolicyOptionAvailable(c.at("input").at("option").get<std::string>(), a).ok() ==
          expected.at("available").get<bool>());
    return;
  }
  absl::StatusOr<TopologyPolicyOptions> o =
      ParseTopologyPolicyOptions(c.at("input").get<std::map<std::string, std::string>>(), a);
  if (expected.contains("error_contains")) {
    CheckError(o.status(), expected);
    return;
  }
  if (!o.ok() && !c.value("error_checked", true)) {
    // The kubelet ignores the error here: its parser has no case for the injected option.
    CHECK(std::string(o.status().message()).find("unsupported topologymanager option") !=
          std::string::npos);
    return;
  }
  REQUIRE(o.ok());
  CHECK(o->prefer_closest_numa == expected.at("options").at("prefer_closest_numa").get<bool>());
  CHECK(o->max_allowable_numa_nodes ==
        expected.at("options").at("max_allowable_numa_nodes").get<int>());
}

void RunNumaInfo(const json& c) {
  absl::StatusOr<NumaInfo> info =
      NumaInfo::Create(TopologyFromJson(c.at("topology")), c.at("prefer_closest_numa"));
  const json& expected = c.at("expected");
  if (expected.contains("error_contains")) return CheckError(info.status(), expected);
  REQUIRE(info.ok());
  CHECK(info->nodes() == expected.at("nodes").get<std::vector<int>>());
  for (const auto& [id, row] : expected.at("distances").items()) {
    CHECK(info->has_distances() == !row.is_null());
    if (row.is_null()) continue;
    for (int to : info->nodes()) CHECK(info->distance(std::stoi(id), to) == row[to]);
  }
}

NumaInfo InfoFromDistances(const json& distances) {
  std::vector<NumaInfoNode> nodes;
  for (const auto& [id, row] : distances.items()) {
    nodes.push_back({std::stoi(id), row.get<std::vector<uint64_t>>()});
  }
  std::sort(nodes.begin(), nodes.end(), [](auto& a, auto& b) { return a.id < b.id; });
  absl::StatusOr<NumaInfo> info = NumaInfo::Create(nodes, true);
  REQUIRE(info.ok());
  return *info;
}

void RunCase(const std::string& kind, const json& c) {
  const json& expected = c.at("expected");
  if (kind == "merge") {
    RunMerge(c);
  } else if (kind == "can_admit") {
    auto policy = ParseTopologyPolicy(c.at("policy").get<std::string>());
    REQUIRE(policy.ok());
    CHECK(PolicyAdmits(*policy, HintFromJson(c.at("hint"))) == expected.get<bool>());
  } else if (kind == "filter_single_numa") {
    HintLists in;
    for (const auto& l : c.at("input")) in.push_back(HintListFromJson(l));
    const HintLists out = FilterSingleNumaHints(in);
    REQUIRE(out.size() == expected.size());
    for (size_t i = 0; i < out.size(); ++i) {
      CHECK(out[i] == (expected[i].is_null() ? std::vector<TopologyHint>{}
                                             : HintListFromJson(expected[i])));
    }
  } else if (kind == "max_of_min_affinity_counts") {
    HintLists in;
    for (const auto& l : c.at("input")) in.push_back(HintListFromJson(l));
    CHECK(MaxOfMinAffinityCounts(in) == expected.get<int>());
  } else if (kind == "compare") {
    std::optional<TopologyHint> current;
    if (!c.at("current").is_null()) current = HintFromJson(c.at("current"));
    const bool closest = c.at("options").value(kPreferClosestNumaNodes, false) &&
                         c.at("policy") != "single-numa-node";
    CHECK(closest == false);  // the kubelet's compare tests build the merger without distances
    const CompareWinner w =
        CompareMergedHints(current, HintFromJson(c.at("candidate")),
                           c.at("best_non_preferred_affinity_count"), false, NumaInfo());
    CHECK((w == CompareWinner::kCurrent ? "current" : "candidate") == expected.get<std::string>());
  } else if (kind == "numa_info") {
    RunNumaInfo(c);
  } else if (kind == "average_distance") {
    const NumaInfo info = InfoFromDistances(c.at("distances"));
    CHECK(info.AverageDistance(testing::MaskFromJson(c.at("mask"))) == expected.get<double>());
  } else if (kind == "closest") {
    const NumaInfo info = InfoFromDistances(c.at("distances"));
    const NumaMask cur = testing::MaskFromJson(c.at("current"));
    const NumaMask cand = testing::MaskFromJson(c.at("candidate"));
    const NumaMask got = info.Closest(cand, cur);  // the kubelet's argument order
    CHECK((got == cur ? "current" : "candidate") == expected.get<std::string>());
  } else if (kind == "options") {
    RunOptions(c);
  } else if (kind == "new_manager") {
    absl::StatusOr<TopologyManager> m = TopologyManager::Create(
        TopologyFromJson(c.at("topology")), c.at("policy").get<std::string>(),
        c.at("scope").get<std::string>(),
        c.at("policy_options").get<std::map<std::string, std::string>>(),
        AvailabilityFromJson(c));
    if (expected.contains("error_contains")) return CheckError(m.status(), expected);
    CHECK(m.ok());
  } else {
    FAIL("unknown vector kind " << kind);
  }
}

TEST_CASE("topology_manager: conformance vectors", "[topology_manager][conformance]") {
  int ran = 0;
  for (const json& doc : VectorFiles()) {
    const std::string kind = doc.at("kind");
    if (kind == "bitmask") continue;  // NumaMask is base's; tests/unit/base runs these
    for (const json& c : doc.at("cases")) {
      INFO("kind " << kind << ", case \"" << c.at("name").get<std::string>() << "\"");
      RunCase(kind, c);
      ++ran;
    }
  }
  INFO("cases run: " << ran);
  CHECK(ran >= 100);
}

}  // namespace
}  // namespace podalloc
