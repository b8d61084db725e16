// Every machine fixture, however loaded, survives the JSON form unchanged.
#include <catch2/catch.hpp>
#include <string>

#include "capture_root.h"
#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"

namespace podalloc {
namespace {

void CheckRoundTrip(const absl::StatusOr<Topology>& t) {
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  const std::string text = TopologyToJsonString(*t, 2);
  auto back = TopologyFromJson(text);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(*back == *t);
  CHECK(TopologyToJsonString(*back, 2) == text);
}

TEST_CASE("discovery: sysfs fixtures round-trip through JSON", "[json][sysfs]") {
  const std::string tarball = GENERATE(as<std::string>{}, "sysfs-128arm-2pa2n8cluster4co",
                                       "sysfs-20em64t-hybrid-1p6c2t+2ca4co1t",
                                       "sysfs-256ia64-64n2s2c", "sysfs-64amd64-4s2n4ca2co");
  INFO(tarball);
  CheckRoundTrip(FromSysfs(testing::CaptureRoot(tarball)));
}

TEST_CASE("discovery: XML fixtures round-trip through JSON", "[json][hwloc]") {
  const std::string file =
      GENERATE(as<std::string>{}, "hwloc-16amd64-8n2c-cpusets.xml", "hwloc-192em64t-24n8c2t.xml",
               "hwloc-fakeheterodistances.xml", "hwloc-memorysidecaches.xml");
  INFO(file);
  CheckRoundTrip(FromHwlocXml(testing::TestDataDir() / "fixtures" / file));
}

TEST_CASE("discovery: synthetic machines round-trip through JSON", "[json][synthetic]") {
  const std::string description =
      GENERATE(as<std::string>{}, "pack:2 numa:4 l3:3 core:8 pu:2",
               "pack:2 l3:1 numa:4 core:15 pu:2", "pack:1 core:4 pu:1", "numa:64 core:2 pu:2");
  INFO(description);
  CheckRoundTrip(FromHwlocSynthetic(description));
}

}  // namespace
}  // namespace podalloc
