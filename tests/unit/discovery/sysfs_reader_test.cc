// The sysfs reader on small hand-made trees: the kubelet's rules for cores and uncore caches,
// core kinds, and bad input that must be an error naming the file, never a crash.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "fake_sysfs.h"
#include "podalloc/discovery.h"

namespace podalloc {
namespace {

using testing::FakeSysfs;

std::string ErrorOf(const absl::StatusOr<Topology>& t) {
  REQUIRE_FALSE(t.ok());
  return t.status().ToString();
}

TEST_CASE("discovery: sysfs reader builds cores, NUMA nodes and memory", "[sysfs]") {
  FakeSysfs fs;
  fs.SmallMachine();
  auto t = FromSysfs(fs.root());
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->cpus() == CpuSet::Range(0, 7));
  CHECK(t->CoreIds() == std::vector<int>{0, 1, 2, 3});
  CHECK(t->CpusInCore(1) == CpuSet{1, 5});
  CHECK(t->CpusInNumaNode(1) == CpuSet{2, 3, 6, 7});
  CHECK(t->NumaNode(1)->memory_bytes == 2048ull * 1024 * 1024);
  CHECK(t->Distance(0, 1) == 21);
  // Each L3 spans its node's 4 threads exactly: a cadvisor "node cache", so the socket.
  CHECK(t->UncoreIds() == std::vector<int>{0});
}

TEST_CASE("discovery: sysfs uncore id is the L3 id when the L3 is smaller than the node",
          "[sysfs]") {
  FakeSysfs fs;
  fs.SmallMachine();
  fs.Node(0, "0-3,4-7", 1024, "10");
  fs.Remove("sys/devices/system/node/node1");
  fs.Write("sys/devices/system/node/online", "0");
  auto t = FromSysfs(fs.root());
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->UncoreIds() == std::vector<int>{7, 9});
  CHECK(t->CpusInUncoreCache(9) == CpuSet{2, 3, 6, 7});

  SECTION("a kernel without cache ids gives no uncore cache: the socket") {
    for (int cpu = 0; cpu < 8; ++cpu) {
      fs.Remove("sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/cache/index0/id");
    }
    auto no_ids = FromSysfs(fs.root());
    REQUIRE(no_ids.ok());
    CHECK(no_ids->UncoreIds() == std::vector<int>{0});
  }
}

TEST_CASE("discovery: sysfs offline CPUs are listed apart", "[sysfs]") {
  FakeSysfs fs;
  fs.SmallMachine();
  fs.Write("sys/devices/system/cpu/online", "0-2,4-6");
  fs.Node(1, "2,6", 2048 * 1024, "21 10");
  auto t = FromSysfs(fs.root());
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->cpus() == CpuSet{0, 1, 2, 4, 5, 6});
  CHECK(t->spec().offline_cpus == CpuSet{3, 7});
}

TEST_CASE("discovery: sysfs core kinds rank cpu_capacity", "[sysfs]") {
  FakeSysfs fs;
  fs.SmallMachine();
  for (int cpu = 0; cpu < 8; ++cpu) {
    fs.Write("sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/cpu_capacity",
             cpu % 4 < 2 ? "1024" : "512");
  }
  auto t = FromSysfs(fs.root());
  REQUIRE(t.ok());
  CHECK(t->cpu(0)->kind == 1);
  CHECK(t->cpu(6)->kind == 0);

  SECTION("a CPU without the file makes the source unusable") {
    fs.Remove("sys/devices/system/cpu/cpu3/cpu_capacity");
    auto partial = FromSysfs(fs.root());
    REQUIRE(partial.ok());
    CHECK(partial->cpu(0)->kind == 0);
  }
}

