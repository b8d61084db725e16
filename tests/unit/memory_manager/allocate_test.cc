#include <catch2/catch.hpp>

#include "podalloc/memory_manager.h"
#include "test_machines.h"

namespace podalloc {
namespace {

using namespace podalloc::testing;

// 4 nodes, 4Gi each with 2Gi allocatable memory and two 1Gi hugepages.
MemoryStaticPolicy FourNodes() { return UniformPolicy(4, 6 * kGi, 2 * kGi, 2); }

TEST_CASE("memory_manager: allocating on one node charges it and records blocks",
          "[memory_manager][allocate]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("pod1", {App("c", Amounts(kGi, kGi))});
  auto d = AllocateMemory(policy, pod, "c", Affinity({1}), state);
  REQUIRE(d.ok());
  CHECK(d->outcome == MemoryDecision::Outcome::kAllocated);
  CHECK(d->affinity == NumaMask{1});
  CHECK(!d->extended);
  CHECK(d->blocks == std::vector<MemoryBlock>{{NumaMask{1}, kMemory, kGi}, {NumaMask{1}, kHuge1G, kGi}});
  CHECK(*FindMemoryBlocks(state.assignments, "pod1", "c") == d->blocks);
  CHECK(Table(state, 1, kMemory) == MemoryTable{6 * kGi, 2 * kGi, 2 * kGi, kGi, kGi});
  CHECK(Table(state, 1, kHuge1G) == MemoryTable{2 * kGi, 0, 2 * kGi, kGi, kGi});
  // Memory and hugepages are two assignments.
  CHECK(state.machine.Node(1)->number_of_assignments == 2);
  CHECK(state.machine.Node(1)->cells == NumaMask{1});
  CHECK(state.machine.Node(0)->number_of_assignments == 0);
}

TEST_CASE("memory_manager: a nil affinity uses the narrowest memory hint",
          "[memory_manager][allocate]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  // Node 0 is half used, so a 2Gi request fits on node 1 first.
  REQUIRE(AllocateMemory(policy, GuaranteedPod("a", {App("c", Amounts(kGi))}), "c", Affinity({0}),
                         state)
              .ok());
  auto d = AllocateMemory(policy, GuaranteedPod("b", {App("c", Amounts(2 * kGi))}), "c",
                          NilAffinity(true), state);
  REQUIRE(d.ok());
  CHECK(d->used_default);
  CHECK(d->affinity == NumaMask{1});
  CHECK(d->preferred);

  SECTION("a wider default when one node is not enough") {
    auto e = AllocateMemory(policy, GuaranteedPod("c", {App("c", Amounts(3 * kGi))}), "c",
                            NilAffinity(true), state);
    REQUIRE(e.ok());
    CHECK(e->affinity == NumaMask{2, 3});
    CHECK(e->preferred);
  }
  SECTION("no memory anywhere") {
    const MemoryManagerState before = state;
    auto e = AllocateMemory(policy, GuaranteedPod("c", {App("c", Amounts(7 * kGi))}), "c",
                            NilAffinity(), state);
    CHECK(e.status().message() ==
          "[memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough "
          "memory is available");
    CHECK(e.status().code() == absl::StatusCode::kResourceExhausted);
    CHECK(MemoryShortfall(e.status()) ==
          "memory: NUMA nodes 0,1,2,3 have 5368709120 bytes free, 7516192768 requested, "
          "2147483648 short");
    CHECK(state == before);
  }
}

TEST_CASE("memory_manager: an affinity too small is extended to a hint containing it",
          "[memory_manager][allocate]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  auto d = AllocateMemory(policy, GuaranteedPod("p", {App("c", Amounts(3 * kGi))}), "c",
                          Affinity({1}, false), state);
  REQUIRE(d.ok());
  CHECK(d->extended);
  CHECK(d->affinity == NumaMask{0, 1});
  // Charged in mask order: node 0 is filled first, the rest spills to node 1.
  CHECK(Table(state, 0, kMemory).reserved == 2 * kGi);
  CHECK(Table(state, 1, kMemory).reserved == kGi);
  CHECK(state.machine.Node(0)->cells == NumaMask{0, 1});
  CHECK(state.machine.Node(1)->cells == NumaMask{0, 1});
  CHECK(state.machine.Node(0)->number_of_assignments == 1);
  CHECK(state.machine.Node(1)->number_of_assignments == 1);

