#include <catch2/catch.hpp>

#include "podalloc/memory_manager.h"
#include "test_machines.h"

namespace podalloc {
namespace {

using namespace podalloc::testing;

TEST_CASE("memory_manager: resource names follow the kubelet's spelling", "[memory_manager]") {
  CHECK(kMemory.Name() == "memory");
  CHECK(kHuge2M.Name() == "hugepages-2Mi");
  CHECK(kHuge1G.Name() == "hugepages-1Gi");
  CHECK(MemoryResource::HugePages(64 * 1024).Name() == "hugepages-64Ki");
  CHECK(MemoryResource::HugePages(1536 * 1024).Name() == "hugepages-1536Ki");
  CHECK(*MemoryResource::Parse("memory") == kMemory);
  CHECK(*MemoryResource::Parse("hugepages-2Mi") == kHuge2M);
  CHECK(*MemoryResource::Parse("hugepages-2048Ki") == kHuge2M);
  CHECK(*MemoryResource::Parse("hugepages-1Gi") == kHuge1G);
  CHECK(*MemoryResource::Parse("hugepages-1073741824") == kHuge1G);
  CHECK(MemoryResource::Parse("cpu").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(!MemoryResource::Parse("hugepages-").ok());
  CHECK(!MemoryResource::Parse("hugepages-0").ok());
  CHECK(!MemoryResource::Parse("hugepages-2Xi").ok());
  CHECK(kMemory < kHuge2M);
  CHECK(kHuge2M < kHuge1G);
}

TEST_CASE("memory_manager: default machine state carves hugepages out of memory",
          "[memory_manager]") {
  std::vector<NumaNodeInfo> nodes = {
      Node(1, 8 * kGi, {HugePages{2 * kMi, 512}, HugePages{kGi, 2}}),
      Node(0, 4 * kGi, {HugePages{kGi, 1}})};
  SystemReservedMemory reserved;
  reserved[0] = {MemoryAmount{kMemory, 512 * kMi}};
  reserved[1] = {MemoryAmount{kMemory, kGi}, MemoryAmount{kHuge2M, 4 * kMi}};
  auto policy = NewMemoryStaticPolicy(nodes, reserved);
  REQUIRE(policy.ok());
  const MemoryMachineState m = DefaultMemoryMachineState(*policy);
  REQUIRE(m.nodes.size() == 2);
  CHECK(m.nodes[0].id == 0);
  CHECK(m.nodes[0].cells == NumaMask{0});
  CHECK(m.nodes[0].number_of_assignments == 0);
  CHECK(*m.nodes[0].Find(kMemory) ==
        MemoryTable{4 * kGi, 512 * kMi, 4 * kGi - 512 * kMi - kGi, 0, 4 * kGi - 512 * kMi - kGi});
  CHECK(*m.nodes[0].Find(kHuge1G) == MemoryTable{kGi, 0, kGi, 0, kGi});
  CHECK(m.nodes[0].Find(kHuge2M) == nullptr);
  const uint64_t huge1 = kGi + 2 * kGi;  // 512 x 2Mi + 2 x 1Gi
  CHECK(*m.nodes[1].Find(kMemory) ==
        MemoryTable{8 * kGi, kGi, 8 * kGi - kGi - huge1, 0, 8 * kGi - kGi - huge1});
  CHECK(*m.nodes[1].Find(kHuge2M) == MemoryTable{kGi, 4 * kMi, kGi - 4 * kMi, 0, kGi - 4 * kMi});
  CHECK(m.nodes[1].memory[0].resource == kMemory);  // memory first, then by page size
  CHECK(m.nodes[1].memory[1].resource == kHuge2M);
  CHECK(m.nodes[1].memory[2].resource == kHuge1G);
}

TEST_CASE("memory_manager: a reservation larger than the node leaves nothing allocatable",
          "[memory_manager]") {
  SystemReservedMemory reserved;
  reserved[0] = {MemoryAmount{kMemory, 3 * kGi}};
  auto policy = NewMemoryStaticPolicy({Node(0, 2 * kGi)}, reserved);
  REQUIRE(policy.ok());
  CHECK(DefaultMemoryMachineState(*policy).nodes[0].Find(kMemory)->allocatable == 0);
}

TEST_CASE("memory_manager: the Static policy needs reserved memory", "[memory_manager]") {
  SystemReservedMemory none;
  none[0] = {};
  none[1] = {MemoryAmount{kHuge1G, kGi}};
  auto p = NewMemoryStaticPolicy({Node(0, kGi), Node(1, kGi)}, none);
  CHECK(p.status().message() == "[memorymanager] you should specify the system reserved memory");
  SystemReservedMemory some;
  some[1] = {MemoryAmount{kMemory, 1}};
  CHECK(NewMemoryStaticPolicy({Node(0, kGi), Node(1, kGi)}, some).ok());
  CHECK(NewMemoryStaticPolicy({Node(0, kGi), Node(0, kGi)}, some).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("memory_manager: reserved memory must add up to the node reservation",
          "[memory_manager]") {
  const std::vector<NumaNodeInfo> nodes = {Node(0, 8 * kGi), Node(1, 8 * kGi)};
  std::vector<MemoryReservation> config = {
      {0, {{"memory", kGi}}}, {1, {{"memory", 512 * kMi}, {"hugepages-1Gi", kGi}}}};

  SECTION("matching sums convert per node") {
    auto sr = SystemReservedMemoryFromConfig(
        nodes, {{"memory", kGi + 512 * kMi}, {"hugepages-1Gi", kGi}, {"cpu", 2000}}, config);
    REQUIRE(sr.ok());
    CHECK(sr->at(0) == MemoryAmounts{MemoryAmount{kMemory, kGi}});
    CHECK(sr->at(1) ==
          (MemoryAmounts{MemoryAmount{kMemory, 512 * kMi}, MemoryAmount{kHuge1G, kGi}}));
  }
  SECTION("a differing sum names both amounts") {
    auto sr = SystemReservedMemoryFromConfig(nodes, {{"memory", 2 * kGi}, {"hugepages-1Gi", kGi}},
                                             config);
    CHECK(sr.status().message() ==
          "the total amount \"1536Mi\" of type \"memory\" is not equal to the value \"2Gi\" "
          "determined by Node Allocatable feature");
  }
  SECTION("a resource reserved on nodes but not for the node") {
    auto sr = SystemReservedMemoryFromConfig(nodes, {{"memory", kGi + 512 * kMi}}, config);
    CHECK(sr.status().message() ==
          "the total amount \"1Gi\" of type \"hugepages-1Gi\" is not equal to the value \"0\" "
          "determined by Node Allocatable feature");
  }
  SECTION("unknown NUMA nodes") {
    config.push_back({3, {{"memory", 1}}});
    auto sr = SystemReservedMemoryFromConfig(nodes, {{"memory", kGi + 512 * kMi + 1}}, config);
    CHECK(sr.status().message() ==
          "the reserved memory configuration references a NUMA node 3 that does not exist on "
          "this machine");
  }
  SECTION("the kubelet's configuration checks") {
    std::vector<MemoryReservation> bad = {{0, {{"memory", 128}}}, {0, {{"memory", 64}}}};
    CHECK(SystemReservedMemoryFromConfig(nodes, {{"memory", 192}}, bad).status().message() ==
          "invalid configuration: the reserved memory has a duplicate value for NUMA node 0 and "
          "resource \"memory\"");
    bad = {{0, {{"blabla", 128}}}};
    CHECK(SystemReservedMemoryFromConfig(nodes, {}, bad).status().message() ==
          "invalid configuration: the limit type \"blabla\" for NUMA node 0 is not supported, "
          "only [memory hugepages-<HugePageSize>] is accepted");
    bad = {{0, {{"memory", 0}}}};
    CHECK(SystemReservedMemoryFromConfig(nodes, {}, bad).status().message() ==
          "invalid configuration: reserved memory may not be zero for NUMA node 0 and resource "
          "\"memory\"");
  }
}

TEST_CASE("memory_manager: machine nodes come from the topology", "[memory_manager]") {
  TopologySpec spec;
  spec.cpus = {CpuInfo{.id = 0, .core_id = 0, .socket_id = 0, .numa_id = 2, .uncore_id = 0,
                       .kind = 0}};
  spec.numa_nodes = {Node(2, 4 * kGi, {HugePages{2 * kMi, 8}}), Node(0, 2 * kGi)};
  auto topology = Topology::Build(spec);
  REQUIRE(topology.ok());
  const std::vector<NumaNodeInfo> nodes = MemoryNumaNodes(*topology);
  REQUIRE(nodes.size() == 2);
  CHECK(nodes[0].id == 0);
  CHECK(nodes[1] == Node(2, 4 * kGi, {HugePages{2 * kMi, 8}}));
}

}  // namespace
}  // namespace podalloc
