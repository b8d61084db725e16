// The hwloc XML fixtures of tests/data/fixtures, with the counts of fixtures/README.md and
// spec/real-topologies.md.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "podalloc/discovery.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

Topology LoadXml(const std::string& file) {
  auto t = FromHwlocXml(testing::TestDataDir() / "fixtures" / file);
  INFO(file << ": " << t.status().ToString());
  REQUIRE(t.ok());
  return *t;
}

std::set<int> DistanceValues(const Topology& t) {
  std::set<int> values;
  for (const auto& row : t.spec().distances) values.insert(row.begin(), row.end());
  return values;
}

TEST_CASE("discovery: hwloc XML SGI UV2000, 24 NUMA nodes", "[hwloc][xml]") {
  Topology t = LoadXml("hwloc-192em64t-24n8c2t.xml");
  CHECK(t.name() == "hwloc-192em64t-24n8c2t");
  CHECK(t.SocketIds().size() == 24);
  CHECK(t.NumaIds().size() == 24);
  CHECK(t.CoreIds().size() == 192);
  CHECK(t.cpus().Size() == 384);
  CHECK(t.CpusPerCore() == 2);
  // One L3 per socket spanning exactly its node: a cadvisor node cache, so uncore = socket.
  CHECK(t.UncoreIds().size() == 24);
  CHECK(t.CpusInCore(0) == CpuSet{0, 192});
  CHECK(t.CpusInNumaNode(0) == (CpuSet::Range(0, 7) | CpuSet::Range(192, 199)));
  CHECK(DistanceValues(t) == std::set<int>{10, 50, 65, 79});
  REQUIRE(t.NumaNode(0)->hugepages.size() == 1);
  CHECK(t.NumaNode(0)->hugepages[0].page_size_bytes == 2u << 20);
}

TEST_CASE("discovery: hwloc XML Xeon 6230 SNC2, several NUMA nodes under one L3", "[hwloc][xml]") {
  Topology t = LoadXml("hwloc-memorysidecaches.xml");
  CHECK(t.SocketIds().size() == 2);
  CHECK(t.NumaIds().size() == 4);
  CHECK(t.CoreIds().size() == 40);
  CHECK(t.cpus().Size() == 80);
  CHECK(t.UncoreIds() == std::vector<int>{0, 1});  // the L3s' own ids
  CHECK(t.CpusInUncoreCache(1).Size() == 40);
  CHECK(t.NumaIdsInSocket(0) == std::vector<int>{0, 2});
  CHECK(t.Distance(0, 2) == 11);
  CHECK(t.Distance(0, 1) == 21);
  CHECK(t.NumaNode(1)->memory_bytes == 399527780352ull);  // ~372 GiB per SNC half
}

TEST_CASE("discovery: hwloc XML cgroup-restricted view keeps only usable CPUs", "[hwloc][xml]") {
  Topology t = LoadXml("hwloc-16amd64-8n2c-cpusets.xml");
  // 5 visible NUMA nodes (1-5; 4 and 5 without allowed CPUs) and 10 allowed PUs, of which
  // 0-1 and 12-15 have no visible NUMA node (theirs are disallowed): not usable.
  CHECK(t.NumaIds() == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(t.cpus() == CpuSet{2, 3, 5, 6});
  CHECK(t.spec().offline_cpus == CpuSet::Range(0, 15) - CpuSet{2, 3, 5, 6});
  CHECK(t.CpusInNumaNode(4).IsEmpty());
  CHECK(t.NumaNode(5)->memory_bytes == 8ull << 30);
  CHECK(t.spec().distances.size() == 5);
  CHECK(t.Distance(1, 5) == 20);
}

TEST_CASE("discovery: hwloc XML heterogeneous distances", "[hwloc][xml]") {
  Topology t = LoadXml("hwloc-fakeheterodistances.xml");
  CHECK(t.NumaIds().size() == 8);
  CHECK(t.cpus().Size() == 8);
  CHECK(t.SocketIds().size() == 4);
  CHECK(t.cpus() == CpuSet{0, 6, 12, 18, 24, 30, 36, 42});  // sparse ids
  CHECK(t.spec().distances[0] == std::vector<int>{10, 16, 16, 22, 16, 22, 16, 22});
}

TEST_CASE("discovery: hwloc XML with a version 3.0 header loads as 2.0", "[hwloc][xml]") {
  std::ifstream in(testing::TestDataDir() / "fixtures" / "hwloc-fakeheterodistances.xml");
  std::stringstream text;
  text << in.rdbuf();
  std::string xml = text.str();
  const std::string v2 = "<topology version=\"2.0\">";
  REQUIRE(xml.find(v2) != std::string::npos);
  xml.replace(xml.find(v2), v2.size(), "<topology version=\"3.0\">");
  auto t = FromHwlocXmlBuffer(xml);
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->NumaIds().size() == 8);
}

TEST_CASE("discovery: hwloc XML errors name the file", "[hwloc][xml][errors]") {
  auto missing = FromHwlocXml("/nonexistent/topology.xml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(missing.status().message()), Catch::Contains("/nonexistent/topology.xml"));
  auto garbage = FromHwlocXmlBuffer("<topology version=\"2.0\"><object type=\"Nope\"");
  CHECK_FALSE(garbage.ok());
  auto empty = FromHwlocXmlBuffer("");
  CHECK_FALSE(empty.ok());
}

}  // namespace
}  // namespace podalloc
