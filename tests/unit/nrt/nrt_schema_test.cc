// Every machine fixture's NRT object, JSON and YAML, against the v1alpha2 CRD schema of
// noderesourcetopology-api (the required fields and types of its openAPIV3Schema, and the
// quantity pattern of int-or-string quantities).
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "podalloc/discovery.h"
#include "podalloc/fit_report.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/nrt.h"
#include "podalloc/pod_json.h"
#include "podalloc/resize.h"
#include "podalloc/yaml_json.h"
#include "examples.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

using Json = nlohmann::json;

// resource.Quantity's OpenAPI pattern.
const std::regex kQuantity(
    R"(^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$)");

void CheckNameValue(const Json& list, bool integer_value) {
  REQUIRE(list.is_array());
  for (const Json& item : list) {
    REQUIRE(item.is_object());
    CHECK(item.size() == 2);
    REQUIRE(item.contains("name"));
    CHECK(item["name"].is_string());
    REQUIRE(item.contains("value"));
    CHECK((integer_value ? item["value"].is_number_integer() : item["value"].is_string()));
  }
}

void CheckQuantity(const Json& q) {
  REQUIRE(q.is_string());  // int-or-string; producers write strings
  CHECK(std::regex_match(q.get<std::string>(), kQuantity));
}

// The CRD's schema: zones required; zone name and type required; cost {name, value int64};
// attribute {name, value string}; resource {name, capacity, allocatable, available}. No key
// outside the schema (the API server would prune it; kubectl apply --validate refuses it).
void CheckSchema(const Json& doc, int numa_nodes) {
  REQUIRE(doc.is_object());
  CHECK(doc["apiVersion"] == "topology.node.k8s.io/v1alpha2");
  CHECK(doc["kind"] == "NodeResourceTopology");
  REQUIRE(doc["metadata"].is_object());
  CHECK(doc["metadata"]["name"].is_string());
  for (const auto& [key, value] : doc.items()) {
    INFO(key);
    CHECK((key == "apiVersion" || key == "kind" || key == "metadata" || key == "zones" ||
           key == "attributes" || key == "topologyPolicies"));
  }
  REQUIRE(doc.contains("zones"));
  REQUIRE(doc["zones"].is_array());
  CHECK(doc["zones"].size() == static_cast<size_t>(numa_nodes));
  for (const Json& zone : doc["zones"]) {
    REQUIRE(zone.is_object());
    CHECK(zone["name"].is_string());
    CHECK(zone["type"] == "Node");
    for (const auto& [key, value] : zone.items()) {
      INFO(key);
      CHECK((key == "name" || key == "type" || key == "parent" || key == "costs" ||
             key == "attributes" || key == "resources"));
    }
    if (zone.contains("costs")) {
      CheckNameValue(zone["costs"], true);
      CHECK(zone["costs"].size() == static_cast<size_t>(numa_nodes));
    }
    if (zone.contains("attributes")) CheckNameValue(zone["attributes"], false);
    if (!zone.contains("resources")) continue;
    REQUIRE(zone["resources"].is_array());
    for (const Json& r : zone["resources"]) {
      REQUIRE(r.is_object());
      CHECK(r.size() == 4);
      CHECK(r["name"].is_string());
      for (const char* q : {"capacity", "allocatable", "available"}) {
        INFO(r["name"] << " " << q);
        REQUIRE(r.contains(q));
        CheckQuantity(r[q]);
      }
    }
  }
  if (doc.contains("attributes")) CheckNameValue(doc["attributes"], false);
  if (doc.contains("topologyPolicies")) {
    REQUIRE(doc["topologyPolicies"].is_array());
    for (const Json& p : doc["topologyPolicies"]) CHECK(p.is_string());
  }
}

std::vector<std::pair<std::string, Topology>> Machines() {
  std::vector<std::pair<std::string, Topology>> machines;
  const std::filesystem::path fixtures = testing::TestDataDir() / "fixtures";
  for (const auto& entry : std::filesystem::directory_iterator(fixtures)) {
    if (entry.path().extension() != ".xml") continue;
    absl::StatusOr<Topology> t = FromHwlocXml(entry.path());
    INFO(entry.path() << ": " << t.status());
    REQUIRE(t.ok());
    machines.emplace_back(entry.path().filename().string(), *std::move(t));
  }
  for (const auto& tarball : std::filesystem::directory_iterator(testing::UnpackedFixturesDir())) {
    for (const auto& capture : std::filesystem::directory_iterator(tarball.path())) {
      if (!std::filesystem::exists(capture.path() / "sys")) continue;
      absl::StatusOr<Topology> t = FromSysfs(capture.path());
      INFO(capture.path() << ": " << t.status());
      REQUIRE(t.ok());
      machines.emplace_back(tarball.path().filename().string(), *std::move(t));
    }
  }
  return machines;
}

