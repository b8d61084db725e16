// Random AllocatePod / Allocate / RemoveContainer sequences: pod-level sets never overlap
// other pods, stay inside the allocatable CPUs, the default pool is everything else, each
// admitted pod is partitioned by the kubelet's rules, a refusal changes nothing, and removing
// every container restores the pool.
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

using testing::KubeletTopology;
using K = CpuContainerKind;

struct LiveContainer {
  std::string pod, container;
};

// No CPU in two pods' footprints (a pod-level pod's set, or the union of a container-level
// pod's sets), footprints inside the allocatable CPUs, the default pool = everything else.
void CheckPools(const CpuStaticPolicy& policy, const CpuManagerState& state, const CpuSet& base) {
  CpuSet taken;
  for (const auto& [pod, containers] : state.assignments) {
    INFO("pod " << pod);
    CpuSet footprint;
    for (const auto& [name, cpus] : containers) footprint |= cpus;
    if (auto set = state.pod_assignments.find(pod); set != state.pod_assignments.end()) {
      CHECK(footprint.IsSubsetOf(set->second));
      footprint = set->second;
    }
    CHECK(footprint.IsSubsetOf(policy.AllocatableCpus()));
    CHECK_FALSE(footprint.Intersects(taken));
    taken |= footprint;
  }
  for (const auto& [pod, cpus] : state.pod_assignments) CHECK(state.assignments.count(pod) == 1);
  CHECK(state.default_cpu_set == base - taken);
  // The shared pool never runs dry, so validateState (which reads an empty default set as
  // "not initialised") accepts every state the policy builds, strict reservation included.
  CHECK_FALSE(state.default_cpu_set.IsEmpty());
  CpuManagerState restored = state;
  const absl::Status start = policy.Start(restored);
  INFO(start.ToString());
  CHECK(start.ok());
}

// The partition rules on one admitted pod.
void CheckPartition(const CpuStaticPolicy& policy, const PodCpuRequest& pod,
                    const PodCpuAllocation& a) {
  REQUIRE(a.containers.size() == pod.containers.size());
  CHECK(a.pod_cpus.Size() == pod.exclusive_cpus);
  // Whole cores only while every free CPU's sibling is free too: a reserved CPU whose sibling
  // is not reserved leaves a lone thread the kubelet hands out.
  if (policy.options().full_physical_cpus_only &&
      policy.reserved_physical_cpus() == policy.reserved_cpus()) {
    CHECK(policy.layout().CoreSiblingsOf(a.pod_cpus) == a.pod_cpus);
  }
  CpuSet held;  // sidecar and app slices
  CpuSet sidecars_so_far;
  for (size_t i = 0; i < pod.containers.size(); ++i) {
    const ContainerCpuDemand& want = pod.containers[i];
    const PodContainerCpus& got = a.containers[i];
    INFO("container " << want.name << " got " << got.cpus.ToString());
    CHECK(got.name == want.name);
    CHECK(got.exclusive == (want.exclusive_cpus > 0));
    CHECK(got.cpus.IsSubsetOf(a.pod_cpus));
    if (want.exclusive_cpus > 0) {
      CHECK(got.cpus.Size() == want.exclusive_cpus);
      if (want.kind == K::kInit) {
        CHECK_FALSE(got.cpus.Intersects(sidecars_so_far));
        continue;
      }
      CHECK_FALSE(got.cpus.Intersects(held));
      held |= got.cpus;
      if (want.kind == K::kSidecar) sidecars_so_far |= got.cpus;
    } else if (want.kind == K::kInit) {
      CHECK(got.cpus == a.pod_cpus - sidecars_so_far);
    } else {
      CHECK(got.cpus == a.pod_shared_pool);
      CHECK_FALSE(got.cpus.IsEmpty());
    }
  }
  CHECK(a.pod_shared_pool == a.pod_cpus - held);
}

PodCpuRequest RandomPod(const std::string& uid, int per_core, std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return testing::Pick(rng, lo, hi); };
  PodCpuRequest pod;
  pod.pod_uid = uid;
  pod.pod_level_resources = true;
  const int inits = pick(0, 3), apps = pick(1, 3);
  int long_running = 0, largest_init = 0;
  bool shared = false;
  for (int i = 0; i < inits + apps; ++i) {
    const K kind = i >= inits ? K::kApp : (pick(0, 1) == 0 ? K::kInit : K::kSidecar);
    const int cpus = pick(0, 1) == 0 ? 0 : pick(1, 3);
    pod.containers.push_back({std::string(1, static_cast<char>('a' + i)), kind, cpus});
    if (kind == K::kInit) {
      largest_init = std::max(largest_init, long_running + std::max(cpus, 1));
    } else {
      long_running += cpus;
      shared |= cpus == 0;
    }
  }
  // Mostly a budget that passes validation, sometimes a random one.
  int budget = std::max(largest_init, long_running + (shared ? pick(1, 3) : pick(0, 2)));
  if (pick(0, 5) == 0) budget = pick(1, 8);
  if (pick(0, 3) != 0) budget = (budget + per_core - 1) / per_core * per_core;
  pod.exclusive_cpus = std::max(budget, 1);
  return pod;
}

