// The helpers hint providers use (hint.h) against literal kubelet-style enumeration.
#include <catch2/catch.hpp>

#include "podalloc/hint.h"
#include "podalloc/hint_merge_steps.h"
#include "random_hints.h"
#include "reference/kubelet_merge.h"

namespace podalloc {
namespace {

// The memory manager's findBestHint over a list, literally.
std::optional<TopologyHint> LiteralFindBest(const std::vector<TopologyHint>& hints,
                                            NumaMask within) {
  std::optional<TopologyHint> best;
  for (const TopologyHint& h : hints) {
    if (!within.IsSubsetOf(*h.affinity)) continue;
    if (!best) {
      best = h;
      continue;
    }
    if (h.preferred && !best->preferred) {
      best = h;
      continue;
    }
    if (h.preferred == best->preferred && h.affinity->IsNarrowerThan(*best->affinity)) best = h;
  }
  return best;
}

int LiteralMinAffinitySize(const CapacityHints& f) {
  int min = f.nodes.Count();
  IterateBitMasks(f.nodes.GetBits(), [&](NumaMask m) {
    for (const CapacityDemand& d : f.demands) {
      uint64_t sum = 0;
      for (int n : m.GetBits()) sum += n < int(d.available.size()) ? d.available[n] : 0;
      if (sum < d.request) return;
    }
    min = std::min(min, m.Count());
  });
  return min;
}

TEST_CASE("topology_manager: capacity family helpers match the enumerated list",
          "[topology_manager][hints][property]") {
  const uint64_t seed = Catch::rngSeed() != 0 ? Catch::rngSeed() : 7;
  INFO("seed " << seed);
  testing::RandomHints gen(seed);
  for (int i = 0; i < 3000; ++i) {
    const int n = std::uniform_int_distribution<int>(1, 8)(gen.rng());
    const CapacityHints f = gen.Capacity(NumaMask::FirstN(n));
    const std::vector<TopologyHint> list = reference::ListCapacityHints(f);
    CAPTURE(i);
    absl::StatusOr<std::vector<TopologyHint>> expanded = ExpandHints(f);
    REQUIRE(expanded.ok());
    CHECK(*expanded == list);
    CHECK(HasAnyHint(f) == !list.empty());
    for (const TopologyHint& h : list) {
      CHECK(f.IsHint(*h.affinity));
      CHECK(f.IsPreferred(*h.affinity) == h.preferred);
    }
    std::vector<std::vector<uint64_t>> capacity;
    std::vector<uint64_t> requests;
    for (const CapacityDemand& d : f.demands) {
      capacity.push_back(d.available);
      requests.push_back(d.request);
    }
    CHECK(MinAffinitySize(capacity, requests, f.nodes) == LiteralMinAffinitySize(f));
    const NumaMask within = NumaMask::FromBits(gen.rng()() & f.nodes.bits() &
                                               (gen.rng()() | gen.rng()()));
    CHECK(FindBestHint(f, NumaMask()) == LiteralFindBest(list, NumaMask()));
    CHECK(FindBestHint(f, within) == LiteralFindBest(list, within));
  }
}

TEST_CASE("topology_manager: MinAffinitySize on a 64-node machine without enumeration",
          "[topology_manager][hints]") {
  std::vector<uint64_t> cpus(64, 16);
  cpus[5] = 40;
  cpus[9] = 30;
  const NumaMask all = NumaMask::FirstN(64);
  CHECK(MinAffinitySize({cpus}, {16}, all) == 1);
  CHECK(MinAffinitySize({cpus}, {70}, all) == 2);   // 40 + 30
  CHECK(MinAffinitySize({cpus}, {71}, all) == 3);
  CHECK(MinAffinitySize({cpus}, {40 + 30 + 62 * 16}, all) == 64);
  CHECK(MinAffinitySize({cpus}, {40 + 30 + 62 * 16 + 1}, all) == 64);  // none fits: |nodes|
  // Two demands pull towards different nodes.
  std::vector<uint64_t> mem(64, 1);
  mem[7] = 100;
  CHECK(MinAffinitySize({cpus, mem}, {40, 100}, all) == 2);  // {5, 7}
}

TEST_CASE("topology_manager: CPU-manager shaped family at 64 nodes",
          "[topology_manager][hints]") {
  // 64 nodes of 8 CPUs, all free except node 0; a 12-CPU request with CPU 3 of node 2 reusable.
  CapacityHints f;
  f.nodes = NumaMask::FirstN(64);
  CapacityDemand cpu;
  cpu.available.assign(64, 8);
  cpu.available[0] = 0;
  cpu.available[2] = 7;  // the reusable CPU is not "available"
  cpu.base = 1;
  cpu.request = 12;
  f.demands.push_back(cpu);
  f.required = NumaMask{2};
  f.preferred_size = MinAffinitySize({std::vector<uint64_t>(64, 8)}, {12}, f.nodes);
  REQUIRE(f.preferred_size == 2);
  CHECK(f.IsHint(NumaMask{1, 2}));
  CHECK_FALSE(f.IsHint(NumaMask{0, 2}));  // 1 + 0 + 7 < 12
  CHECK_FALSE(f.IsHint(NumaMask{1, 3}));  // the reusable CPU's node is missing
  CHECK(FindBestHint(f) == TopologyHint::Of(NumaMask{1, 2}, true));
  CHECK(FindBestHint(f, NumaMask{0}) == TopologyHint::Of(NumaMask{0, 1, 2}, false));
  CHECK_FALSE(ExpandHints(f).ok());
}

TEST_CASE("topology_manager: memory-manager NUMA groups", "[topology_manager][hints]") {
  // Nodes 0,1 serve a two-node group; node 2 serves a single-node allocation; 3 is free.
  CapacityHints f;
  f.nodes = NumaMask::FirstN(4);
  CapacityDemand mem;
  mem.available = {5, 5, 5, 5};
  mem.request = 4;
  f.demands.push_back(mem);
  f.not_alone = NumaMask{0, 1};
  f.group_of = {NumaMask{0, 1}, NumaMask{0, 1}, NumaMask{2}, NumaMask()};
  f.preferred_size = 1;
  const std::vector<TopologyHint> list = *ExpandHints(f);
  std::vector<TopologyHint> want = {TopologyHint::Of(NumaMask{2}, true),
                                    TopologyHint::Of(NumaMask{3}, true),
                                    TopologyHint::Of(NumaMask{0, 1}, false)};
  CHECK(list == want);
}

TEST_CASE("topology_manager: kubelet merge steps on explicit lists", "[topology_manager]") {
  ProviderHints cpu;
  cpu.resources["cpu"] = ResourceHints::List({TopologyHint::Of(NumaMask{0}, true)});
  ProviderHints mem;
  mem.resources["memory"] = ResourceHints::List({});
  mem.resources["hugepages-1Gi"] = ResourceHints::NoPreference();
  absl::StatusOr<HintLists> lists = FlattenProviderHints({cpu, ProviderHints(), mem});
  REQUIRE(lists.ok());
  const HintLists want = {{TopologyHint::Of(NumaMask{0}, true)},
                          {TopologyHint::Any(true)},
                          {TopologyHint::Any(true)},
                          {TopologyHint::Any(false)}};
  CHECK(*lists == want);
  CHECK(MaxOfMinAffinityCounts(*lists) == 1);
}

}  // namespace
}  // namespace podalloc