// static CPU policy reserving the first CPU, Static memory reserving 256Mi on the first NUMA
// node with memory, and a topology-manager policy the machine's NUMA count allows.
NodeConfig ConfigFor(const Topology& t) {
  Json config = {{"cpuManagerPolicy", "static"},
                 {"reservedSystemCPUs", std::to_string(t.cpus().First())},
                 {"topologyManagerPolicy", t.NumNumaNodes() <= 8 ? "single-numa-node" : "none"}};
  for (const NumaNodeInfo& n : t.spec().numa_nodes) {
    if (n.memory_bytes < (uint64_t{1} << 30)) continue;
    config["memoryManagerPolicy"] = "Static";
    config["reservedMemory"] = Json::array({{{"numaNode", n.id}, {"limits", {{"memory", "256Mi"}}}}});
    break;
  }
  absl::StatusOr<NodeConfig> parsed = ParseNodeConfig(config.dump());
  REQUIRE(parsed.ok());
  return *parsed;
}

Pod GuaranteedPod(int i, const std::string& cpu, const std::string& memory) {
  const Json pod = {
      {"metadata", {{"name", "pod-" + std::to_string(i)}, {"namespace", "default"},
                    {"uid", "uid-" + std::to_string(i)}}},
      {"spec",
       {{"containers",
         {{{"name", "c"},
           {"resources", {{"requests", {{"cpu", cpu}, {"memory", memory}}},
                          {"limits", {{"cpu", cpu}, {"memory", memory}}}}}}}}}}};
  absl::StatusOr<Pod> parsed = ParsePod(pod.dump());
  REQUIRE(parsed.ok());
  return *parsed;
}

TEST_CASE("every machine fixture's NRT object follows the v1alpha2 CRD schema", "[nrt]") {
  const auto machines = Machines();
  REQUIRE(machines.size() >= 8);
  for (const auto& [name, topology] : machines) {
    INFO(name);
    absl::StatusOr<std::unique_ptr<Node>> node = Node::Create(topology, ConfigFor(topology));
    INFO(node.status());
    REQUIRE(node.ok());
    for (int i = 0; i < 3; ++i) {
      absl::StatusOr<Decision> d = (*node)->AdmitAndCommit(GuaranteedPod(i, "2", "128Mi"));
      REQUIRE(d.ok());
    }
    for (NrtMode mode : {NrtMode::kExact, NrtMode::kRte}) {
      NrtOptions options;
      options.node_name = "worker";
      options.node_uid = "uid";
      options.mode = mode;
      options.legacy_topology_policies = true;
      options.publish_max_numa_nodes = true;
      absl::StatusOr<std::string> json = ExportNrt(**node, options, 2);
      REQUIRE(json.ok());
      const Json doc = Json::parse(*json);
      CheckSchema(doc, topology.NumNumaNodes());
      // The YAML form reads back as the same object.
      absl::StatusOr<std::string> yaml = ExportNrtYaml(**node, options);
      REQUIRE(yaml.ok());
      absl::StatusOr<YamlDocument> back = YamlToJson(*yaml);
      INFO(back.status());
      REQUIRE(back.ok());
      CHECK(back->value == doc);
      CHECK(back->duplicates.empty());
    }
  }
}

bool Admitted(const Node& node, const std::string& cpu, int64_t memory) {
  return testing::KubeletAdmits(node, GuaranteedPod(1000, cpu, std::to_string(memory)));
}

TEST_CASE("the fit report's answers on every machine fixture are admitted, the next are not",
          "[nrt][fits]") {
  for (const auto& [name, topology] : Machines()) {
    INFO(name);
    absl::StatusOr<std::unique_ptr<Node>> node = Node::Create(topology, ConfigFor(topology));
    REQUIRE(node.ok());
    for (int i = 0; i < 3; ++i) REQUIRE((*node)->AdmitAndCommit(GuaranteedPod(i, "2", "1Gi")).ok());
    FitQuery query;
    query.zones = topology.NumNumaNodes() <= 8;
    absl::StatusOr<FitReport> report = WhatStillFits(**node, query);
    INFO(report.status());
    REQUIRE(report.ok());
    for (const ResourceFit& r : report->results.front().resources) {
      INFO(r.name << " largest " << r.largest);
      if (r.name == "cpu") {
        if (r.largest > 0) CHECK(Admitted(**node, std::to_string(r.largest), 1 << 20));
        CHECK_FALSE(Admitted(**node, std::to_string(r.largest + 1), 1 << 20));
      } else if (r.name == "memory") {
        if (r.largest > 0) CHECK(Admitted(**node, "1", r.largest));
        CHECK_FALSE(Admitted(**node, "1", r.largest + 1));
      }
      for (const ZoneFit& z : r.zones) CHECK(z.largest <= r.largest);
    }
  }
}

}  // namespace
}  // namespace podalloc
