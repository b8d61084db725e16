#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"

#include "podalloc/memory_manager.h"
#include "test_machines.h"

namespace podalloc {
namespace {

using namespace podalloc::testing;

std::vector<MemoryHint> HintsOf(const absl::StatusOr<MemoryHints>& h, MemoryResource r) {
  REQUIRE(h.ok());
  REQUIRE(!h->is_nil);
  for (const MemoryResourceHints& rh : h->resources) {
    if (rh.resource == r) return rh.hints;
  }
  FAIL("no hints for " << r.Name());
  return {};
}

TEST_CASE("memory_manager: hints list every fitting mask, single nodes first",
          "[memory_manager][hints]") {
  const MemoryStaticPolicy policy =
      UniformPolicy(3, 4 * kGi, 2 * kGi, 1);  // 1Gi memory, 1Gi hugepages
  const MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("c", Amounts(kGi + kGi / 2, kGi))});
  auto hints = ContainerTopologyHints(policy, state, pod, "c");
  const std::vector<MemoryHint> expected = {{NumaMask{0, 1}, true},  {NumaMask{0, 2}, true},
                                            {NumaMask{1, 2}, true},  {NumaMask{0, 1, 2}, false}};
  CHECK(HintsOf(hints, kMemory) == expected);
  CHECK(HintsOf(hints, kHuge1G) == expected);
  CHECK(hints->resources.size() == 2);
}

TEST_CASE("memory_manager: minAffinitySize counts masks the group rule then rejects",
          "[memory_manager][hints]") {
  // Nodes 0 and 1 form a group; a request one node could hold gets only the group as a
  // hint, and it is not preferred, because single nodes lowered minAffinitySize first.
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, 2 * kGi);
  MemoryManagerState state = FreshState(policy);
  REQUIRE(AllocateMemory(policy, GuaranteedPod("a", {App("c", Amounts(3 * kGi))}), "c",
                         Affinity({0, 1}), state)
              .ok());
  auto hints = ContainerTopologyHints(policy, state,
                                      GuaranteedPod("b", {App("c", Amounts(kGi / 2))}), "c");
  CHECK(HintsOf(hints, kMemory) == std::vector<MemoryHint>{{NumaMask{0, 1}, false}});
}

TEST_CASE("memory_manager: minAffinitySize counts masks without enough free memory",
          "[memory_manager][hints]") {
  const MemoryStaticPolicy policy = UniformPolicy(3, 4 * kGi, 2 * kGi);
  MemoryManagerState state = FreshState(policy);
  for (int n = 0; n < 2; ++n) {
    REQUIRE(AllocateMemory(policy, GuaranteedPod(absl::StrCat("a", n), {App("c", Amounts(kGi))}),
                           "c", Affinity(NumaMask::Single(n)), state)
                .ok());
  }
  // 1.5Gi would fit any one node's allocatable memory, but only node 2 has it free.
  auto hints = ContainerTopologyHints(policy, state,
                                      GuaranteedPod("b", {App("c", Amounts(kGi + kGi / 2))}), "c");
  CHECK(HintsOf(hints, kMemory) == std::vector<MemoryHint>{{NumaMask{2}, true}});
  auto wide = ContainerTopologyHints(policy, state,
                                     GuaranteedPod("b", {App("c", Amounts(3 * kGi))}), "c");
  // Two nodes' allocatable memory would do; no allowed mask has it free.
  REQUIRE(wide.ok());
  CHECK(!wide->is_nil);
  CHECK(wide->resources.empty());
}

