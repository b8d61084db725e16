// Random allocate/release sequences against the static policy's invariants: exclusive sets
// of different pods never overlap, reserved CPUs are never handed out, the shared pool is
// everything else, failures change nothing, and releasing everything restores the pool.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "support/seed.h"
#include "cpu_test_support.h"
#include "kubelet_topologies.h"
#include "podalloc/cpu_manager.h"
#include "synthetic_topologies.h"

namespace podalloc {
namespace {

struct Live {
  std::string pod, container;
};

void CheckInvariants(const CpuStaticPolicy& policy, const CpuManagerState& state,
                     const CpuSet& base) {
  CpuSet exclusive;
  for (const auto& [pod, containers] : state.assignments) {
    CpuSet in_pod;
    for (const auto& [name, cpus] : containers) {
      INFO("pod " << pod << " container " << name << " cpus " << cpus.ToString());
      CHECK_FALSE(cpus.Intersects(policy.reserved_cpus()));
      in_pod |= cpus;
    }
    CHECK_FALSE(in_pod.Intersects(exclusive));  // no CPU in two pods' exclusive sets
    exclusive |= in_pod;
  }
  CHECK(state.default_cpu_set == base - exclusive);
}

void RunSequence(const Topology& topo, const std::map<std::string, std::string>& options,
                 int num_reserved, int ops, std::mt19937_64& rng) {
  const CpuStaticPolicy policy = testing::MakeStaticPolicy(topo, num_reserved, options);
  CpuManagerState state = testing::StartedState(policy);
  const CpuSet base = state.default_cpu_set;
  const int per_core = std::max(1, topo.CpusPerCore());
  std::vector<Live> live;
  int next_pod = 0, allocated = 0, refused = 0;
  auto pick = [&](int lo, int hi) { return testing::Pick(rng, lo, hi); };

  for (int op = 0; op < ops; ++op) {
    const bool remove = !live.empty() && (pick(0, 2) == 0 || state.default_cpu_set.Size() < 8);
    if (remove) {
      const size_t i = static_cast<size_t>(pick(0, static_cast<int>(live.size()) - 1));
      const CpuSet mine = *state.Find(live[i].pod, live[i].container);
      CpuSet siblings;
      for (const auto& [name, cpus] : state.assignments.at(live[i].pod)) {
        if (name != live[i].container) siblings |= cpus;
      }
      const CpuSet before = state.default_cpu_set;
      policy.RemoveContainer(state, live[i].pod, live[i].container);
      CHECK(state.default_cpu_set == (before | (mine - siblings)));
      live.erase(live.begin() + static_cast<long>(i));
    } else {
      // A new pod, or another container of a live pod (init containers come first).
      const bool same_pod = !live.empty() && pick(0, 2) == 0;
      const std::string pod =
          same_pod ? live[static_cast<size_t>(pick(0, static_cast<int>(live.size()) - 1))].pod
                   : "pod-" + std::to_string(next_pod++);
      ContainerCpuRequest req;
      req.pod_uid = pod;
      req.container_name = "c" + std::to_string(op);
      req.kind = static_cast<CpuContainerKind>(pick(0, 2));
      req.exclusive_cpus = pick(0, 3) == 0 ? pick(1, 3) : per_core * pick(1, 4);
      if (pick(0, 3) == 0 && !topo.NumaIds().empty()) {
        req.affinity =
            NumaMask::Single(topo.NumaIds()[pick(0, static_cast<int>(topo.NumaIds().size()) - 1)]);
      }
      const CpuManagerState before = state;
      auto got = policy.Allocate(state, req);
      if (got.ok()) {
        ++allocated;
        CHECK(got->cpus.Size() == req.exclusive_cpus);
        live.push_back({pod, req.container_name});
      } else {
        ++refused;
        INFO(got.status().ToString());
        CHECK(got.status().code() != absl::StatusCode::kInternal);
        CHECK(state == before);
      }
    }
    CheckInvariants(policy, state, base);
    // Every state the policy builds is one validateState accepts: even with
    // strict-cpu-reservation the shared pool never runs dry.
    CHECK_FALSE(state.default_cpu_set.IsEmpty());
    if (op % 500 == 0) {
      CpuManagerState copy = state;
      CHECK(policy.Start(copy).ok());
    }
  }
  for (const Live& l : live) policy.RemoveContainer(state, l.pod, l.container);
  CHECK(state.default_cpu_set == base);
  CHECK(state.assignments.empty());
  CHECK(allocated > 0);
  (void)refused;
}

TEST_CASE("cpu_manager: random allocate/release sequences keep the pool invariants",
          "[cpu_manager][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const Topology genoa = testing::SyntheticTopology({.sockets = 2,
                                                     .numa_per_socket = 4,
                                                     .cores_per_numa = 24,
                                                     .threads = 2,
                                                     .cores_per_uncore = 8,
                                                     .siblings_far = true});
  struct Machine {
    Topology topo;
    int reserved;
  };
  const std::vector<Machine> machines = {
      {testing::KubeletTopology("topoDualSocketHT"), 2},
      {testing::KubeletTopology("topoDualSocketMultiNumaPerSocketHT"), 4},
      {testing::KubeletTopology("topoQuadSocketFourWayHT"), 8},
      {testing::KubeletTopology("topoSmallDualSocketSingleNumaPerSocketSMTUncore"), 2},
      {genoa, 4},
  };
  // 100,000 operations in all.
  for (const Machine& m : machines) {
    for (const auto& options : testing::PropertyOptionSets()) {
      CAPTURE(m.topo.name(), options.size());
      RunSequence(m.topo, options, m.reserved, 100000 / 30, rng);
    }
  }
}

}  // namespace
}  // namespace podalloc