  SECTION("nothing to extend to names the shortfall") {
    // Nodes 0 and 1 are a group now; node 2 alone cannot grow into one with them.
    auto e = AllocateMemory(policy, GuaranteedPod("q", {App("c", Amounts(5 * kGi, kGi))}), "c",
                            Affinity({0, 2}, false), state);
    CHECK(e.status().message() ==
          "[memorymanager] failed to find NUMA nodes to extend the current topology hint");
    CHECK(MemoryShortfall(e.status()) ==
          "memory: NUMA nodes 0,2 have 2147483648 bytes free, 5368709120 requested, "
          "3221225472 short");
  }
}

// Node 0 could hold 3Gi alone (4Gi allocatable) but a single-NUMA container already uses
// 3Gi of it; nodes 1 and 2 have 2Gi allocatable each. A 3Gi request then has minAffinitySize
// 1, and its only hint, {1,2}, is not preferred.
MemoryStaticPolicy UnevenNodes() {
  SystemReservedMemory reserved;
  for (int i = 0; i < 3; ++i) reserved[i] = {MemoryAmount{kMemory, 2 * kGi}};
  auto policy =
      NewMemoryStaticPolicy({Node(0, 6 * kGi), Node(1, 4 * kGi), Node(2, 4 * kGi)}, reserved);
  REQUIRE(policy.ok());
  return *policy;
}

TEST_CASE("memory_manager: preferred affinities stay preferred",
          "[memory_manager][allocate]") {
  const MemoryStaticPolicy policy = UnevenNodes();
  MemoryManagerState state = FreshState(policy);
  REQUIRE(AllocateMemory(policy, GuaranteedPod("a", {App("c", Amounts(3 * kGi))}), "c",
                         Affinity({0}), state)
              .ok());
  const PodMemorySpec pod = GuaranteedPod("b", {App("c", Amounts(3 * kGi))});
  const MemoryManagerState before = state;
  auto nil_preferred = AllocateMemory(policy, pod, "c", NilAffinity(true), state);
  CHECK(nil_preferred.status().message() ==
        "[memorymanager] failed to find the default preferred hint");
  auto extended_preferred = AllocateMemory(policy, pod, "c", Affinity({1}, true), state);
  CHECK(extended_preferred.status().message() ==
        "[memorymanager] failed to find the extended preferred hint");
  CHECK(state == before);
  auto nil = AllocateMemory(policy, pod, "c", NilAffinity(false), state);
  REQUIRE(nil.ok());
  CHECK(nil->affinity == NumaMask{1, 2});
  CHECK(!nil->preferred);
}

TEST_CASE("memory_manager: a node serves single-NUMA allocations or one group",
          "[memory_manager][allocate]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  REQUIRE(AllocateMemory(policy, GuaranteedPod("a", {App("c", Amounts(kGi))}), "c", Affinity({0}),
                         state)
              .ok());
  SECTION("a group over a single-NUMA node is refused") {
    auto e = AllocateMemory(policy, GuaranteedPod("b", {App("c", Amounts(kGi))}), "c",
                            Affinity({0, 1}), state);
    CHECK(e.status().message() == "[memorymanager] preferred hint violates NUMA node allocation");
  }
  SECTION("a group is shared only by allocations across exactly that group") {
    REQUIRE(AllocateMemory(policy, GuaranteedPod("b", {App("c", Amounts(3 * kGi))}), "c",
                           Affinity({2, 3}), state)
                .ok());
    CHECK(AllocateMemory(policy, GuaranteedPod("c", {App("c", Amounts(kGi / 2))}), "c",
                         Affinity({2, 3}), state)
              .ok());
    CHECK(state.machine.Node(2)->number_of_assignments == 2);
    CHECK(!AllocateMemory(policy, GuaranteedPod("d", {App("c", Amounts(kGi / 2))}), "c",
                          Affinity({1, 2}), state)
               .ok());
    // The memory manager's own hints never offer part of the group.
    PodMemorySpec e = GuaranteedPod("e", {App("c", Amounts(kGi / 4))});
    auto hints = ContainerTopologyHints(policy, state, e, "c");
    REQUIRE(hints.ok());
    std::vector<MemoryHint> expected = {{NumaMask{0}, true}, {NumaMask{1}, true},
                                        {NumaMask{2, 3}, false}};
    CHECK(hints->resources.at(0).hints == expected);
  }
}