TEST_CASE("discovery: sysfs bad input is an error naming the item", "[sysfs][errors]") {
  FakeSysfs fs;
  fs.SmallMachine();

  SECTION("malformed node cpulist") {
    fs.Write("sys/devices/system/node/node1/cpulist", "2-3,6-x");
    std::string e = ErrorOf(FromSysfs(fs.root()));
    CHECK_THAT(e, Catch::Contains("node1/cpulist") && Catch::Contains("INVALID_ARGUMENT"));
  }
  SECTION("missing meminfo") {
    fs.Remove("sys/devices/system/node/node0/meminfo");
    std::string e = ErrorOf(FromSysfs(fs.root()));
    CHECK_THAT(e, Catch::Contains("node0/meminfo") && Catch::Contains("NOT_FOUND"));
  }
  SECTION("an unreadable file (a directory: only regular files are read)") {
    fs.Remove("sys/devices/system/node/node0/meminfo");
    std::filesystem::create_directories(fs.root() / "sys/devices/system/node/node0/meminfo");
    std::string e = ErrorOf(FromSysfs(fs.root()));
    CHECK_THAT(e, Catch::Contains("is a directory") && Catch::Contains("node0/meminfo"));
  }
  SECTION("meminfo without MemTotal") {
    fs.Write("sys/devices/system/node/node0/meminfo", "Node 0 MemFree: 12 kB");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("no MemTotal"));
  }
  SECTION("a CPU in two cores") {
    fs.Write("sys/devices/system/cpu/cpu5/topology/thread_siblings_list", "5");
    std::string e = ErrorOf(FromSysfs(fs.root()));
    CHECK_THAT(e, Catch::Contains("CPU 1 is in two cores"));
  }
  SECTION("a CPU in two NUMA nodes") {
    fs.Node(1, "2-3,5-7", 2048, "21 10");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("CPU 5 is also in NUMA node 0"));
  }
  SECTION("an online CPU in no NUMA node") {
    fs.Node(1, "2-3,6", 2048, "21 10");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("online CPU 7 is in no NUMA node"));
  }
  SECTION("a distance row of the wrong length") {
    fs.Node(1, "2-3,6-7", 2048, "21 10 30");
    std::string e = ErrorOf(FromSysfs(fs.root()));
    CHECK_THAT(e, Catch::Contains("node1/distance") && Catch::Contains("3 distances for 2"));
  }
  SECTION("a non-numeric distance") {
    fs.Node(1, "2-3,6-7", 2048, "21 ten");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("bad distance \"ten\""));
  }
  SECTION("a zero distance is refused by the model") {
    fs.Node(1, "2-3,6-7", 2048, "0 10");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("must be positive"));
  }
  SECTION("a NUMA id beyond the model's range") {
    fs.Remove("sys/devices/system/node/node1");
    fs.Node(64, "2-3,6-7", 2048, "21 10");
    fs.Write("sys/devices/system/node/online", "0,64");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("NUMA node id 64 is out of range"));
  }
  SECTION("a missing core_id") {
    fs.Remove("sys/devices/system/cpu/cpu2/topology/core_id");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("cpu2/topology/core_id"));
  }
  SECTION("a non-numeric package id") {
    fs.Write("sys/devices/system/cpu/cpu2/topology/physical_package_id", "zero");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())),
               Catch::Contains("physical_package_id") && Catch::Contains("\"zero\""));
  }
  SECTION("an online CPU without a folder") {
    fs.Write("sys/devices/system/cpu/online", "0-8");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("CPUs 8 are online"));
  }
  SECTION("a malformed hex mask") {
    fs.Remove("sys/devices/system/node/node1/cpulist");
    fs.Write("sys/devices/system/node/node1/cpumap", "000000cc,zz");
    CHECK_THAT(ErrorOf(FromSysfs(fs.root())), Catch::Contains("malformed CPU mask word \"zz\""));
  }
  SECTION("a root without sysfs") {
    FakeSysfs empty;
    CHECK_THAT(ErrorOf(FromSysfs(empty.root())), Catch::Contains("sys/devices/system/cpu"));
  }
}

TEST_CASE("discovery: sysfs hex masks read like the list files", "[sysfs]") {
  FakeSysfs fs;
  fs.SmallMachine();
  fs.Remove("sys/devices/system/node/node1/cpulist");
  fs.Write("sys/devices/system/node/node1/cpumap", "00000000,000000cc");
  auto t = FromSysfs(fs.root());
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->CpusInNumaNode(1) == CpuSet{2, 3, 6, 7});
}

}  // namespace
}  // namespace podalloc
