// The device hints in the topology manager: merging a device family (capacity or oracle) gives
// the same best hint and admit decision as merging the kubelet's list of the same hints, for
// every policy, beside a CPU provider; and on a 64-node machine the merge picks a node that
// hosts the devices.
#include <random>

#include <catch2/catch.hpp>

#include "support/seed.h"
#include "podalloc/device_hints.h"
#include "podalloc/quantity.h"
#include "podalloc/topology_manager.h"

namespace podalloc {
namespace {

#ifdef PODALLOC_SANITIZED_TESTS
constexpr int kCases = 300;
#else
constexpr int kCases = 3000;
#endif

NumaInfo Machine(int n) {
  std::vector<NumaInfoNode> nodes;
  for (int i = 0; i < n; ++i) {
    std::vector<uint64_t> row(n);
    for (int j = 0; j < n; ++j) row[j] = i == j ? 10 : ((i < n / 2) == (j < n / 2) ? 11 : 21);
    nodes.push_back({i, row});
  }
  absl::StatusOr<NumaInfo> numa = NumaInfo::Create(nodes, true);
  REQUIRE(numa.ok());
  return *numa;
}

TEST_CASE("device hints: a family merges as the kubelet's list of the same hints",
          "[device_manager][property]") {
  const uint32_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (int i = 0; i < kCases; ++i) {
    const int n = 1 + static_cast<int>(rng() % 6);
    DeviceHintRequest in;
    for (int id = 0; id < n; ++id) in.numa_nodes.push_back(id);
    for (int d = static_cast<int>(rng() % 6); d > 0; --d) {
      std::vector<int64_t> nodes = {static_cast<int64_t>(rng() % n)};
      if (rng() % 3 == 0) nodes.push_back(static_cast<int64_t>(rng() % n));
      in.all.push_back(nodes);
      if (rng() % 4 != 0) in.available.push_back(nodes);
    }
    if (rng() % 4 == 0 && !in.all.empty()) in.reusable.push_back(in.all[rng() % in.all.size()]);
    in.request = static_cast<int64_t>(rng() % 4);
    const ResourceHints family = GenerateDeviceHints(in);
    auto listed = ExpandDeviceHints(family);
    REQUIRE(listed.ok());
    ProviderHints devices_family, devices_list, cpu;
    devices_family.resources["gpu"] = family;
    devices_list.resources["gpu"] = ResourceHints::List(**listed);
    CapacityHints cpus;
    cpus.nodes = NumaMask::FirstN(n);
    CapacityDemand demand;
    for (int id = 0; id < n; ++id) demand.available.push_back(rng() % 5);
    demand.request = 1 + rng() % 6;
    cpus.demands.push_back(demand);
    cpus.preferred_size = MinAffinitySize({std::vector<uint64_t>(n, 4)}, {demand.request},
                                          cpus.nodes);
    cpu.resources["cpu"] = ResourceHints::Capacity(cpus);
    const NumaInfo numa = Machine(n);
    for (TopologyPolicy policy : {TopologyPolicy::kBestEffort, TopologyPolicy::kRestricted,
                                  TopologyPolicy::kSingleNumaNode}) {
      INFO("case " << i << " policy " << TopologyPolicyName(policy));
      absl::StatusOr<MergeResult> a = MergeHints({devices_family, cpu}, policy, numa, {});
      absl::StatusOr<MergeResult> b = MergeHints({devices_list, cpu}, policy, numa, {});
      REQUIRE(a.ok());
      REQUIRE(b.ok());
      CHECK(*a == *b);
    }
  }
}

TEST_CASE("device hints: 64 NUMA nodes, GPUs on two of them, merged with CPU and memory",
          "[device_manager]") {
  std::vector<int> ids;
  for (int i = 0; i < 64; ++i) ids.push_back(i);
  DeviceManager m(ids);
  m.RegisterPlugin("nvidia.com/gpu");
  REQUIRE(m.UpdateDevices("nvidia.com/gpu",
                          {PluginDevice{"g0", kDeviceHealthy, std::vector<int64_t>{5}},
                           PluginDevice{"g1", kDeviceHealthy, std::vector<int64_t>{5}},
                           PluginDevice{"g2", kDeviceHealthy, std::vector<int64_t>{40}},
                           PluginDevice{"g3", kDeviceHealthy, std::vector<int64_t>{40}}})
              .ok());
  Pod pod;
  pod.uid = "p";
  Container c;
  c.name = "app";
  c.resources.limits["nvidia.com/gpu"] = Quantity::FromMilli(2000);
  pod.containers.push_back(c);
  const ProviderHints devices = m.GetTopologyHints(pod, "app");
  // CPUs free everywhere except node 5: the only single node with both is 40.
  CapacityHints cpus;
  cpus.nodes = NumaMask::FirstN(64);
  CapacityDemand demand;
  demand.available.assign(64, 8);
  demand.available[5] = 0;
  demand.request = 4;
  cpus.demands.push_back(demand);
  cpus.preferred_size = 1;
  ProviderHints cpu;
  cpu.resources["cpu"] = ResourceHints::Capacity(cpus);
  absl::StatusOr<MergeResult> r =
      MergeHints({devices, cpu}, TopologyPolicy::kRestricted, Machine(64), {});
  REQUIRE(r.ok());
  CHECK(r->admit);
  CHECK(r->hint == TopologyHint::Of(NumaMask::Single(40), true));
  // Once node 40's GPUs are taken, the GPUs of node 5 and the CPUs elsewhere cannot align.
  DeviceEntry held;
  held.devices_per_numa[40] = {"g2", "g3"};
  m.SetEntry("other", "app", "nvidia.com/gpu", held);
  r = MergeHints({m.GetTopologyHints(pod, "app"), cpu}, TopologyPolicy::kRestricted, Machine(64),
                 {});
  REQUIRE(r.ok());
  CHECK(!r->admit);
}

}  // namespace
}  // namespace podalloc