TEST_CASE("memory_manager: a single-NUMA affinity is never refused by the group rule",
          "[memory_manager][allocate]") {
  // The kubelet checks the group rule for multi-NUMA masks only: a topology manager
  // affinity of one node inside a group (the AND of the group hint with another provider's
  // single-node hint, under best-effort) is placed there, and that node leaves the group.
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  REQUIRE(AllocateMemory(policy, GuaranteedPod("a", {App("c", Amounts(kGi))}), "c",
                         Affinity({0, 1}), state)
              .ok());
  auto d = AllocateMemory(policy, GuaranteedPod("b", {App("c", Amounts(kGi))}), "c",
                          Affinity({1}, false), state);
  REQUIRE(d.ok());
  CHECK(d->affinity == NumaMask{1});
  CHECK(state.machine.Node(1)->cells == NumaMask{1});
  CHECK(state.machine.Node(0)->cells == NumaMask{0, 1});
}

TEST_CASE("memory_manager: calls that do not allocate leave the state alone",
          "[memory_manager][allocate]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("c", Amounts(kGi))});
  REQUIRE(AllocateMemory(policy, pod, "c", Affinity({0}), state).ok());
  const MemoryManagerState after_first = state;

  auto again = AllocateMemory(policy, pod, "c", Affinity({3}), state);
  REQUIRE(again.ok());
  CHECK(again->outcome == MemoryDecision::Outcome::kAlreadyAllocated);
  CHECK(state.machine == after_first.machine);

  pod.guaranteed = false;
  pod.uid = "burstable";
  auto skipped = AllocateMemory(policy, pod, "c", Affinity({1}), state);
  REQUIRE(skipped.ok());
  CHECK(skipped->outcome == MemoryDecision::Outcome::kNotGuaranteed);
  CHECK(state == after_first);

  PodMemorySpec pod_level = GuaranteedPod("pl", {App("c", Amounts(kGi))});
  pod_level.pod_level_resources_set = true;
  auto unsupported = AllocateMemory(policy, pod_level, "c", Affinity({1}), state);
  REQUIRE(unsupported.ok());
  CHECK(unsupported->outcome == MemoryDecision::Outcome::kPodLevelResourcesUnsupported);
  CHECK(state == after_first);

  auto unknown_node = AllocateMemory(policy, GuaranteedPod("q", {App("c", Amounts(kGi))}), "c",
                                     Affinity({7}), state);
  CHECK(unknown_node.status().code() == absl::StatusCode::kInvalidArgument);
  auto unknown_container = AllocateMemory(policy, pod, "nope", Affinity({1}), state);
  CHECK(unknown_container.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(state == after_first);
}

TEST_CASE("memory_manager: later containers reuse regular init containers' memory",
          "[memory_manager][allocate][init]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod(
      "p", {App("a1", Amounts(kGi / 2)), App("a2", Amounts(kGi / 2)), App("a3", Amounts(kGi / 2))},
      {Init("i1", Amounts(kGi)), Init("i2", Amounts(kGi / 2))});
  for (const char* c : {"i1", "i2"})
    REQUIRE(AllocateMemory(policy, pod, c, Affinity({0}), state).ok());
  // i2 fitted in what i1 left: the pod holds 1Gi, i1's block shrank to what i2 did not reuse.
  CHECK(Table(state, 0, kMemory).reserved == kGi);
  CHECK(FindMemoryBlocks(state.assignments, "p", "i1")->at(0).size == kGi / 2);
  CHECK(FindMemoryBlocks(state.assignments, "p", "i2")->at(0).size == kGi / 2);

  auto a1 = AllocateMemory(policy, pod, "a1", Affinity({0}), state);
  REQUIRE(a1.ok());
  CHECK(a1->reused == MemoryAmounts{MemoryAmount{kMemory, kGi / 2}});
  CHECK(Table(state, 0, kMemory).reserved == kGi);
  REQUIRE(AllocateMemory(policy, pod, "a2", Affinity({0}), state).ok());
  CHECK(Table(state, 0, kMemory).reserved == kGi);
  REQUIRE(AllocateMemory(policy, pod, "a3", Affinity({0}), state).ok());
  CHECK(Table(state, 0, kMemory).reserved == kGi + kGi / 2);
  // The blocks always add up to what the machine was charged.
  uint64_t sum = 0;
  for (const auto& [name, blocks] : state.assignments.at("p")) sum += blocks.at(0).size;
  CHECK(sum == Table(state, 0, kMemory).reserved);
  CHECK(FindMemoryBlocks(state.assignments, "p", "i1")->at(0).size == 0);
  CHECK(FindMemoryBlocks(state.assignments, "p", "i2")->at(0).size == 0);
}

