#include "podalloc/topology_json.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "support/vectors.h"

namespace podalloc {
namespace {

using nlohmann::json;


TEST_CASE("discovery: every kubelet test topology loads with its header counts", "[json]") {
  json file = testing::LoadVectors("cpumanager/topologies.json");
  const json& records = file.at("topologies");
  REQUIRE(records.size() > 20);
  for (const json& r : records) {
    const std::string name = r.at("name").get<std::string>();
    INFO(name);
    auto loaded = TopologyFromJsonValue(r);
    INFO(loaded.status().ToString());
    REQUIRE(loaded.ok());
    const Topology& t = *loaded;
    CHECK(t.name() == name);
    CHECK(t.cpus().Size() == static_cast<int>(r.at("cpus").size()));
    auto expect_count = [&](const char* key, int actual, int distinct) {
      INFO(key);
      if (r.at(key).is_null()) {
        CHECK(actual == distinct);
      } else {
        CHECK(actual == r.at(key).get<int>());
      }
    };
    expect_count("num_cpus", t.NumCpus(), t.cpus().Size());
    expect_count("num_cores", t.NumCores(), static_cast<int>(t.CoreIds().size()));
    expect_count("num_sockets", t.NumSockets(), static_cast<int>(t.SocketIds().size()));
    expect_count("num_numanodes", t.NumNumaNodes(), static_cast<int>(t.NumaIds().size()));
    expect_count("num_uncorecache", t.NumUncoreCaches(), static_cast<int>(t.UncoreIds().size()));
    for (const json& c : r.at("cpus")) {
      const CpuInfo* info = t.cpu(c.at("cpu").get<int>());
      REQUIRE(info != nullptr);
      CHECK(info->core_id == c.at("core").get<int>());
      CHECK(info->socket_id == c.at("socket").get<int>());
      CHECK(info->numa_id == c.at("numa").get<int>());
      CHECK(info->uncore_id == c.value("uncore_cache", 0));
    }
    auto by_name = KubeletTestTopologyByName(file, name);
    REQUIRE(by_name.ok());
    CHECK(*by_name == t);
  }
}

TEST_CASE("discovery: the whole-file kubelet reader loads every record, or names the bad one",
          "[json]") {
  json file = testing::LoadVectors("cpumanager/topologies.json");
  auto all = KubeletTestTopologiesFromJson(file);
  REQUIRE(all.ok());
  CHECK(all->size() == file.at("topologies").size());
  // Some kubelet literals reuse core ids in both sockets; the kubelet treats such ids as one
  // core, and so does the loader.
  auto reused = KubeletTestTopologyByName(file, "topoDualSocketMultiNumaPerSocketUncore");
  REQUIRE(reused.ok());
  CHECK(reused->CpusInCore(0).Size() == 2);
  json broken = file;
  json& first = broken["topologies"][0];
  first["cpus"].push_back(first["cpus"][0]);  // the same CPU twice
  auto refused = KubeletTestTopologiesFromJson(broken);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(std::string(refused.status().message()),
             Catch::Contains(first["name"].get<std::string>()));
}

TEST_CASE("discovery: a kubelet test topology is found by name", "[json]") {
  json file = testing::LoadVectors("cpumanager/topologies.json");
  auto t = KubeletTestTopologyByName(file, "topoDualSocketHT");
  REQUIRE(t.ok());
  CHECK(t->NumCpus() == 12);
  CHECK(t->NumSockets() == 2);
  CHECK(t->CpusPerCore() == 2);
  auto missing = KubeletTestTopologyByName(file, "noSuchTopology");
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("discovery: kubelet null counts can be read as the Go zero value", "[json]") {
  json file = testing::LoadVectors("cpumanager/topologies.json");
  auto hints = KubeletTestTopologyByName(file, "hintsMachineInfo", KubeletNullCount::kZero);
  REQUIRE(hints.ok());
  CHECK(hints->NumSockets() == 0);  // MachineInfo.NumSockets left at 0 by the fixture
  CHECK(hints->CpusPerSocket() == 0);
  CHECK(hints->NumNumaNodes() == 2);
  auto derived = KubeletTestTopologyByName(file, "hintsMachineInfo");
  REQUIRE(derived.ok());
  CHECK(derived->NumSockets() == 2);
  auto uncore =
      KubeletTestTopologyByName(file, "topoUncoreSingleSocketMultiNuma", KubeletNullCount::kZero);
  REQUIRE(uncore.ok());
  CHECK(uncore->NumNumaNodes() == 0);
  CHECK(uncore->NumUncoreCaches() == 4);
  for (const json& r : file.at("topologies")) {
    if (r.at("name") != "topoDualSocketHT") continue;
    auto one = KubeletTestTopologyFromJson(r, KubeletNullCount::kZero);
    REQUIRE(one.ok());
    CHECK(one->NumNumaNodes() == 0);
    CHECK(one->NumUncoreCaches() == 1);
    CHECK(one->NumCpus() == 12);
  }
}

TEST_CASE("discovery: versioned JSON round-trips kubelet topologies exactly", "[json]") {
  json file = testing::LoadVectors("cpumanager/topologies.json");
  for (const json& r : file.at("topologies")) {
    auto t = TopologyFromJsonValue(r);
    if (!t.ok()) continue;  // the records the model refuses, checked above
    INFO(t->name());
    std::string text = TopologyToJsonString(*t);
    auto back = TopologyFromJson(text);
    REQUIRE(back.ok());
    CHECK(*back == *t);
    CHECK(TopologyToJsonString(*back) == text);
    auto from_doc = TopologyFromJsonValue(TopologyToJson(*t));
    REQUIRE(from_doc.ok());
    CHECK(*from_doc == *t);
  }
}

}  // namespace
}  // namespace podalloc
