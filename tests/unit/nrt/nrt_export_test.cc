// NRT export cases the C ABI test does not reach: a restored state (the spec's Example 1), the
// holds the exporter cannot see (regular init containers), and the zone rules.
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/nrt.h"
#include "podalloc/pod_json.h"
#include "podalloc/topology_json.h"
#include "examples.h"

namespace podalloc {
namespace {

using Json = nlohmann::json;

using testing::ExampleNode;
using testing::ReadExample;

Pod PodOf(const Json& pod) {
  absl::StatusOr<Pod> p = ParsePod(pod.dump());
  INFO(p.status());
  REQUIRE(p.ok());
  return *p;
}

Json Resources(const std::string& cpu, const std::string& memory) {
  return {{"requests", {{"cpu", cpu}, {"memory", memory}}},
          {"limits", {{"cpu", cpu}, {"memory", memory}}}};
}

Json Zones(const Node& node, NrtMode mode) {
  NrtOptions options;
  options.node_name = "worker-0";
  options.mode = mode;
  absl::StatusOr<std::string> text = ExportNrt(node, options);
  REQUIRE(text.ok());
  return Json::parse(*text)["zones"];
}

Json Row(const std::string& name, const std::string& capacity, const std::string& allocatable,
         const std::string& available) {
  return {{"name", name}, {"capacity", capacity}, {"allocatable", allocatable},
          {"available", available}};
}

TEST_CASE("Example 1: a restored state, CPU rows only under memory policy None", "[nrt]") {
  std::unique_ptr<Node> node = testing::Example1();
  for (NrtMode mode : {NrtMode::kExact, NrtMode::kRte}) {
    const Json zones = Zones(*node, mode);
    REQUIRE(zones.size() == 2);
    CHECK(zones[0]["costs"] == Json::parse(R"([{"name":"node-0","value":10},
                                                {"name":"node-1","value":20}])"));
    CHECK(zones[0]["resources"] == Json::array({Row("cpu", "12", "11", "11")}));
    CHECK(zones[1]["resources"] == Json::array({Row("cpu", "12", "12", "10")}));
  }
  // Either rule selects the pod (it holds exclusive CPUs).
  CHECK(NodePodFingerprint(*node, FingerprintMethod::kWithExclusiveResources,
                           FingerprintRule::kPlugin) == "pfp0v001fe53c4dbd2c5f4a0");
  CHECK(NodePodFingerprint(*node, FingerprintMethod::kWithExclusiveResources,
                           FingerprintRule::kRte) == "pfp0v001fe53c4dbd2c5f4a0");
}

TEST_CASE("exact mode counts a regular init container's CPUs that podresources hides",
          "[nrt]") {
  std::unique_ptr<Node> node = ExampleNode(4);
  // The init container's 6 CPUs: the app container reuses 2 of them, the other 4 stay held
  // while the pod runs, but podresources lists only the app container.
  const Pod pod = PodOf(
      {{"metadata", {{"uid", "init-1"}, {"namespace", "default"}, {"name", "init-1"}}},
       {"spec", {{"initContainers", {{{"name", "setup"}, {"resources", Resources("6", "1Gi")}}}},
                 {"containers", {{{"name", "app"}, {"resources", Resources("2", "1Gi")}}}}}}});
  absl::StatusOr<Decision> d = node->AdmitAndCommit(pod);
  REQUIRE(d.ok());
  REQUIRE(d->admitted);
  const Json exact = Zones(*node, NrtMode::kExact);
  const Json rte = Zones(*node, NrtMode::kRte);
  const int held = node->State().cpu.default_cpu_set.Size();
  CHECK(held == 16 - 6);
  CHECK(exact[0]["resources"][0] == Row("cpu", "8", "7", "1"));
  CHECK(rte[0]["resources"][0] == Row("cpu", "8", "7", "5"));
  CHECK(exact[1] == rte[1]);
}

TEST_CASE("CPU policy none and memory policy None leave a zone with a zero cpu row", "[nrt]") {
  absl::StatusOr<Topology> t = TopologyFromJson(ReadExample("example4-topology.json"));
  REQUIRE(t.ok());
  absl::StatusOr<std::unique_ptr<Node>> node = Node::Create(*t, NodeConfig{});
  REQUIRE(node.ok());
  const Json zones = Zones(**node, NrtMode::kExact);
  CHECK(zones[0]["resources"] == Json::array({Row("cpu", "8", "0", "0")}));
  CHECK(zones[1]["resources"] == Json::array({Row("cpu", "8", "0", "0")}));
  NrtOptions options;
  CHECK(ExportNrt(**node, options).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("NRT options parse and name the bad key", "[nrt]") {
  absl::StatusOr<NrtOptions> o = ParseNrtOptions(
      R"({"nodeName": "n", "nodeUID": "u", "fingerprint": false, "method": "all",
          "fingerprintRule": "rte", "mode": "rte", "resourceExclude": {"*": ["cpu"]},
          "legacyTopologyPolicies": true, "publishMaxNUMANodes": true})");
  REQUIRE(o.ok());
  CHECK(o->node_name == "n");
  CHECK(o->node_uid == "u");
  CHECK_FALSE(o->fingerprint);
  CHECK(o->method == FingerprintMethod::kAll);
  CHECK(o->rule == FingerprintRule::kRte);
  CHECK(o->mode == NrtMode::kRte);
  CHECK(o->resource_exclude.at("*").contains("cpu"));
  CHECK(o->legacy_topology_policies);
  CHECK(o->publish_max_numa_nodes);
  for (const char* bad : {R"({"fingerprint": 1})", R"({"method": "some"})",
                          R"({"resourceExclude": {"*": "cpu"}})", R"({"nodename": "x"})",
                          R"([])", R"({"nodeName": 3})"}) {
    INFO(bad);
    absl::StatusOr<NrtOptions> r = ParseNrtOptions(bad);
    CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace podalloc