TEST_CASE("memory_manager: init memory is reused only on the same NUMA mask and pod",
          "[memory_manager][allocate][init]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("a", Amounts(kGi))}, {Init("i", Amounts(kGi))});
  REQUIRE(AllocateMemory(policy, pod, "i", Affinity({0}), state).ok());
  SECTION("another mask") {
    REQUIRE(AllocateMemory(policy, pod, "a", Affinity({1}), state).ok());
    CHECK(Table(state, 1, kMemory).reserved == kGi);
    CHECK(FindMemoryBlocks(state.assignments, "p", "i")->at(0).size == kGi);
  }
  SECTION("another pod's allocation drops what the first pod could reuse") {
    REQUIRE(AllocateMemory(policy, GuaranteedPod("q", {App("x", Amounts(kGi / 4))}), "x",
                           Affinity({2}), state)
                .ok());
    CHECK(!state.reusable.contains("p"));
    REQUIRE(AllocateMemory(policy, pod, "a", Affinity({0}), state).ok());
    CHECK(Table(state, 0, kMemory).reserved == 2 * kGi);
  }
  SECTION("reusable memory counts in the hints") {
    PodMemorySpec big = GuaranteedPod("p", {App("a", Amounts(2 * kGi))}, {Init("i", Amounts(kGi))});
    auto hints = ContainerTopologyHints(policy, state, big, "a");
    REQUIRE(hints.ok());
    // Node 0 has 1Gi free plus 1Gi the init container leaves behind.
    CHECK(hints->resources.at(0).hints.at(0) == MemoryHint{NumaMask{0}, true});
  }
}

TEST_CASE("memory_manager: sidecar memory is not reusable", "[memory_manager][allocate][init]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("a", Amounts(kGi))}, {Sidecar("s", Amounts(kGi))});
  REQUIRE(AllocateMemory(policy, pod, "s", Affinity({0}), state).ok());
  REQUIRE(AllocateMemory(policy, pod, "a", Affinity({0}), state).ok());
  CHECK(Table(state, 0, kMemory).reserved == 2 * kGi);
  CHECK(FindMemoryBlocks(state.assignments, "p", "s")->at(0).size == kGi);
}

