#include <catch2/catch.hpp>

#include "podalloc/memory_manager.h"
#include "test_machines.h"

namespace podalloc {
namespace {

using namespace podalloc::testing;

TEST_CASE("memory_manager: StartMemoryManager fills an empty state with the default machine state",
          "[memory_manager][restore]") {
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, kGi, 1);
  MemoryManagerState state;
  REQUIRE(StartMemoryManager(policy, state).ok());
  CHECK(state.machine == DefaultMemoryMachineState(policy));

  MemoryManagerState orphaned;
  orphaned.assignments["p"]["c"] = {MemoryBlock{NumaMask{0}, kMemory, kGi}};
  const MemoryManagerState before = orphaned;
  CHECK(StartMemoryManager(policy, orphaned).message() ==
        "[memorymanager] machine state can not be empty when it has memory assignments");
  CHECK(orphaned == before);
}

TEST_CASE("memory_manager: the machine state is rebuilt from the assignments",
          "[memory_manager][restore]") {
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, kGi, 1);  // 2Gi memory, 1Gi hugepages
  MemoryManagerState state = FreshState(policy);
  REQUIRE(AllocateMemory(policy, GuaranteedPod("a", {App("c", Amounts(3 * kGi, kGi))}), "c",
                         Affinity({0, 1}), state)
              .ok());
  REQUIRE(AllocateMemory(policy, GuaranteedPod("b", {App("c", Amounts(kGi / 2))}), "c",
                         Affinity({0, 1}), state)
              .ok());
  auto rebuilt = RestoreMemoryMachineState(policy, state.assignments, state.pod_assignments);
  REQUIRE(rebuilt.ok());
  CHECK(MemoryMachineStatesMatch(state.machine, *rebuilt));
  CHECK(StartMemoryManager(policy, state).ok());

  SECTION("only group sums must agree") {
    // Move reserved memory from node 0 to node 1 of the group: the kubelet accepts it.
    MemoryManagerState moved = state;
    MemoryTable* t0 = moved.machine.Node(0)->Find(kMemory);
    MemoryTable* t1 = moved.machine.Node(1)->Find(kMemory);
    t0->reserved -= kGi / 2;
    t0->free += kGi / 2;
    t1->reserved += kGi / 2;
    t1->free -= kGi / 2;
    CHECK(StartMemoryManager(policy, moved).ok());
  }
  SECTION("anything else must agree") {
    MemoryManagerState changed = state;
    changed.machine.Node(1)->number_of_assignments += 1;
    CHECK(StartMemoryManager(policy, changed).message() ==
          "[memorymanager] the expected machine state is different from the real one");
    changed = state;
    changed.machine.Node(0)->Find(kHuge1G)->reserved -= 1;
    changed.machine.Node(0)->Find(kHuge1G)->free += 1;
    CHECK(!StartMemoryManager(policy, changed).ok());
    changed = state;
    changed.machine.Node(0)->Find(kMemory)->total += 1;
    CHECK(!StartMemoryManager(policy, changed).ok());
    changed = state;
    changed.machine.nodes.pop_back();
    CHECK(!StartMemoryManager(policy, changed).ok());
    changed = state;
    changed.machine.Node(0)->cells = NumaMask{0};
    CHECK(!StartMemoryManager(policy, changed).ok());
  }
}

TEST_CASE("memory_manager: assignments must name nodes and resources the machine has",
          "[memory_manager][restore]") {
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, kGi);
  ContainerMemoryAssignments assignments;
  assignments["pod"]["c"] = {MemoryBlock{NumaMask{0, 3}, kMemory, kGi}};
  CHECK(RestoreMemoryMachineState(policy, assignments, {}).status().message() ==
        "[memorymanager] (pod: pod, container: c) the memory assignment uses the NUMA that does "
        "not exist");
  assignments["pod"]["c"] = {MemoryBlock{NumaMask{1}, kHuge2M, kGi}};
  CHECK(RestoreMemoryMachineState(policy, assignments, {}).status().message() ==
        "[memorymanager] (pod: pod, container: c) the memory assignment uses memory resource "
        "that does not exist");
}

