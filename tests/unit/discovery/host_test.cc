// This machine through hwloc and through sysfs, and the completion of hwloc's view with the
// NUMA nodes it hides.
#include <catch2/catch.hpp>
#include <filesystem>

#include "hwloc_model.h"
#include "podalloc/discovery.h"

namespace podalloc {
namespace {

TEST_CASE("discovery: this machine loads through hwloc and agrees with its sysfs",
          "[hwloc][host]") {
  auto host = DiscoverHost();
  INFO(host.status().ToString());
  REQUIRE(host.ok());
  CHECK(host->cpus().Size() >= 1);
  CHECK(host->NumaIds().size() >= 1);
  CHECK(host->CoreIds().size() <= static_cast<size_t>(host->cpus().Size()));
  if (!std::filesystem::exists("/sys/devices/system/cpu")) return;  // no sysfs to compare
  auto sysfs = FromSysfs("/");
  INFO(sysfs.status().ToString());
  REQUIRE(sysfs.ok());
  // Sockets and cores agree; the CPU set may be narrower under a cgroup (hwloc applies it).
  CHECK(host->cpus().IsSubsetOf(sysfs->cpus()));
  for (int cpu : host->cpus()) {
    INFO("CPU " << cpu);
    CHECK(host->cpu(cpu)->numa_id == sysfs->cpu(cpu)->numa_id);
    CHECK(host->CpusInCore(host->cpu(cpu)->core_id)
              .IsSubsetOf(sysfs->CpusInCore(sysfs->cpu(cpu)->core_id)));
  }
}

TopologySpec TwoNodes() {
  TopologySpec spec;
  spec.cpus = {
      CpuInfo{.id = 0, .core_id = 0, .socket_id = 0, .numa_id = 0, .uncore_id = 0, .kind = 0},
      CpuInfo{.id = 1, .core_id = 1, .socket_id = 1, .numa_id = 1, .uncore_id = 1, .kind = 0}};
  spec.numa_nodes = {NumaNodeInfo{.id = 0, .memory_bytes = 100, .hugepages = {}},
                     NumaNodeInfo{.id = 1, .memory_bytes = 200, .hugepages = {}}};
  spec.distances = {{10, 40}, {40, 10}};
  return spec;
}

TEST_CASE("discovery: GPU-memory NUMA nodes hidden by hwloc are added from sysfs", "[host]") {
  TopologySpec hwloc = TwoNodes();
  TopologySpec sysfs = TwoNodes();
  // Two CPU-less GPU-memory nodes, as on POWER9 + V100 (node ids 252/253 there; 8 and 9 here).
  sysfs.numa_nodes.push_back(
      NumaNodeInfo{.id = 8,
                   .memory_bytes = 16ull << 30,
                   .hugepages = {{.page_size_bytes = 2u << 20, .total_pages = 3}}});
  sysfs.numa_nodes.push_back(NumaNodeInfo{.id = 9, .memory_bytes = 16ull << 30, .hugepages = {}});
  sysfs.distances = {{10, 40, 80, 80}, {40, 10, 80, 80}, {80, 80, 10, 80}, {80, 80, 80, 10}};
  internal::AddHiddenNumaNodes(sysfs, &hwloc);
  auto t = Topology::Build(hwloc);
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->NumaIds() == std::vector<int>{0, 1, 8, 9});
  CHECK(t->CpusInNumaNode(8).IsEmpty());
  CHECK(t->NumaNode(8)->hugepages.size() == 1);
  CHECK(t->NumaNode(0)->memory_bytes == 100);  // hwloc's own nodes are kept as they were
  CHECK(t->Distance(1, 9) == 80);
  CHECK(t->Distance(0, 1) == 40);

  SECTION("views that do not nest are left alone") {
    TopologySpec other = TwoNodes();
    other.numa_nodes[1].id = 5;
    other.cpus[1].numa_id = 5;
    TopologySpec before = other;
    internal::AddHiddenNumaNodes(sysfs, &other);
    CHECK(other == before);
  }
  SECTION("nothing hidden, nothing changed") {
    TopologySpec same = TwoNodes();
    internal::AddHiddenNumaNodes(TwoNodes(), &same);
    CHECK(same == TwoNodes());
  }
}

}  // namespace
}  // namespace podalloc
