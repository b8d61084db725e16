// CPU topology hints: the kubelet's explicit list, and the CapacityHints family describing
// exactly that list (checked mask by mask against the family's documented rule).
#include <catch2/catch.hpp>
#include <random>

#include "support/seed.h"
#include "cpu_test_support.h"
#include "kubelet_topologies.h"
#include "podalloc/cpu_manager.h"
#include "synthetic_topologies.h"

namespace podalloc {
namespace {

using testing::Cpus;

// The rule of hint.h's CapacityHints, applied to every mask (reference expansion).
std::vector<TopologyHint> Expand(const CapacityHints& f) {
  std::vector<TopologyHint> out;
  IterateBitMasks(f.nodes.GetBits(), [&](NumaMask m) {
    if (!f.required.IsSubsetOf(m)) return;
    for (const CapacityDemand& d : f.demands) {
      uint64_t sum = d.base;
      for (int id : m.GetBits())
        sum += id < static_cast<int>(d.available.size()) ? d.available[id] : 0;
      if (sum < d.request) return;
    }
    bool preferred = m.Count() == f.preferred_size;
    if (f.preferred_sockets > 0) {
      std::set<int> sockets;
      for (int id : m.GetBits()) sockets.insert(f.socket_of_node[id]);
      preferred |= static_cast<int>(sockets.size()) == f.preferred_sockets;
    }
    out.push_back(TopologyHint::Of(m, preferred));
  });
  return out;
}

CpuStaticPolicy Policy(const Topology& topo, testing::PolicyOptions options = {}) {
  return testing::MakeStaticPolicy(topo, /*reserved=*/0, std::move(options));
}

TEST_CASE("cpu_manager: hints prefer the narrowest NUMA masks", "[cpu_manager][hints]") {
  const CpuStaticPolicy policy = Policy(testing::KubeletTopology("hintsMachineInfo"));
  const CpuSet all = Cpus("0-11");
  auto hints = policy.CpuHintList(all, CpuSet(), 1);
  REQUIRE(hints.size() == 3);
  CHECK(hints[0] == TopologyHint::Of(NumaMask{0}, true));
  CHECK(hints[1] == TopologyHint::Of(NumaMask{1}, true));
  CHECK(hints[2] == TopologyHint::Of(NumaMask{0, 1}, false));
  // 7 CPUs need both nodes: only the pair, preferred.
  hints = policy.CpuHintList(all, CpuSet(), 7);
  REQUIRE(hints.size() == 1);
  CHECK(hints[0] == TopologyHint::Of(NumaMask{0, 1}, true));
  // Capacity, not availability, sets the preferred size: with node 0 half used, 4 CPUs fit
  // only node 1, which stays preferred, and the pair stays non-preferred.
  hints = policy.CpuHintList(Cpus("3-5,9-11,0"), CpuSet(), 4);
  REQUIRE(hints.size() == 2);
  CHECK(hints[0] == TopologyHint::Of(NumaMask{1}, true));
  CHECK(hints[1] == TopologyHint::Of(NumaMask{0, 1}, false));
  // Reusable CPUs pin their node.
  hints = policy.CpuHintList(Cpus("3-5"), Cpus("0"), 2);
  REQUIRE(hints.size() == 1);
  CHECK(hints[0] == TopologyHint::Of(NumaMask{0, 1}, false));
  // Nothing fits: an empty list (not "no preference").
  CHECK(policy.CpuHintList(Cpus("0"), CpuSet(), 2).empty());
}

TEST_CASE("cpu_manager: container and pod hints follow the state", "[cpu_manager][hints]") {
  const CpuStaticPolicy policy = Policy(testing::KubeletTopology("hintsMachineInfo"));
  CpuManagerState state = testing::StartedState(policy);
  ContainerCpuRequest req{.pod_uid = "p",
                          .container_name = "c",
                          .kind = CpuContainerKind::kApp,
                          .exclusive_cpus = 0,
                          .affinity = std::nullopt};
  CHECK(policy.ContainerHints(state, req).resources.empty());  // shared pool: no preference
  req.exclusive_cpus = 2;
  const ProviderHints fresh = policy.ContainerHints(state, req);
  REQUIRE(fresh.resources.count("cpu") == 1);
  const CapacityHints* family = fresh.resources.at("cpu").capacity();
  REQUIRE(family != nullptr);
  CHECK(Expand(*family) == policy.CpuHintList(state.default_cpu_set, CpuSet(), 2));

  // Already allocated: hints come from the assignment; a size change cannot be satisfied.
  state.assignments["p"]["c"] = Cpus("3,9");
  state.default_cpu_set -= Cpus("3,9");
  const ProviderHints allocated = policy.ContainerHints(state, req);
  const CapacityHints* again = allocated.resources.at("cpu").capacity();
  REQUIRE(again != nullptr);
  const auto expanded = Expand(*again);
  REQUIRE(expanded.size() == 2);
  CHECK(expanded[0] == TopologyHint::Of(NumaMask{1}, true));
  req.exclusive_cpus = 4;
  const ProviderHints resized = policy.ContainerHints(state, req);
  const std::vector<TopologyHint>* none = resized.resources.at("cpu").list();
  REQUIRE(none != nullptr);
  CHECK(none->empty());

  PodCpuRequest pod{.pod_uid = "p",
                    .exclusive_cpus = 2,
                    .pod_level_resources = false,
                    .containers = {{"c", CpuContainerKind::kApp, 2}}};
  const ProviderHints pod_hints = policy.PodHints(state, pod);
  const CapacityHints* pod_family = pod_hints.resources.at("cpu").capacity();
  REQUIRE(pod_family != nullptr);
  CHECK(Expand(*pod_family) == expanded);
  pod.containers[0].exclusive_cpus = 3;
  CHECK(policy.PodHints(state, pod).resources.at("cpu").list()->empty());
}

TEST_CASE("cpu_manager: the hint family describes the kubelet's list exactly",
          "[cpu_manager][hints][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::vector<Topology> machines;
  for (const char* name : {"hintsMachineInfo", "topoDualSocketMultiNumaPerSocketHT",
                           "topoDualSocketMultiNumaPerSocketHTLarge", "topoDualSocketHT"}) {
    machines.push_back(testing::KubeletTopology(name));
  }
  for (int i = 0; i < 20; ++i) machines.push_back(testing::RandomTopology(rng));
  for (const Topology& topo : machines) {
    for (bool by_socket : {false, true}) {
      std::map<std::string, std::string> options;
      if (by_socket) {
        if (topo.NumSockets() > topo.NumNumaNodes()) continue;
        options[kAlignBySocketOption] = "true";
      }
      const CpuStaticPolicy policy = Policy(topo, options);
      for (int round = 0; round < 25; ++round) {
        CpuSet available, reusable;
        for (int cpu : topo.cpus()) {
          const int r = testing::Pick(rng, 0, 9);
          if (r < 6) available.Add(cpu);
          if (r == 9 && round % 3 == 0) reusable.Add(cpu);
        }
        const int request = testing::Pick(rng, 1, topo.cpus().Size());
        CAPTURE(topo.name(), by_socket, available.ToString(), reusable.ToString(), request);
        CHECK(Expand(policy.CpuHintFamily(available, reusable, request)) ==
              policy.CpuHintList(available, reusable, request));
      }
    }
  }
}

}  // namespace
}  // namespace podalloc