TEST_CASE("memory_manager: hints for pods the policy does not handle are nil",
          "[memory_manager][hints]") {
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, 2 * kGi);
  const MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("c", Amounts(kGi))});
  pod.guaranteed = false;
  auto h = ContainerTopologyHints(policy, state, pod, "c");
  REQUIRE(h.ok());
  CHECK(h->is_nil);
  CHECK(ContainerTopologyHints(policy, state, pod, "x").status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("memory_manager: recorded blocks come back as preferred hints",
          "[memory_manager][hints]") {
  const MemoryStaticPolicy policy = UniformPolicy(2, 6 * kGi, 2 * kGi, 2);
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("c", Amounts(3 * kGi, kGi))});
  REQUIRE(AllocateMemory(policy, pod, "c", Affinity({0, 1}, false), state).ok());
  auto h = ContainerTopologyHints(policy, state, pod, "c");
  CHECK(HintsOf(h, kMemory) == std::vector<MemoryHint>{{NumaMask{0, 1}, true}});
  CHECK(HintsOf(h, kHuge1G) == std::vector<MemoryHint>{{NumaMask{0, 1}, true}});

  SECTION("a request that no longer matches gives no preference") {
    pod.containers[0].requests = Amounts(3 * kGi);
    auto changed = ContainerTopologyHints(policy, state, pod, "c");
    REQUIRE(changed.ok());
    CHECK(changed->is_nil);
    pod.containers[0].requests = Amounts(2 * kGi, kGi);
    CHECK(ContainerTopologyHints(policy, state, pod, "c")->is_nil);
  }
  SECTION("pod hints regenerate from any container's blocks") {
    auto ph = PodTopologyHints(policy, state, pod);
    CHECK(HintsOf(ph, kMemory) == std::vector<MemoryHint>{{NumaMask{0, 1}, true}});
  }
}

TEST_CASE("memory_manager: pod requests fold init containers and sidecars",
          "[memory_manager][hints]") {
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, 2 * kGi);
  // init 5, sidecars 1 and 2, init 5, sidecar 3, app 1 -> max(1 + 6, 5, 1 + 2 + 5) = 8
  PodMemorySpec pod = GuaranteedPod(
      "p", {App("a", Amounts(1))},
      {Init("i1", Amounts(5)), Sidecar("s1", Amounts(1)), Sidecar("s2", Amounts(2)),
       Init("i2", Amounts(5)), Sidecar("s3", Amounts(3))});
  CHECK(PodRequestedMemory(policy, pod) == MemoryAmounts{MemoryAmount{kMemory, 8}});
  // Resources only init containers ask for are not part of the pod's request.
  pod.init_containers[0].requests = Amounts(5, kGi);
  CHECK(PodRequestedMemory(policy, pod) == MemoryAmounts{MemoryAmount{kMemory, 8}});
  // With pod-level resources managed, the pod-level requests are the request.
  MemoryManagerGates gates;
  gates.pod_level_resource_managers = true;
  const MemoryStaticPolicy pod_level = UniformPolicy(2, 4 * kGi, 2 * kGi, 0, gates);
  pod.pod_level_resources_set = true;
  pod.pod_level_requests = {MemoryAmount{kMemory, 100}, MemoryAmount{kHuge1G, 0}};
  CHECK(PodRequestedMemory(pod_level, pod) == MemoryAmounts{MemoryAmount{kMemory, 100}});
}

TEST_CASE("memory_manager: pod hints cover the pod's whole request", "[memory_manager][hints]") {
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, 2 * kGi);
  const MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("a", Amounts(kGi)), App("b", Amounts(kGi + 1))});
  CHECK(HintsOf(PodTopologyHints(policy, state, pod), kMemory) ==
        std::vector<MemoryHint>{{NumaMask{0, 1}, true}});
  PodMemorySpec nothing = GuaranteedPod("q", {App("a", {})});
  CHECK(PodTopologyHints(policy, state, nothing)->is_nil);
}

