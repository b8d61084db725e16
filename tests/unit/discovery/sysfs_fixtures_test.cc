// The sysfs captures of tests/data/fixtures (unpacked at configure time) loaded through the sysfs
// reader, with the counts of fixtures/README.md and spec/real-topologies.md.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>

#include "capture_root.h"
#include "podalloc/discovery.h"

namespace podalloc {
namespace {

Topology Load(const std::string& tarball) {
  auto t = FromSysfs(testing::CaptureRoot(tarball));
  INFO(tarball << ": " << t.status().ToString());
  REQUIRE(t.ok());
  return *t;
}

struct Counts {
  int sockets, numa, cores, cpus, uncore;
};

void CheckCounts(const Topology& t, const Counts& want) {
  CHECK(t.SocketIds().size() == static_cast<size_t>(want.sockets));
  CHECK(t.NumaIds().size() == static_cast<size_t>(want.numa));
  CHECK(t.CoreIds().size() == static_cast<size_t>(want.cores));
  CHECK(t.cpus().Size() == want.cpus);
  CHECK(t.UncoreIds().size() == static_cast<size_t>(want.uncore));
  CHECK(t.NumCpus() == want.cpus);
  CHECK(t.NumSockets() == want.sockets);
}

TEST_CASE("discovery: sysfs Kunpeng 920 capture (asymmetric distances, no SMT)", "[sysfs]") {
  Topology t = Load("sysfs-128arm-2pa2n8cluster4co");
  // Each L3 spans exactly its NUMA node's threads, so cadvisor files it as a node cache and
  // the kubelet's uncore id falls back to the socket.
  CheckCounts(t, {.sockets = 2, .numa = 4, .cores = 128, .cpus = 128, .uncore = 2});
  CHECK(t.CpusPerCore() == 1);
  CHECK(t.CpusInNumaNode(1) == CpuSet::Range(32, 63));
  CHECK(t.SocketIds() == std::vector<int>{36, 8442});  // firmware package ids
  CHECK(t.NumaIdsInSocket(8442) == std::vector<int>{2, 3});
  const std::vector<std::vector<int>> want = {
      {10, 16, 32, 33}, {16, 10, 25, 32}, {32, 25, 10, 16}, {33, 32, 16, 10}};
  CHECK(t.spec().distances == want);
  CHECK(t.Distance(1, 2) == 25);
  const NumaNodeInfo* node0 = t.NumaNode(0);
  REQUIRE(node0 != nullptr);
  CHECK(node0->memory_bytes == 131732940ull * 1024);
  REQUIRE(node0->hugepages.size() == 4);
  CHECK(node0->hugepages[0].page_size_bytes == 64 * 1024);
  CHECK(node0->hugepages[3].page_size_bytes == 1024ull * 1024 * 1024);
  CHECK(t.cpu(127)->kind == 0);  // equal cpu_capacity everywhere
}

TEST_CASE("discovery: sysfs hybrid i7-1370P capture (P-cores with SMT, E-cores)", "[sysfs]") {
  Topology t = Load("sysfs-20em64t-hybrid-1p6c2t+2ca4co1t");
  CheckCounts(t, {.sockets = 1, .numa = 1, .cores = 14, .cpus = 20, .uncore = 1});
  CHECK(t.CpusInCore(10) == CpuSet{10, 11});
  CHECK(t.CpusInCore(12) == CpuSet{12});
  for (int cpu = 0; cpu < 20; ++cpu) {
    INFO("CPU " << cpu);
    CHECK(t.cpu(cpu)->kind == (cpu < 12 ? 1 : 0));  // E-cores are the slower kind 0
  }
  CHECK(t.CpusInUncoreCache(0) == CpuSet::Range(0, 19));
  CHECK(t.Distance(0, 0) == 10);
}

TEST_CASE("discovery: sysfs SGI Altix capture has 64 NUMA nodes", "[sysfs]") {
  Topology t = Load("sysfs-256ia64-64n2s2c");
  CheckCounts(t, {.sockets = 128, .numa = 64, .cores = 256, .cpus = 256, .uncore = 128});
  CHECK(t.AllNumaNodes().Count() == 64);
  CHECK(t.CpusInNumaNode(0) == CpuSet::Range(0, 3));
  CHECK(t.CpusInNumaNode(63) == CpuSet::Range(252, 255));
  REQUIRE(t.HasDistances());
  CHECK(t.spec().distances.size() == 64);
  std::set<int> values;
  for (const auto& row : t.spec().distances) values.insert(row.begin(), row.end());
  CHECK(values == std::set<int>{10, 22, 26, 30, 34});
  CHECK(t.NumaNode(0)->memory_bytes == 8064400ull * 1024);
  CHECK(t.NumaNode(0)->hugepages.empty());
}

TEST_CASE("discovery: sysfs 4x Opteron 6276 capture (2 NUMA per package)", "[sysfs]") {
  Topology t = Load("sysfs-64amd64-4s2n4ca2co");
  // thread_siblings pair the two cores of a Bulldozer module; core_id keeps them apart, as in
  // cadvisor and hwloc.
  CheckCounts(t, {.sockets = 4, .numa = 8, .cores = 64, .cpus = 64, .uncore = 4});
  CHECK(t.CpusPerCore() == 1);
  CHECK(t.NumaIdsInSocket(0) == std::vector<int>{0, 1});
  CHECK(t.spec().distances[0] == std::vector<int>{10, 16, 16, 22, 16, 22, 16, 22});
  CHECK(t.spec().distances[2] == std::vector<int>{16, 22, 10, 16, 16, 16, 16, 16});
  CHECK(t.NumaNode(0)->memory_bytes == 16769836ull * 1024);
  REQUIRE(t.NumaNode(0)->hugepages.size() == 1);
  CHECK(t.NumaNode(0)->hugepages[0].page_size_bytes == 2u << 20);
}

}  // namespace
}  // namespace podalloc
