// Bad topology JSON is an InvalidArgument naming the JSON path or the item, never a crash.
#include <catch2/catch.hpp>
#include <string>

#include "podalloc/topology_json.h"

namespace podalloc {
namespace {

std::string ErrorOf(std::string_view text) {
  auto t = TopologyFromJson(text);
  INFO(text);
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

const char* const kTwoCpus = R"({"schema":"podalloc.topology/v1","name":"t","cpus":[
  {"id":0,"core":0,"socket":0,"numa":0},{"id":1,"core":0,"socket":0,"numa":0}]})";

TEST_CASE("discovery: minimal versioned JSON loads with defaults", "[json]") {
  auto t = TopologyFromJson(kTwoCpus);
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->cpus() == CpuSet{0, 1});
  CHECK(t->cpu(1)->uncore_id == 0);  // defaults to the socket
  CHECK(t->cpu(1)->kind == 0);
  CHECK(t->NumaIds() == std::vector<int>{0});
  CHECK_FALSE(t->HasDistances());
}

TEST_CASE("discovery: a full versioned document round-trips exactly", "[json]") {
  const std::string doc =
      R"({"schema":"podalloc.topology/v1","name":"full","cpus":[)"
      R"({"id":0,"core":0,"socket":0,"numa":0,"uncore":4,"kind":1},)"
      R"({"id":2,"core":2,"socket":1,"numa":3,"uncore":5,"kind":0}],)"
      R"("offline_cpus":"1,3-5","numa_nodes":[{"id":0,"memory_bytes":1024,"hugepages":[)"
      R"({"page_size_bytes":2097152,"total_pages":4}]},{"id":1,"memory_bytes":2048,"hugepages":[]},)"
      R"({"id":3,"memory_bytes":0,"hugepages":[]}],)"
      R"("distances":[[10,20,30],[20,10,25],[30,25,10]],)"
      R"("counts":{"num_cpus":4,"num_cores":2,"num_sockets":2,"num_numa_nodes":3,"num_uncore_caches":2}})";
  auto t = TopologyFromJson(doc);
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(TopologyToJsonString(*t) == doc);
  CHECK(t->NumCpus() == 4);
  CHECK(t->CpusInNumaNode(1).IsEmpty());  // CPU-less
  CHECK(t->Distance(1, 3) == 25);
  CHECK(t->NumaNode(0)->hugepages[0].total_pages == 4);
}

TEST_CASE("discovery: malformed and mistyped JSON name the path", "[json][errors]") {
  CHECK_THAT(ErrorOf("{\"schema\": "), Catch::Contains("malformed"));
  CHECK_THAT(ErrorOf(""), Catch::Contains("malformed"));
  CHECK_THAT(ErrorOf("[1,2]"), Catch::Contains("expected an object"));
  CHECK_THAT(ErrorOf("{}"), Catch::Contains("/schema: missing"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v2","cpus":[]})"),
             Catch::Contains("unknown schema version \"podalloc.topology/v2\""));
  CHECK_THAT(ErrorOf(R"({"schema":1,"cpus":[]})"), Catch::Contains("/schema: expected a string"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v1"})"), Catch::Contains("/cpus: missing"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":{}})"),
             Catch::Contains("/cpus: expected an array"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":"0","core":0,"socket":0,"numa":0}]})"),
      Catch::Contains("/cpus/0/id: expected an integer, got string"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":1.5,"core":0,"socket":0,"numa":0}]})"),
      Catch::Contains("/cpus/0/id: expected an integer"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":-1,"socket":0,"numa":0}]})"),
      Catch::Contains("/cpus/0/core: value -1 is out of range"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"socket":0,"numa":0}]})"),
             Catch::Contains("/cpus/0/core: missing"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":0,"socket":0,"numa":0,"cores":1}]})"),
      Catch::Contains("/cpus/0/cores: unknown key"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[],"extra":true})"),
             Catch::Contains("/extra: unknown key"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[],"offline_cpus":"1-"})"),
             Catch::Contains("/offline_cpus"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[],"numa_nodes":[{"id":0,"memory_bytes":-5}]})"),
      Catch::Contains("/numa_nodes/0/memory_bytes: value -5 is negative"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[],"numa_nodes":[{"id":0,"hugepages":[{"page_size_bytes":2097152}]}]})"),
      Catch::Contains("/numa_nodes/0/hugepages/0/total_pages: missing"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[],"distances":[[10,"x"]]})"),
             Catch::Contains("/distances/0/1: expected an integer"));
  CHECK_THAT(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[],"counts":{"num_cpus":true}})"),
             Catch::Contains("/counts/num_cpus: expected an integer, got boolean"));
}