TEST_CASE("memory_manager: pod-level budgets leave room for shared containers",
          "[memory_manager][hints]") {
  MemoryManagerGates gates;
  gates.pod_level_resource_managers = true;
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, 2 * kGi, 0, gates);
  PodMemorySpec pod = GuaranteedPod("p", {App("a", Amounts(kGi)), App("shared", {})});
  pod.pod_level_resources_set = true;
  pod.pod_level_requests = Amounts(kGi);
  CHECK(ValidatePodScopeMemory(policy, pod).message() ==
        "pod rejected, sum of exclusive container memory requests equals pod budget, leaving no "
        "memory for shared containers");
  // The topology manager is told no alignment is possible.
  auto h = PodTopologyHints(policy, FreshState(policy), pod);
  REQUIRE(h.ok());
  CHECK(h->resources == std::vector<MemoryResourceHints>{MemoryResourceHints{kMemory, {}}});

  pod.pod_level_requests = Amounts(2 * kGi);
  CHECK(ValidatePodScopeMemory(policy, pod).ok());
  pod.init_containers = {Init("big", Amounts(3 * kGi))};
  CHECK(ValidatePodScopeMemory(policy, pod).message() ==
        "pod rejected, largest exclusive init container requests 3221225472 of memory, but only "
        "2147483648 available");
  pod.init_containers = {Sidecar("s", Amounts(2 * kGi)), Init("shared-init", {})};
  CHECK(ValidatePodScopeMemory(policy, pod).message() ==
        "pod rejected, pod has shared init containers but no memory available for them");
}

TEST_CASE("memory_manager: hints beyond 20 NUMA nodes use the hint space",
          "[memory_manager][hints]") {
  const MemoryStaticPolicy policy = UniformPolicy(64, 4 * kGi, 2 * kGi);
  const MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("c", Amounts(5 * kGi))});
  CHECK(ContainerTopologyHints(policy, state, pod, "c").status().code() ==
        absl::StatusCode::kResourceExhausted);
  MemoryHintSpace space(state.machine, Amounts(5 * kGi), nullptr);
  CHECK(space.MinAffinitySize() == 3);
  CHECK(space.NarrowestContaining(NumaMask()) == MemoryHint{NumaMask{0, 1, 2}, true});
  CHECK(space.NarrowestContaining(NumaMask{63}) == MemoryHint{NumaMask{0, 1, 63}, true});
  CHECK(space.Find(NumaMask{5, 9, 40}) == MemoryHint{NumaMask{5, 9, 40}, true});
  CHECK(space.Find(NumaMask{5, 9, 40, 41}) == MemoryHint{NumaMask{5, 9, 40, 41}, false});
  CHECK(!space.Find(NumaMask{5, 9}).has_value());
}

}  // namespace
}  // namespace podalloc

namespace podalloc {
namespace {

using namespace podalloc::testing;

TEST_CASE("memory_manager: hints in the topology manager's compact form",
          "[memory_manager][hints]") {
  const MemoryStaticPolicy policy = UniformPolicy(64, 6 * kGi, 2 * kGi, 2);
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("c", Amounts(5 * kGi, kGi))});
  auto provided = ContainerProviderHints(policy, state, pod, "c");
  REQUIRE(provided.ok());
  REQUIRE(provided->resources.size() == 2);
  const CapacityHints* family = provided->resources.at("memory").capacity();
  REQUIRE(family != nullptr);
  CHECK(family->nodes == NumaMask::FirstN(64));
  CHECK(family->preferred_size == 3);
  CHECK(*provided->resources.at("hugepages-1Gi").capacity() == *family);

  REQUIRE(AllocateMemory(policy, pod, "c", TopologyHint::Any(false), state).ok());
  auto again = ContainerProviderHints(policy, state, pod, "c");
  REQUIRE(again.ok());
  const std::vector<TopologyHint>* recorded = again->resources.at("memory").list();
  REQUIRE(recorded != nullptr);
  CHECK(*recorded == std::vector<TopologyHint>{TopologyHint::Of(NumaMask{0, 1, 2}, true)});

  pod.guaranteed = false;
  CHECK(ContainerProviderHints(policy, state, pod, "c")->resources.empty());
  PodMemorySpec huge = GuaranteedPod("q", {App("c", Amounts(1000 * kGi))});
  CHECK(ContainerProviderHints(policy, state, huge, "c")->resources.empty());
}

}  // namespace
}  // namespace podalloc
