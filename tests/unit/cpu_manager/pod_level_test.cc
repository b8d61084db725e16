// AllocatePod (KEP-5526): the kubelet's TestStaticPolicyAllocatePod cases, the KEP's examples,
// init-container and sidecar variants, the validation texts, SMT alignment of the pod budget,
// release with the last container, and pod-scope hints.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "cpu_test_support.h"
#include "kubelet_topologies.h"
#include "podalloc/cpu_checkpoint.h"
#include "podalloc/cpu_manager.h"

namespace podalloc {
namespace {

using testing::Cpus;
using testing::KubeletTopology;
using testing::StartedState;
using K = CpuContainerKind;

// These tests run with the PodLevelResourceManagers gate on unless they say otherwise.
CpuStaticPolicy MakePolicy(const Topology& topo, int reserved, testing::PolicyOptions options = {},
                           bool gate = true) {
  return testing::MakeStaticPolicy(topo, reserved, std::move(options), gate);
}

PodCpuRequest Pod(const std::string& uid, int budget, std::vector<ContainerCpuDemand> containers) {
  return PodCpuRequest{.pod_uid = uid,
                       .exclusive_cpus = budget,
                       .pod_level_resources = true,
                       .containers = std::move(containers)};
}

// "name=cpus" per container in request order, with "*" marking exclusive slices.
std::string Render(const PodCpuAllocation& a) {
  std::string out;
  for (const PodContainerCpus& c : a.containers) {
    if (!out.empty()) out += " ";
    out += c.name + (c.exclusive ? "*=" : "=") + c.cpus.ToString();
  }
  return out;
}

// The kubelet's TestStaticPolicyAllocatePod: topoDualSocketHT, CPU 0 reserved, the fake
// topology manager's hint NUMA node 0.
TEST_CASE("cpu_manager: AllocatePod reproduces the kubelet's pod-level cases",
          "[cpu_manager][pod_level]") {
  const CpuStaticPolicy policy = MakePolicy(KubeletTopology("topoDualSocketHT"), 1);
  REQUIRE(policy.reserved_cpus().ToString() == "0");
  struct Case {
    const char* name;
    PodCpuRequest pod;
    std::string containers;
    std::string default_after;
  };
  const std::vector<Case> cases = {
      {"guaranteed container", Pod("pod1", 2, {{"container1", K::kApp, 1}}), "container1*=2",
       "0-1,3-7,9-11"},
      {"non-guaranteed container", Pod("p", 1, {{"ngu-container", K::kApp, 0}}), "ngu-container=6",
       "0-5,7-11"},
      {"mix of guaranteed and non-guaranteed containers",
       Pod("p", 3,
           {{"gu-container-1", K::kApp, 1},
            {"gu-container-2", K::kApp, 1},
            {"ngu-container", K::kApp, 0}}),
       "gu-container-1*=6 gu-container-2*=2 ngu-container=8", "0-1,3-5,7,9-11"},
      {"guaranteed init and app containers",
       Pod("p", 2,
           {{"gu-init-container-1", K::kInit, 1},
            {"gu-init-container-2", K::kInit, 1},
            {"gu-container-1", K::kApp, 1},
            {"gu-container-2", K::kApp, 1}}),
       "gu-init-container-1*=2 gu-init-container-2*=2 gu-container-1*=2 gu-container-2*=8",
       "0-1,3-7,9-11"},
      {"guaranteed sidecar between shared init containers",
       Pod("p", 3,
           {{"ngu-init-container-1", K::kInit, 0},
            {"gu-init-restartable-2", K::kSidecar, 1},
            {"ngu-init-container-3", K::kInit, 0},
            {"gu-container-1", K::kApp, 1},
            {"ngu-container-2", K::kApp, 0}}),
       "ngu-init-container-1=2,6,8 gu-init-restartable-2*=6 ngu-init-container-3=2,8 "
       "gu-container-1*=2 ngu-container-2=8",
       "0-1,3-5,7,9-11"},
      {"shared sidecar between shared init containers",
       Pod("p", 3,
           {{"ngu-init-container-1", K::kInit, 0},
            {"ngu-init-restartable-2", K::kSidecar, 0},
            {"ngu-init-container-3", K::kInit, 0},
            {"gu-container-1", K::kApp, 1},
            {"ngu-container-2", K::kApp, 0}}),
       "ngu-init-container-1=2,6,8 ngu-init-restartable-2=2,8 ngu-init-container-3=2,6,8 "
       "gu-container-1*=6 ngu-container-2=2,8",
       "0-1,3-5,7,9-11"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CpuManagerState state = StartedState(policy);
    auto got = policy.AllocatePod(state, c.pod, NumaMask{0});
    REQUIRE(got.ok());
    CHECK(got->allocated);
    CHECK_FALSE(got->existing);
    CHECK(Render(*got) == c.containers);
    CHECK(state.default_cpu_set.ToString() == c.default_after);
    CHECK(state.pod_assignments.at(c.pod.pod_uid) == got->pod_cpus);
    CHECK(got->pod_cpus == Cpus("0-11") - Cpus(c.default_after));
    for (const PodContainerCpus& pc : got->containers) {
      CHECK(state.assignments.at(c.pod.pod_uid).at(pc.name) == pc.cpus);
    }
    // The pod-level set counts in validateState.
    CpuManagerState restored = state;
    CHECK(policy.Start(restored).ok());
  }

  SECTION("an empty pod shared pool is refused and changes nothing") {
    CpuManagerState state = StartedState(policy);
    const CpuManagerState before = state;
    auto got = policy.AllocatePod(state,
                                  Pod("p", 2,
                                      {{"gu-container-1", K::kApp, 1},
                                       {"gu-container-2", K::kApp, 1},
                                       {"ngu-container", K::kApp, 0}}),
                                  NumaMask{0});
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(IsEmptyPodSharedPoolError(got.status()));
    CHECK_FALSE(IsSmtAlignmentError(got.status()));
    CHECK(std::string(got.status().message()) ==
          "pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no "
          "cpus for shared containers");
    CHECK(state == before);
  }
  SECTION("a pod without an integral pod-level budget gets nothing") {
    CpuManagerState state = StartedState(policy);
    const CpuManagerState before = state;
    auto got =
        policy.AllocatePod(state, Pod("p", 0, {{"gu-container-1", K::kApp, 1}}), NumaMask{0});
    REQUIRE(got.ok());
    CHECK_FALSE(got->allocated);
    CHECK(got->containers.empty());
    CHECK(state == before);
  }
}

// The KEP's scope-pod examples, checked by shape: slice sizes, disjointness, shared pool.
TEST_CASE("cpu_manager: AllocatePod partitions the KEP examples", "[cpu_manager][pod_level]") {
  const CpuStaticPolicy policy =
      MakePolicy(KubeletTopology("topoDualSocketMultiNumaPerSocketHT"), 2);
  auto admit = [&](CpuManagerState& state, int budget, std::vector<int> requests) {
    std::vector<ContainerCpuDemand> containers;
    for (size_t i = 0; i < requests.size(); ++i) {
      containers.push_back({"container-" + std::to_string(i + 1), K::kApp, requests[i]});
    }
    return policy.AllocatePod(state, Pod("kep", budget, std::move(containers)), NumaMask{1});
  };

  SECTION("budget 4, three containers without requests share the whole set") {
    CpuManagerState state = StartedState(policy);
    auto got = admit(state, 4, {0, 0, 0});
    REQUIRE(got.ok());
    CHECK(got->pod_cpus.Size() == 4);
    CHECK(got->pod_cpus.IsSubsetOf(policy.layout().CpusInNumaNode(1)));
    CHECK(got->pod_shared_pool == got->pod_cpus);
    for (const PodContainerCpus& c : got->containers) {
      CHECK_FALSE(c.exclusive);
      CHECK(c.cpus == got->pod_cpus);
    }
  }
  SECTION("budget 4, container-1 takes 2 exclusively, the others share the other 2") {
    CpuManagerState state = StartedState(policy);
    auto got = admit(state, 4, {2, 0, 0});
    REQUIRE(got.ok());
    const auto& c = got->containers;
    CHECK(c[0].exclusive);
    CHECK(c[0].cpus.Size() == 2);
    CHECK(got->pod_shared_pool == got->pod_cpus - c[0].cpus);
    CHECK(got->pod_shared_pool.Size() == 2);
    CHECK((c[1].cpus == got->pod_shared_pool && c[2].cpus == got->pod_shared_pool));
    CHECK_FALSE(c[1].exclusive);
  }
  SECTION("budget 5, 3 + 2 exclusive and a shared container is rejected") {
    CpuManagerState state = StartedState(policy);
    const CpuManagerState before = state;
    auto got = admit(state, 5, {3, 2, 0});
    REQUIRE_FALSE(got.ok());
    CHECK(IsEmptyPodSharedPoolError(got.status()));
    CHECK(std::string(got.status().message()) ==
          "pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no "
          "cpus for shared containers");
    CHECK(state == before);
  }
  SECTION("budget 5, 3/1/1 exclusive slices cover the set") {
    CpuManagerState state = StartedState(policy);
    auto got = admit(state, 5, {3, 1, 1});
    REQUIRE(got.ok());
    const auto& c = got->containers;
    CHECK(c[0].cpus.Size() == 3);
    CHECK(c[1].cpus.Size() == 1);
    CHECK(c[2].cpus.Size() == 1);
    CHECK((c[0].cpus | c[1].cpus | c[2].cpus) == got->pod_cpus);
    CHECK(got->pod_shared_pool.IsEmpty());
    for (const PodContainerCpus& x : c) CHECK(x.exclusive);
  }
  SECTION("budget 5, 3 exclusive and two containers sharing the other 2") {
    CpuManagerState state = StartedState(policy);
    auto got = admit(state, 5, {3, 0, 0});
    REQUIRE(got.ok());
    const auto& c = got->containers;
    CHECK(c[0].cpus.Size() == 3);
    CHECK(c[1].cpus.Size() == 2);
    CHECK_FALSE(c[1].cpus.Intersects(c[0].cpus));
    CHECK(c[2].cpus == c[1].cpus);
  }
  SECTION("budget 5, nobody exclusive: all share the 5") {
    CpuManagerState state = StartedState(policy);
    auto got = admit(state, 5, {0, 0, 0});
    REQUIRE(got.ok());
    for (const PodContainerCpus& x : got->containers) CHECK(x.cpus.Size() == 5);
  }
}

TEST_CASE("cpu_manager: AllocatePod init containers and sidecars", "[cpu_manager][pod_level]") {
  const CpuStaticPolicy policy = MakePolicy(KubeletTopology("topoDualSocketHT"), 1);
  CpuManagerState state = StartedState(policy);
  auto got = policy.AllocatePod(state,
                                Pod("p", 6,
                                    {{"init-a", K::kInit, 4},
                                     {"side-a", K::kSidecar, 2},
                                     {"init-b", K::kInit, 4},
                                     {"init-c", K::kInit, 0},
                                     {"side-b", K::kSidecar, 0},
                                     {"side-c", K::kSidecar, 1},
                                     {"app-a", K::kApp, 2},
                                     {"app-b", K::kApp, 0}}),
                                std::nullopt);
  REQUIRE(got.ok());
  const auto& c = got->containers;
  const CpuSet pod = got->pod_cpus;
  REQUIRE(pod.Size() == 6);
  // A regular init container with CPUs takes them from the whole set; later containers reuse
  // them.
  CHECK(c[0].exclusive);
  CHECK(c[0].cpus.Size() == 4);
  // A sidecar's slice is held for the pod's life: later init containers run beside it.
  CHECK(c[1].exclusive);
  CHECK(c[1].cpus.Size() == 2);
  CHECK(c[2].cpus.Size() == 4);
  CHECK_FALSE(c[2].cpus.Intersects(c[1].cpus));
  CHECK_FALSE(c[3].exclusive);
  CHECK(c[3].cpus == pod - c[1].cpus);
  // side-c comes after init-c: it does not shrink init-c's set, but it shrinks the pool.
  CHECK(c[5].exclusive);
  CHECK(c[5].cpus.Size() == 1);
  CHECK_FALSE(c[5].cpus.Intersects(c[1].cpus));
  CHECK(c[6].cpus.Size() == 2);
  CHECK_FALSE(c[6].cpus.Intersects(c[1].cpus | c[5].cpus));
  CHECK(got->pod_shared_pool == pod - c[1].cpus - c[5].cpus - c[6].cpus);
  CHECK(got->pod_shared_pool.Size() == 1);
  CHECK_FALSE(c[4].exclusive);
  CHECK(c[4].cpus == got->pod_shared_pool);
  CHECK(c[7].cpus == got->pod_shared_pool);
}

TEST_CASE("cpu_manager: AllocatePod reports each validation text", "[cpu_manager][pod_level]") {
  const CpuStaticPolicy policy = MakePolicy(KubeletTopology("topoSingleSocketHT"), 0);
  struct Case {
    PodCpuRequest pod;
    std::string error;
  };
  const std::vector<Case> cases = {
      {Pod("p", 4, {{"s", K::kSidecar, 2}, {"i", K::kInit, 3}, {"a", K::kApp, 1}}),
       "pod rejected, largest exclusive init container requests 3 cpus, but only 2 available"},
      {Pod("p", 2, {{"s", K::kSidecar, 2}, {"i", K::kInit, 0}}),
       "pod rejected, pod has shared init containers but no cpus available for them"},
      {Pod("p", 2, {{"s", K::kSidecar, 2}, {"t", K::kSidecar, 0}}),
       "pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no "
       "cpus for shared containers"},
      {Pod("p", 4, {{"a", K::kApp, 3}, {"b", K::kApp, 2}, {"c", K::kApp, 0}}),
       "pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no "
       "cpus for shared containers"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    CpuManagerState state = StartedState(policy);
    const CpuManagerState before = state;
    auto got = policy.AllocatePod(state, c.pod, std::nullopt);
    REQUIRE_FALSE(got.ok());
    CHECK(std::string(got.status().message()) == c.error);
    CHECK(got.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(IsEmptyPodSharedPoolError(got.status()));
    CHECK(state == before);
    // The same pod gets no hint at pod scope.
    const ProviderHints hints = policy.PodHints(state, c.pod);
    const std::vector<TopologyHint>* list = hints.resources.at("cpu").list();
    REQUIRE(list != nullptr);
    CHECK(list->empty());
  }
  // The kubelet's valid TestValidatePodScopeResources shapes pass.
  for (const PodCpuRequest& ok :
       {Pod("p", 2, {{"i", K::kInit, 1}, {"s", K::kSidecar, 1}, {"c", K::kApp, 0}}),
        Pod("p", 2, {{"i", K::kInit, 2}, {"c", K::kApp, 2}}),
        Pod("p", 2, {{"i", K::kInit, 0}, {"s", K::kSidecar, 2}}),
        Pod("p", 2, {{"s", K::kSidecar, 1}, {"c", K::kApp, 1}})}) {
    CpuManagerState state = StartedState(policy);
    CHECK(policy.AllocatePod(state, ok, std::nullopt).ok());
  }
}

TEST_CASE("cpu_manager: AllocatePod refuses bad input and leaves the state",
          "[cpu_manager][pod_level]") {
  const Topology topo = KubeletTopology("topoDualSocketHT");
  const CpuStaticPolicy policy = MakePolicy(topo, 1);
  CpuManagerState state = StartedState(policy);
  const CpuManagerState before = state;
  auto code = [&](const CpuStaticPolicy& p, const PodCpuRequest& pod) {
    auto got = p.AllocatePod(state, pod, std::nullopt);
    CHECK(state == before);
    return got.ok() ? absl::StatusCode::kOk : got.status().code();
  };
  CHECK(code(policy, Pod("p", -1, {{"a", K::kApp, 0}})) == absl::StatusCode::kInvalidArgument);
  CHECK(code(policy, Pod("p", 2, {})) == absl::StatusCode::kInvalidArgument);
  CHECK(code(policy, Pod("p", 2, {{"a", K::kApp, -1}})) == absl::StatusCode::kInvalidArgument);
  CHECK(code(policy, Pod("p", 2, {{"a", K::kApp, 0}, {"a", K::kInit, 0}})) ==
        absl::StatusCode::kInvalidArgument);
  PodCpuRequest container_level = Pod("p", 2, {{"a", K::kApp, 2}});
  container_level.pod_level_resources = false;
  CHECK(code(policy, container_level) == absl::StatusCode::kInvalidArgument);
  CHECK(code(MakePolicy(topo, 1, {}, /*gate=*/false), Pod("p", 2, {{"a", K::kApp, 0}})) ==
        absl::StatusCode::kFailedPrecondition);

  SECTION("a pod that already holds container-level CPUs") {
    const ContainerCpuRequest req{.pod_uid = "p",
                                  .container_name = "a",
                                  .kind = K::kApp,
                                  .exclusive_cpus = 2,
                                  .affinity = std::nullopt};
    REQUIRE(policy.Allocate(state, req).ok());
    const CpuManagerState held = state;
    auto got = policy.AllocatePod(state, Pod("p", 4, {{"a", K::kApp, 2}, {"b", K::kApp, 0}}),
                                  std::nullopt);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(state == held);
  }
  SECTION("a budget larger than the free pool") {
    auto got = policy.AllocatePod(state, Pod("p", 12, {{"a", K::kApp, 0}}), std::nullopt);
    REQUIRE_FALSE(got.ok());
    CHECK(std::string(got.status().message()) ==
          "not enough cpus available to satisfy request: requested=12, available=11");
    CHECK(state == before);
  }
  SECTION("exclusive slices that do not fit the pod's set fail after the set was chosen") {
    auto got = policy.AllocatePod(state, Pod("p", 2, {{"a", K::kApp, 2}, {"b", K::kApp, 1}}),
                                  std::nullopt);
    REQUIRE_FALSE(got.ok());
    CHECK(std::string(got.status().message()) ==
          "not enough cpus available to satisfy request: requested=1, available=0");
    CHECK(state == before);
  }
}

TEST_CASE("cpu_manager: AllocatePod aligns the pod budget to whole cores",
          "[cpu_manager][pod_level][smt]") {
  const Topology topo = KubeletTopology("topoDualSocketHT");
  const CpuStaticPolicy policy = MakePolicy(topo, 1, {{kFullPcpusOnlyOption, "true"}});
  CpuManagerState state = StartedState(policy);
  const CpuManagerState before = state;

  auto odd = policy.AllocatePod(state, Pod("p", 3, {{"a", K::kApp, 0}}), std::nullopt);
  REQUIRE_FALSE(odd.ok());
  CHECK(IsSmtAlignmentError(odd.status()));
  CHECK(std::string(odd.status().message()) == SmtAlignmentErrorText(3, 2));
  CHECK(state == before);

  auto too_many = policy.AllocatePod(state, Pod("p", 12, {{"a", K::kApp, 0}}), std::nullopt);
  REQUIRE_FALSE(too_many.ok());
  CHECK(std::string(too_many.status().message()) ==
        "SMT Alignment Error: not enough free physical CPUs: available physical CPUs = 10, "
        "requested CPUs = 12, CPUs per core = 2");
  CHECK(state == before);

  // Only the total is checked: a one-CPU slice inside a two-core set is allowed.
  auto got =
      policy.AllocatePod(state, Pod("p", 4, {{"a", K::kApp, 1}, {"b", K::kApp, 0}}), NumaMask{1});
  REQUIRE(got.ok());
  CHECK(policy.layout().CoreSiblingsOf(got->pod_cpus) == got->pod_cpus);
  CHECK(got->pod_cpus.IsSubsetOf(policy.layout().CpusInNumaNode(1)));
  CHECK(got->containers[0].cpus.Size() == 1);
  CHECK(got->pod_shared_pool.Size() == 3);
}

TEST_CASE("cpu_manager: a pod-level pod's CPUs go back with its last container",
          "[cpu_manager][pod_level]") {
  const CpuStaticPolicy policy = MakePolicy(KubeletTopology("topoDualSocketHT"), 1);
  CpuManagerState state = StartedState(policy);
  const CpuSet base = state.default_cpu_set;
  const PodCpuRequest pod =
      Pod("p", 4, {{"init", K::kInit, 0}, {"a", K::kApp, 2}, {"b", K::kApp, 0}});
  auto got = policy.AllocatePod(state, pod, std::nullopt);
  REQUIRE(got.ok());
  const CpuSet after_admit = state.default_cpu_set;
  CHECK(after_admit == base - got->pod_cpus);

  SECTION("a second AllocatePod returns the recorded partition") {
    const CpuManagerState before = state;
    auto again = policy.AllocatePod(state, pod, std::nullopt);
    REQUIRE(again.ok());
    CHECK(again->existing);
    CHECK(again->pod_cpus == got->pod_cpus);
    CHECK(again->pod_shared_pool == got->pod_shared_pool);
    CHECK(again->containers == got->containers);
    CHECK(state == before);
  }
  SECTION("exclusive slices are not returned to the pod shared pool or the node") {
    policy.RemoveContainer(state, "p", "a");
    CHECK(state.default_cpu_set == after_admit);
    CHECK(state.Find("p", "a") == nullptr);
    CHECK(state.pod_assignments.at("p") == got->pod_cpus);
    CHECK(*state.Find("p", "b") == got->pod_shared_pool);
    policy.RemoveContainer(state, "p", "init");
    CHECK(state.default_cpu_set == after_admit);
    CpuManagerState restored = state;
    CHECK(policy.Start(restored).ok());
    policy.RemoveContainer(state, "p", "b");
    CHECK(state.default_cpu_set == base);
    CHECK(state.pod_assignments.empty());
    CHECK(state.assignments.empty());
  }
  SECTION("Start needs the gate to count pod-level sets") {
    // Only the pod set covers CPUs no container holds once "a" and "init" are gone.
    policy.RemoveContainer(state, "p", "a");
    policy.RemoveContainer(state, "p", "init");
    CpuManagerState restored = state;
    const CpuStaticPolicy gate_off =
        MakePolicy(KubeletTopology("topoDualSocketHT"), 1, {}, /*gate=*/false);
    const absl::Status status = gate_off.Start(restored);
    CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(std::string(status.message()).find("doesn't match with CPUs in state") !=
          std::string::npos);
  }
}

TEST_CASE("cpu_manager: pod-scope hints for a pod-level budget", "[cpu_manager][pod_level]") {
  const CpuStaticPolicy policy =
      MakePolicy(KubeletTopology("topoDualSocketMultiNumaPerSocketHT"), 2);
  CpuManagerState state = StartedState(policy);
  const PodCpuRequest pod = Pod("p", 12, {{"a", K::kApp, 4}, {"b", K::kApp, 0}});
  const ProviderHints hints = policy.PodHints(state, pod);
  const CapacityHints* family = hints.resources.at("cpu").capacity();
  REQUIRE(family != nullptr);
  auto expanded = ExpandHints(*family);
  REQUIRE(expanded.ok());
  // Hints come from the pod budget, not from the containers' sum.
  CHECK(*expanded == policy.CpuHintList(policy.AvailableCpus(state), CpuSet(), 12));

  // After admission the kubelet's readmission check compares each container's set with its
  // own exclusive count, so a pod with a shared container gets no hint.
  REQUIRE(policy.AllocatePod(state, pod, NumaMask{0}).ok());
  const ProviderHints after = policy.PodHints(state, pod);
  const std::vector<TopologyHint>* none = after.resources.at("cpu").list();
  REQUIRE(none != nullptr);
  CHECK(none->empty());
  // A pod of exclusive slices covering its budget gets hints from its own set.
  const PodCpuRequest full = Pod("q", 4, {{"a", K::kApp, 2}, {"b", K::kApp, 2}});
  auto admitted = policy.AllocatePod(state, full, NumaMask{2});
  REQUIRE(admitted.ok());
  const ProviderHints own_hints = policy.PodHints(state, full);
  const CapacityHints* own = own_hints.resources.at("cpu").capacity();
  REQUIRE(own != nullptr);
  CHECK(*ExpandHints(*own) == policy.CpuHintList(admitted->pod_cpus, CpuSet(), 4));
}

TEST_CASE("cpu_manager: a pod-level state survives a V4 checkpoint and Start",
          "[cpu_manager][pod_level][checkpoint]") {
  const CpuStaticPolicy policy = MakePolicy(KubeletTopology("topoDualSocketHT"), 1);
  CpuManagerState state = StartedState(policy);
  REQUIRE(policy
              .AllocatePod(state, Pod("p", 4, {{"s", K::kSidecar, 1}, {"a", K::kApp, 0}}),
                           NumaMask{1})
              .ok());
  auto bytes = EncodeCpuCheckpoint(CpuCheckpointFromState(state, kPolicyStatic));
  REQUIRE(bytes.ok());
  CHECK(bytes->find("\"podEntries\"") != std::string::npos);
  auto decoded = DecodeCpuCheckpoint(*bytes);
  REQUIRE(decoded.ok());
  auto restored = CpuStateFromCheckpoint(decoded->checkpoint, kPolicyStatic);
  REQUIRE(restored.ok());
  CHECK(restored->pod_assignments == state.pod_assignments);
  CHECK(restored->assignments == state.assignments);
  CHECK(policy.Start(*restored).ok());
  policy.RemoveContainer(*restored, "p", "s");
  policy.RemoveContainer(*restored, "p", "a");
  CHECK(restored->default_cpu_set == Cpus("0-11"));
}

}  // namespace
}  // namespace podalloc