void RunPodSequence(const Topology& topo, const std::map<std::string, std::string>& options,
                    int num_reserved, int ops, std::mt19937_64& rng) {
  const CpuStaticPolicy policy =
      testing::MakeStaticPolicy(topo, num_reserved, options, /*pod_level_gate=*/true);
  CpuManagerState state = testing::StartedState(policy);
  const CpuSet base = state.default_cpu_set;
  const int per_core = std::max(1, topo.CpusPerCore());
  auto pick = [&](int lo, int hi) { return testing::Pick(rng, lo, hi); };
  std::vector<LiveContainer> live;
  int next_pod = 0, admitted = 0;

  for (int op = 0; op < ops; ++op) {
    const CpuManagerState before = state;
    if (!live.empty() && (pick(0, 2) == 0 || state.default_cpu_set.Size() < 8)) {
      const size_t i = static_cast<size_t>(pick(0, static_cast<int>(live.size()) - 1));
      const LiveContainer gone = live[i];
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
      policy.RemoveContainer(state, gone.pod, gone.container);
      CHECK(state.Find(gone.pod, gone.container) == nullptr);
      auto set = before.pod_assignments.find(gone.pod);
      if (set != before.pod_assignments.end()) {
        const bool last = before.assignments.at(gone.pod).size() == 1;
        CHECK(state.default_cpu_set ==
              (last ? before.default_cpu_set | set->second : before.default_cpu_set));
        CHECK(state.pod_assignments.count(gone.pod) == (last ? 0u : 1u));
      }
    } else if (pick(0, 3) == 0) {
      // A container-level pod beside the pod-level ones.
      const std::string uid = "c" + std::to_string(next_pod++);
      const ContainerCpuRequest req{.pod_uid = uid,
                                    .container_name = "x",
                                    .kind = K::kApp,
                                    .exclusive_cpus = pick(1, 3) * per_core,
                                    .affinity = std::nullopt};
      if (policy.Allocate(state, req).ok()) {
        live.push_back({uid, "x"});
      } else {
        CHECK(state.default_cpu_set == before.default_cpu_set);
      }
    } else {
      const std::string uid = "p" + std::to_string(next_pod++);
      const PodCpuRequest pod = RandomPod(uid, per_core, rng);
      std::optional<NumaMask> affinity;
      const std::vector<int>& numa = policy.layout().numa_ids();
      if (pick(0, 1) == 0) affinity = NumaMask::Single(numa[pick(0, int(numa.size()) - 1)]);
      auto got = policy.AllocatePod(state, pod, affinity);
      if (got.ok()) {
        ++admitted;
        CheckPartition(policy, pod, *got);
        for (const ContainerCpuDemand& c : pod.containers) live.push_back({uid, c.name});
      } else {
        INFO(got.status().ToString());
        CHECK(state == before);
        // Refusals are the validation texts, SMT alignment, a pool too small, or (with
        // strict-cpu-reservation) a set that would take the last shared CPU.
        const std::string message(got.status().message());
        CHECK((IsEmptyPodSharedPoolError(got.status()) || IsSmtAlignmentError(got.status()) ||
               message.rfind("not enough cpus available", 0) == 0 ||
               (policy.options().strict_cpu_reservation &&
                message.find("would leave the shared pool empty") != std::string::npos)));
      }
    }
    CheckPools(policy, state, base);
  }
  for (const LiveContainer& l : live) policy.RemoveContainer(state, l.pod, l.container);
  CHECK(state.default_cpu_set == base);
  CHECK(state.assignments.empty());
  CHECK(state.pod_assignments.empty());
  CHECK(admitted > 0);
}

TEST_CASE("cpu_manager: random pod-level admit/remove sequences keep the pools",
          "[cpu_manager][pod_level][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  struct Machine {
    Topology topo;
    int reserved;
  };
  const std::vector<Machine> machines = {
      {KubeletTopology("topoDualSocketHT"), 1},
      {KubeletTopology("topoDualSocketMultiNumaPerSocketHT"), 2},
      {KubeletTopology("topoQuadSocketFourWayHT"), 8},
      {testing::SyntheticTopology({.sockets = 2,
                                   .numa_per_socket = 2,
                                   .cores_per_numa = 8,
                                   .threads = 2,
                                   .cores_per_uncore = 4,
                                   .siblings_far = true}),
       2},
  };
  for (const Machine& m : machines) {
    for (const auto& options : testing::PropertyOptionSets()) {
      std::string names;
      for (const auto& [name, value] : options) names += name + " ";
      CAPTURE(m.topo.name(), names);
      RunPodSequence(m.topo, options, m.reserved, 400, rng);
    }
  }
}

}  // namespace
}  // namespace podalloc