TEST_CASE("memory_manager: pod-level entries replay in place of their containers",
          "[memory_manager][restore]") {
  ContainerMemoryAssignments assignments;
  assignments["p"]["a"] = {MemoryBlock{NumaMask{0}, kMemory, kGi / 4}};
  PodMemoryAssignments pods;
  pods["p"] = {MemoryBlock{NumaMask{0}, kMemory, kGi}};
  pods["gone"] = {MemoryBlock{NumaMask{1}, kMemory, kGi}};  // no containers: not replayed

  MemoryManagerGates gates;
  gates.pod_level_resource_managers = true;
  const MemoryStaticPolicy on = UniformPolicy(2, 4 * kGi, kGi, 0, gates);
  auto with_gate = RestoreMemoryMachineState(on, assignments, pods);
  REQUIRE(with_gate.ok());
  CHECK(with_gate->Node(0)->Find(kMemory)->reserved == kGi);
  CHECK(with_gate->Node(1)->Find(kMemory)->reserved == 0);

  const MemoryStaticPolicy off = UniformPolicy(2, 4 * kGi, kGi);
  auto without = RestoreMemoryMachineState(off, assignments, pods);
  REQUIRE(without.ok());
  CHECK(without->Node(0)->Find(kMemory)->reserved == kGi / 4);

  // Start with the gate off forgets pod-level entries, as the kubelet does not load them.
  MemoryManagerState state;
  state.machine = *without;
  state.assignments = assignments;
  state.pod_assignments = pods;
  REQUIRE(StartMemoryManager(off, state).ok());
  CHECK(state.pod_assignments.empty());
}

TEST_CASE("memory_manager: blocks may not ask more memory than their nodes have",
          "[memory_manager][restore]") {
  // The kubelet charges what fits and drops the rest: a file whose machine state matches that
  // replay would promise memory twice.
  const MemoryStaticPolicy policy = UniformPolicy(2, 4 * kGi, kGi);  // 3Gi free per node
  auto start = [&](const ContainerMemoryAssignments& assignments) {
    MemoryManagerState state;
    state.assignments = assignments;
    auto replayed = RestoreMemoryMachineState(policy, assignments, {});
    REQUIRE(replayed.ok());  // the kubelet's replay takes it
    state.machine = *replayed;
    return StartMemoryManager(policy, state);
  };
  ContainerMemoryAssignments assignments;
  assignments["pod"]["c"] = {MemoryBlock{NumaMask{0, 1}, kMemory, 8 * kGi}};
  CHECK(start(assignments).message() ==
        "[memorymanager] (pod: pod, container: c) the memory assignment of 8589934592 bytes of "
        "memory on NUMA nodes 0,1 exceeds their free memory by 2147483648 bytes");
  assignments["pod"]["c"] = {MemoryBlock{NumaMask{0, 1}, kMemory, 6 * kGi}};
  CHECK(start(assignments).ok());
  // Two containers of 2Gi on a node with 3Gi free: the second one is named.
  assignments["pod"]["c"] = {MemoryBlock{NumaMask{0}, kMemory, 2 * kGi}};
  assignments["pod"]["d"] = {MemoryBlock{NumaMask{0}, kMemory, 2 * kGi}};
  CHECK_THAT(std::string(start(assignments).message()),
             Catch::Contains("(pod: pod, container: d)"));
}

TEST_CASE("memory_manager: the machine's memory and reservations never wrap",
          "[memory_manager][overflow]") {
  constexpr uint64_t kHuge = ~uint64_t{0};
  const std::vector<NumaNodeInfo> huge{Node(0, kHuge), Node(1, kHuge), Node(2, kHuge),
                                       Node(3, kHuge)};
  SystemReservedMemory sr;
  for (int i = 0; i < 4; ++i) sr[i] = {MemoryAmount{kMemory, kGi}};
  const absl::Status machine = NewMemoryStaticPolicy(huge, sr, {}).status();
  CHECK(machine.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(machine.message()), Catch::Contains("topology: NUMA node 0"));

  const std::vector<NumaNodeInfo> three{Node(0, 4 * kGi), Node(1, 4 * kGi), Node(2, 4 * kGi)};
  std::vector<MemoryReservation> reservations;
  for (int i = 0; i < 3; ++i) reservations.push_back({i, {{"memory", uint64_t{1} << 63}}});
  const absl::Status sum = SystemReservedMemoryFromConfig(three, {}, reservations).status();
  CHECK(sum.code() == absl::StatusCode::kInvalidArgument);
  CHECK(sum.message() == "the reserved \"memory\" adds up to more than 2^64-1 bytes");
}

}  // namespace
}  // namespace podalloc