TEST_CASE("memory_manager: a sidecar may reuse an earlier init container's memory",
          "[memory_manager][allocate][init]") {
  const MemoryStaticPolicy policy = FourNodes();
  MemoryManagerState state = FreshState(policy);
  PodMemorySpec pod = GuaranteedPod("p", {App("a", Amounts(kGi))},
                                    {Init("i", Amounts(2 * kGi)), Sidecar("s", Amounts(kGi))});
  for (const char* c : {"i", "s", "a"})
    REQUIRE(AllocateMemory(policy, pod, c, Affinity({0}), state).ok());
  CHECK(Table(state, 0, kMemory).reserved == 2 * kGi);
  CHECK(FindMemoryBlocks(state.assignments, "p", "i")->at(0).size == 0);
  CHECK(FindMemoryBlocks(state.assignments, "p", "s")->at(0).size == kGi);
  CHECK(FindMemoryBlocks(state.assignments, "p", "a")->at(0).size == kGi);
}

TEST_CASE("memory_manager: release gives memory back in mask order",
          "[memory_manager][release]") {
  const MemoryStaticPolicy policy = FourNodes();
  const MemoryManagerState fresh = FreshState(policy);
  MemoryManagerState state = fresh;
  PodMemorySpec a = GuaranteedPod("a", {App("c", Amounts(3 * kGi, 3 * kGi))});
  PodMemorySpec b = GuaranteedPod("b", {App("c", Amounts(kGi / 2))});
  REQUIRE(AllocateMemory(policy, a, "c", Affinity({0, 1}), state).ok());
  REQUIRE(AllocateMemory(policy, b, "c", Affinity({0, 1}), state).ok());
  CHECK(state.machine.Node(0)->number_of_assignments == 3);

  RemoveMemoryContainer(policy, "a", "c", state);
  CHECK(state.machine.Node(0)->number_of_assignments == 1);
  CHECK(state.machine.Node(0)->cells == NumaMask{0, 1});  // b still holds the group
  // Release fills node 0 back first: b's 512Mi now shows on node 1 only.
  CHECK(Table(state, 0, kMemory).reserved == 0);
  CHECK(Table(state, 1, kMemory).reserved == kGi / 2);
  RemoveMemoryContainer(policy, "b", "c", state);
  CHECK(state.machine == fresh.machine);
  CHECK(state.assignments.empty());
  RemoveMemoryContainer(policy, "b", "c", state);  // unknown containers change nothing
  CHECK(state.machine == fresh.machine);
}

TEST_CASE("memory_manager: pod-level memory is released with the pod's last container",
          "[memory_manager][release]") {
  MemoryManagerGates gates;
  gates.pod_level_resource_managers = true;
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, kGi, 0, gates);
  MemoryManagerState state = FreshState(policy);
  const MemoryMachineState fresh = state.machine;
  state.pod_assignments["p"] = {MemoryBlock{NumaMask{0}, kMemory, 2 * kGi}};
  state.assignments["p"]["a"] = {MemoryBlock{NumaMask{0}, kMemory, kGi}};
  state.assignments["p"]["b"] = {MemoryBlock{NumaMask{0}, kMemory, kGi}};
  auto machine = RestoreMemoryMachineState(policy, state.assignments, state.pod_assignments);
  REQUIRE(machine.ok());
  state.machine = *machine;
  CHECK(Table(state, 0, kMemory).reserved == 2 * kGi);
  RemoveMemoryContainer(policy, "p", "a", state);
  CHECK(Table(state, 0, kMemory).reserved == 2 * kGi);
  RemoveMemoryContainer(policy, "p", "b", state);
  CHECK(state.machine == fresh);
  CHECK(state.pod_assignments.empty());
}

}  // namespace
}  // namespace podalloc
