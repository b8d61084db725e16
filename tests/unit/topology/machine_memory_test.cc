// A machine's memory amounts fit a Kubernetes quantity (tests/data/repro README item 14: four
// NUMA nodes of 2^64-1 bytes made node capacity wrap to -4 bytes).
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

#include "podalloc/topology.h"

namespace podalloc {
namespace {

constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();

TopologySpec OneCpu(std::vector<NumaNodeInfo> nodes) {
  TopologySpec spec;
  spec.cpus.push_back(CpuInfo{.id = 0, .core_id = 0, .socket_id = 0, .numa_id = 0});
  spec.numa_nodes = std::move(nodes);
  return spec;
}

std::string Refusal(std::vector<NumaNodeInfo> nodes) {
  auto t = Topology::Build(OneCpu(std::move(nodes)));
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

TEST_CASE("topology: the machine's memory adds up to at most 2^63-1 bytes",
          "[topology][overflow]") {
  const uint64_t all_ones = ~uint64_t{0};
  CHECK_THAT(Refusal({{0, all_ones, {}}, {1, all_ones, {}}, {2, all_ones, {}}, {3, all_ones, {}}}),
             Catch::Contains("topology: NUMA node 0: its memory (18446744073709551615 bytes)"));
  // Each node fits, the sum does not: the node that crosses the bound is named.
  CHECK_THAT(Refusal({{0, kMax / 2 + 1, {}}, {1, kMax / 2 + 1, {}}}),
             Catch::Contains("NUMA node 1"));
  // Huge pages count with the memory they are carved from.
  CHECK_THAT(Refusal({{0, kMax, {HugePages{2 << 20, 1}}}}), Catch::Contains("NUMA node 0"));
  // Page size times page count must not wrap.
  CHECK_THAT(Refusal({{0, 0, {HugePages{uint64_t{1} << 30, uint64_t{1} << 40}}}}),
             Catch::Contains("1099511627776 huge pages of 1073741824 bytes"));

  // Right at the bound is a machine.
  auto t = Topology::Build(OneCpu({{0, kMax - (uint64_t{2} << 20), {HugePages{2 << 20, 1}}}}));
  INFO(t.status().ToString());
  CHECK(t.ok());
  CHECK(CheckMachineMemory({{0, kMax / 2, {}}, {1, kMax / 2, {}}}).ok());
}

}  // namespace
}  // namespace podalloc
