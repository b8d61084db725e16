// Property tests of take-by-topology: the lazy walks give exactly the kubelet's materialised
// lists' result, and every result is a subset of the available CPUs of the requested size.
#include <catch2/catch.hpp>
#include <random>

#include "support/seed.h"
#include "cpu_layout.h"
#include "cpu_test_support.h"
#include "kubelet_topologies.h"
#include "podalloc/cpu_assignment.h"
#include "synthetic_topologies.h"

namespace podalloc {
namespace {

CpuSet RandomSubset(const CpuSet& all, std::mt19937_64& rng, double keep) {
  std::bernoulli_distribution coin(keep);
  CpuSet out;
  for (int cpu : all) {
    if (coin(rng)) out.Add(cpu);
  }
  return out;
}

void CompareOnce(const CpuLayout& layout, std::mt19937_64& rng) {
  const CpuSet& all = layout.cpus();
  const CpuSet available =
      RandomSubset(all, rng, std::uniform_real_distribution<double>(0.2, 1.0)(rng));
  const int n = testing::Pick(rng, 0, all.Size());
  const auto strategy = std::bernoulli_distribution(0.3)(rng) ? CpuSortingStrategy::kSpread
                                                              : CpuSortingStrategy::kPacked;
  const bool uncore =
      strategy == CpuSortingStrategy::kPacked && std::bernoulli_distribution(0.3)(rng);
  CAPTURE(available.ToString(), n, strategy == CpuSortingStrategy::kSpread, uncore);
  auto fast = internal::cpu::TakePacked(layout.data(), available, n, strategy, uncore);
  auto slow = internal::cpu::TakePackedMaterialized(layout.data(), available, n, strategy, uncore);
  REQUIRE(fast.ok() == slow.ok());
  if (!fast.ok()) {
    CHECK(fast.status() == slow.status());
    CHECK(n > available.Size());
    return;
  }
  CHECK(fast->ToString() == slow->ToString());
  // On every machine, irregular ones included (cores or sockets larger than the header
  // arithmetic says, entities listed twice), a take is exactly n available CPUs.
  CHECK(fast->Size() == n);
  CHECK(fast->IsSubsetOf(available));
}

TEST_CASE("cpu_manager: lazy take walks match the materialised kubelet lists",
          "[cpu_manager][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (const char* name :
       {"topoSingleSocketHT", "topoDualSocketHT", "topoTripleSocketHT",
        "topoDualSocketMultiNumaPerSocketHT", "fakeTopoMultiSocketDualSocketPerNumaHT",
        "topoDualSocketSubNumaPerSocketHTMonolithicUncore",
        "topoSingleSocketSingleNumaPerSocketPCoreHTMonolithicUncore",
        "topoSmallDualSocketSingleNumaPerSocketSMTUncore"}) {
    INFO(name);
    const CpuLayout layout(testing::KubeletTopology(name));
    for (int i = 0; i < 300; ++i) CompareOnce(layout, rng);
  }
  for (int t = 0; t < 150; ++t) {
    const Topology topo = testing::RandomTopology(rng);
    INFO("random topology " << t);
    const CpuLayout layout(topo);
    for (int i = 0; i < 40; ++i) CompareOnce(layout, rng);
  }
}

TEST_CASE("cpu_manager: distributed takes return subsets of the requested size",
          "[cpu_manager][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (const char* name : {"topoDualSocketMultiNumaPerSocketHT",
                           "topoDualSocketMultiNumaPerSocketHTLarge", "topoDualSocketHT"}) {
    INFO(name);
    const CpuLayout layout(testing::KubeletTopology(name));
    for (int i = 0; i < 60; ++i) {
      const CpuSet available = RandomSubset(layout.cpus(), rng, 0.8);
      const int group = std::bernoulli_distribution(0.5)(rng) ? 1 : layout.cpus_per_core();
      const int n = group * testing::Pick(rng, 0, available.Size() / group);
      CAPTURE(available.ToString(), n, group);
      auto got = TakeByTopologyNumaDistributed(layout, available, n, group);
      REQUIRE(got.ok());
      CHECK(got->Size() == n);
      CHECK(got->IsSubsetOf(available));
    }
  }
}

TEST_CASE("cpu_manager: distributed take spreads evenly over NUMA nodes", "[cpu_manager][take]") {
  const CpuLayout layout(testing::KubeletTopology("topoDualSocketMultiNumaPerSocketHT"));
  // 4 NUMA nodes of 20 CPUs; 40 CPUs go 20 + 20 on one pair. 48 CPUs in pairs need at least
  // 3 nodes (10 pairs each), and the first node count with a fit wins: 16 on three nodes.
  auto pair = TakeByTopologyNumaDistributed(layout, layout.cpus(), 40, 1);
  REQUIRE(pair.ok());
  int per_node[4] = {0, 0, 0, 0};
  for (int id = 0; id < 4; ++id) per_node[id] = pair->CountIn(layout.CpusInNumaNode(id));
  CHECK(per_node[0] + per_node[1] + per_node[2] + per_node[3] == 40);
  auto wide = TakeByTopologyNumaDistributed(layout, layout.cpus(), 48, 2);
  REQUIRE(wide.ok());
  int sixteen = 0;
  for (int id = 0; id < 4; ++id) sixteen += wide->CountIn(layout.CpusInNumaNode(id)) == 16;
  CHECK(sixteen == 3);
  // Not a multiple of the group size: plain packed.
  auto packed = TakeByTopologyNumaDistributed(layout, layout.cpus(), 3, 2);
  auto want = TakeByTopologyNumaPacked(layout, layout.cpus(), 3);
  REQUIRE(packed.ok());
  CHECK(*packed == *want);
}

}  // namespace
}  // namespace podalloc
