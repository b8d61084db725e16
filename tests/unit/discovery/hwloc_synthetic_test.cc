// hwloc synthetic strings: the way tests and benchmarks build big machines.
#include <catch2/catch.hpp>

#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"

namespace podalloc {
namespace {

TEST_CASE("discovery: synthetic Genoa NPS4 shape", "[hwloc][synthetic]") {
  auto t = FromHwlocSynthetic("pack:2 numa:4 l3:3 core:8 pu:2");
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->SocketIds().size() == 2);
  CHECK(t->NumaIds().size() == 8);
  CHECK(t->UncoreIds().size() == 24);
  CHECK(t->CoreIds().size() == 192);
  CHECK(t->cpus().Size() == 384);
  CHECK(t->CpusPerUncoreCache() == 16);
  CHECK(t->NumaIdsInSocket(1) == std::vector<int>{4, 5, 6, 7});
  CHECK(t->CpusInCore(0) == CpuSet{0, 1});  // synthetic PUs of a core are consecutive
  CHECK(t->name() == "pack:2 numa:4 l3:3 core:8 pu:2");
}

TEST_CASE("discovery: synthetic SNC shape keeps one L3 over several NUMA nodes",
          "[hwloc][synthetic]") {
  auto t = FromHwlocSynthetic("pack:2 l3:1 numa:4 core:15 pu:2");
  REQUIRE(t.ok());
  CHECK(t->NumaIds().size() == 8);
  CHECK(t->UncoreIds().size() == 2);
  CHECK(t->CpusInUncoreCache(t->UncoreIds()[1]).Size() == 120);
}

TEST_CASE("discovery: synthetic extras attach memory and distances", "[hwloc][synthetic]") {
  SyntheticExtras extras;
  extras.name = "two-socket";
  extras.numa_memory_bytes = {{0, 64ull << 30}, {1, 32ull << 30}};
  extras.distances = {{10, 21}, {21, 10}};
  auto t = FromHwlocSynthetic("pack:2 numa:1 core:4 pu:2", extras);
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->name() == "two-socket");
  CHECK(t->NumaNode(0)->memory_bytes == 64ull << 30);
  CHECK(t->NumaNode(1)->memory_bytes == 32ull << 30);
  CHECK(t->Distance(1, 0) == 21);

  SECTION("a distance matrix of the wrong size is an error") {
    extras.distances = {{10, 21, 30}, {21, 10, 30}, {30, 30, 10}};
    auto bad = FromHwlocSynthetic("pack:2 numa:1 core:4 pu:2", extras);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(std::string(bad.status().message()),
               Catch::Contains("distance matrix has 3 rows for 2 NUMA nodes"));
  }
  SECTION("memory for a NUMA node the machine lacks is an error") {
    extras.numa_memory_bytes[5] = 1;
    auto bad = FromHwlocSynthetic("pack:2 numa:1 core:4 pu:2", extras);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(std::string(bad.status().message()), Catch::Contains("NUMA node 5"));
  }
}

TEST_CASE("discovery: synthetic 4096-CPU machine and JSON round-trip", "[hwloc][synthetic]") {
  auto t = FromHwlocSynthetic("pack:8 numa:2 l3:4 core:32 pu:2");
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->cpus().Size() == 4096);
  CHECK(t->NumaIds().size() == 16);
  auto back = TopologyFromJson(TopologyToJsonString(*t));
  REQUIRE(back.ok());
  CHECK(*back == *t);
}

TEST_CASE("discovery: synthetic machines beyond the model's limits are errors",
          "[hwloc][synthetic][errors]") {
  auto bad = FromHwlocSynthetic("not a description");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(bad.status().message()), Catch::Contains("not a description"));
  auto too_many_cpus = FromHwlocSynthetic("pack:2 core:2049 pu:1");
  REQUIRE_FALSE(too_many_cpus.ok());
  CHECK_THAT(std::string(too_many_cpus.status().message()), Catch::Contains("out of range"));
  auto too_many_nodes = FromHwlocSynthetic("numa:65 core:1 pu:1");
  REQUIRE_FALSE(too_many_nodes.ok());
  CHECK_THAT(std::string(too_many_nodes.status().message()), Catch::Contains("NUMA node"));
}

}  // namespace
}  // namespace podalloc