TEST_CASE("discovery: JSON that breaks the model names the item", "[json][errors]") {
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":0,"socket":0,"numa":64}]})"),
      Catch::Contains("CPU 0: NUMA node id 64 is out of range"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":4096,"core":0,"socket":0,"numa":0}]})"),
      Catch::Contains("CPU id 4096 is out of range"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":0,"socket":0,"numa":0},{"id":0,"core":0,"socket":0,"numa":0}]})"),
      Catch::Contains("CPU 0 is listed twice"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":0,"socket":0,"numa":0},{"id":1,"core":0,"socket":1,"numa":0}]})"),
      Catch::Contains("core 0 has CPU 1 in socket 1"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":0,"socket":0,"numa":0}],"distances":[[10,20],[20,10]]})"),
      Catch::Contains("distance matrix has 2 rows for 1 NUMA nodes"));
  CHECK_THAT(
      ErrorOf(
          R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":0,"socket":0,"numa":0}],"offline_cpus":"0"})"),
      Catch::Contains("CPU 0 is listed both online and offline"));
}

TEST_CASE("discovery: kubelet records with wrong types name the record path", "[json][errors]") {
  CHECK_THAT(
      ErrorOf(R"({"name":"k","num_cpus":2,"cpus":[{"cpu":0,"core":"a","socket":0,"numa":0}]})"),
      Catch::Contains("/cpus/0/core: expected an integer"));
  CHECK_THAT(ErrorOf(R"({"name":"k","num_cpus":"2","cpus":[]})"),
             Catch::Contains("/num_cpus: expected an integer"));
  CHECK_THAT(ErrorOf(R"({"name":"k","num_cores":2,"cpus":[{"cpu":0,"core":0,"socket":0}]})"),
             Catch::Contains("/cpus/0/numa: missing"));
  auto file = nlohmann::json::parse(R"({"topologies":[{"name":"a","num_cpus":1,"cpus":[
      {"cpu":0,"core":0,"socket":0,"numa":0}]},{"name":"b","num_cpus":1,"cpus":[{"cpu":"x"}]}]})");
  auto all = KubeletTestTopologiesFromJson(file);
  REQUIRE_FALSE(all.ok());
  CHECK_THAT(std::string(all.status().message()), Catch::Contains("/topologies/1/cpus/0/cpu"));
  auto a = KubeletTestTopologyByName(file, "a");
  CHECK(a.ok());
}

TEST_CASE("discovery: a kubelet record carrying a key of the versioned form is refused",
          "[json][errors]") {
  // Read as a record, the NUMA memory would be dropped without a word.
  const std::string memory =
      R"({"name":"k","num_cpus":1,"cpus":[{"cpu":0,"core":0,"socket":0,"numa":0}],)"
      R"("numa_nodes":[{"id":0,"memory_bytes":1073741824}]})";
  CHECK_THAT(ErrorOf(memory), Catch::Contains("/numa_nodes: a key of the versioned topology"));
  CHECK_THAT(ErrorOf(memory), Catch::Contains("podalloc.topology/v1"));
  CHECK_THAT(
      ErrorOf(R"({"num_cpus":1,"cpus":[{"cpu":0,"core":0,"socket":0,"numa":0}],"devices":[]})"),
      Catch::Contains("/devices: a key of the versioned topology"));
  // Descriptive extras are still ignored.
  CHECK(TopologyFromJson(R"({"num_cpus":1,"source":"policy_test.go",)"
                         R"("cpus":[{"cpu":0,"core":0,"socket":0,"numa":0}]})")
            .ok());
}

TEST_CASE("discovery: kubelet record with NUMA distances as a per-node map", "[json]") {
  auto t = TopologyFromJson(R"({"name":"k","num_cpus":2,"numa_distances":{"1":[20,10],"0":[10,20]},
      "cpus":[{"cpu":0,"core":0,"socket":0,"numa":0},{"cpu":1,"core":1,"socket":0,"numa":1}]})");
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->Distance(0, 1) == 20);
  CHECK(t->NumCpus() == 2);
  CHECK(t->NumSockets() == 1);  // null/absent counts are derived
}

}  // namespace
}  // namespace podalloc
