// AllocatePodMemory (KEP-5526): the KEP's examples on the memory side, the kubelet's
// validation messages, the shared pool, hugepages in a pod budget, release with the last
// container, and random pod-level pods that must leave the machine as they found it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "absl/strings/str_cat.h"
#include "podalloc/memory_manager.h"
#include "test_machines.h"

namespace podalloc {
namespace {

using namespace podalloc::testing;

MemoryManagerGates PodLevelGates() {
  MemoryManagerGates gates;
  gates.pod_level_resource_managers = true;
  return gates;
}

// Two nodes of 8Gi (and `huge_1g` 1Gi pages each), 1Gi reserved on each.
MemoryStaticPolicy PodLevelPolicy(uint64_t huge_1g = 0) {
  return UniformPolicy(2, 8 * kGi, kGi, huge_1g, PodLevelGates());
}

// A container that is not eligible for exclusive memory (requests != limits, or none).
ContainerMemorySpec Shared(std::string name, MemoryContainerKind kind = MemoryContainerKind::kApp) {
  ContainerMemorySpec c{std::move(name), kind, {}};
  c.exclusive_eligible = false;
  return c;
}

PodMemorySpec PodLevelPod(std::string uid, MemoryAmounts budget,
                          std::vector<ContainerMemorySpec> apps,
                          std::vector<ContainerMemorySpec> inits = {}) {
  PodMemorySpec pod = GuaranteedPod(std::move(uid), std::move(apps), std::move(inits));
  pod.pod_level_resources_set = true;
  pod.pod_level_requests = std::move(budget);
  return pod;
}

const PodContainerMemory& ContainerOf(const PodMemoryDecision& d, std::string_view name) {
  auto it = std::find_if(d.containers.begin(), d.containers.end(),
                         [&](const PodContainerMemory& c) { return c.name == name; });
  REQUIRE(it != d.containers.end());
  return *it;
}

std::vector<MemoryBlock> On(NumaMask mask, uint64_t memory, uint64_t huge_1g = 0) {
  std::vector<MemoryBlock> blocks{MemoryBlock{mask, kMemory, memory}};
  if (huge_1g > 0) blocks.push_back(MemoryBlock{mask, kHuge1G, huge_1g});
  return blocks;
}

void CheckTablesConsistent(const MemoryManagerState& state) {
  for (const MemoryNumaNodeState& n : state.machine.nodes) {
    for (const MemoryResourceTable& t : n.memory) {
      INFO("node " << n.id << " " << t.resource.Name());
      CHECK(t.table.free + t.table.reserved == t.table.allocatable);
    }
  }
}

TEST_CASE("memory_manager: KEP-5526 example, three containers share the whole pod budget",
          "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  const PodMemorySpec pod =
      PodLevelPod("p", Amounts(4 * kGi), {Shared("c1"), Shared("c2"), Shared("c3")});
  auto d = AllocatePodMemory(policy, pod, Affinity({1}), state);
  REQUIRE(d.ok());
  CHECK(d->outcome == MemoryDecision::Outcome::kAllocated);
  CHECK(d->affinity == NumaMask{1});
  CHECK(d->pod_blocks == On({1}, 4 * kGi));
  CHECK(d->shared_pool == On({1}, 4 * kGi));
  REQUIRE(d->containers.size() == 3);
  for (const PodContainerMemory& c : d->containers) {
    CHECK(c.source == PodMemorySource::kPodSharedPool);
    CHECK(c.blocks == On({1}, 4 * kGi));
    CHECK(*FindMemoryBlocks(state.assignments, "p", c.name) == On({1}, 4 * kGi));
  }
  // The budget is charged once, not once per container.
  CHECK(Table(state, 1, kMemory).reserved == 4 * kGi);
  CHECK(Table(state, 0, kMemory).reserved == 0);
  CHECK(state.machine.Node(1)->number_of_assignments == 1);
  CHECK(state.pod_assignments.at("p") == On({1}, 4 * kGi));
}

TEST_CASE("memory_manager: KEP-5526 example, one Guaranteed container and a shared pool",
          "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  const PodMemorySpec pod =
      PodLevelPod("p", Amounts(4 * kGi), {App("c1", Amounts(2 * kGi)), Shared("c2"), Shared("c3")});
  auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
  REQUIRE(d.ok());
  CHECK(ContainerOf(*d, "c1").source == PodMemorySource::kExclusive);
  CHECK(ContainerOf(*d, "c1").blocks == On({0}, 2 * kGi));
  CHECK(d->shared_pool == On({0}, 2 * kGi));
  for (const char* name : {"c2", "c3"}) {
    CHECK(ContainerOf(*d, name).source == PodMemorySource::kPodSharedPool);
    CHECK(ContainerOf(*d, name).blocks == On({0}, 2 * kGi));
  }
  CHECK(Table(state, 0, kMemory).reserved == 4 * kGi);
  // The containers' entries are in place: the per-container path sees them as allocated.
  auto again = AllocateMemory(policy, pod, "c2", Affinity({1}), state);
  REQUIRE(again.ok());
  CHECK(again->outcome == MemoryDecision::Outcome::kAlreadyAllocated);
  CHECK(Table(state, 0, kMemory).reserved == 4 * kGi);
}

TEST_CASE("memory_manager: a container whose requests differ from its limits shares the pool",
          "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  ContainerMemorySpec burstable = App("b", Amounts(kGi));
  burstable.exclusive_eligible = false;
  const PodMemorySpec pod = PodLevelPod("p", Amounts(3 * kGi), {App("g", Amounts(kGi)), burstable});
  auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
  REQUIRE(d.ok());
  CHECK(ContainerOf(*d, "b").source == PodMemorySource::kPodSharedPool);
  CHECK(ContainerOf(*d, "b").blocks == On({0}, 2 * kGi));
  CHECK(ContainerOf(*d, "g").blocks == On({0}, kGi));
}

TEST_CASE("memory_manager: KEP-5526 example, exclusive requests that fill the budget reject",
          "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  const MemoryManagerState before = state;
  const PodMemorySpec pod =
      PodLevelPod("p", Amounts(5 * kGi),
                  {App("c1", Amounts(3 * kGi)), App("c2", Amounts(2 * kGi)), Shared("c3")});
  auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
  REQUIRE(!d.ok());
  CHECK(d.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(d.status().message()) ==
        "pod rejected, sum of exclusive container memory requests equals pod budget, leaving "
        "no memory for shared containers");
  CHECK(IsEmptyPodSharedPool(d.status()));
  CHECK(state == before);

  // Without a container needing the pool the same exclusive requests are fine.
  const PodMemorySpec full = PodLevelPod(
      "q", Amounts(5 * kGi), {App("c1", Amounts(3 * kGi)), App("c2", Amounts(2 * kGi))});
  auto ok = AllocatePodMemory(policy, full, Affinity({0}), state);
  REQUIRE(ok.ok());
  CHECK(ok->shared_pool.empty());
  CHECK(Table(state, 0, kMemory).reserved == 5 * kGi);
}

TEST_CASE("memory_manager: init-container validation messages are the kubelet's",
          "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  const MemoryManagerState before = state;

  SECTION("an exclusive init container larger than what the sidecars leave") {
    const PodMemorySpec pod =
        PodLevelPod("p", Amounts(4 * kGi), {App("a", Amounts(kGi / 2))},
                    {Sidecar("s", Amounts(3 * kGi)), Init("i", Amounts(2 * kGi))});
    auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
    REQUIRE(!d.ok());
    CHECK(std::string(d.status().message()) ==
          absl::StrCat("pod rejected, largest exclusive init container requests ", 2 * kGi,
                       " of memory, but only ", kGi, " available"));
    CHECK(IsEmptyPodSharedPool(d.status()));
  }
  SECTION("a shared init container after sidecars that take the whole budget") {
    const PodMemorySpec pod =
        PodLevelPod("p", Amounts(4 * kGi), {App("a", Amounts(kGi / 2))},
                    {Sidecar("s", Amounts(4 * kGi)), Shared("i", MemoryContainerKind::kInit)});
    auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
    REQUIRE(!d.ok());
    CHECK(std::string(d.status().message()) ==
          "pod rejected, pod has shared init containers but no memory available for them");
  }
  SECTION("hugepages are checked like memory") {
    const MemoryStaticPolicy huge = PodLevelPolicy(4);
    state = FreshState(huge);
    const MemoryManagerState huge_before = state;
    const PodMemorySpec pod = PodLevelPod("p", Amounts(4 * kGi, 2 * kGi),
                                          {App("c1", Amounts(kGi, 2 * kGi)), Shared("c2")});
    auto d = AllocatePodMemory(huge, pod, Affinity({0}), state);
    REQUIRE(!d.ok());
    CHECK(std::string(d.status().message()) ==
          "pod rejected, sum of exclusive container hugepages-1Gi requests equals pod budget, "
          "leaving no memory for shared containers");
    CHECK(state == huge_before);
    return;
  }
  CHECK(state == before);
}

TEST_CASE("memory_manager: sidecars, init containers and the pool partition the budget",
          "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  // Budget 6Gi: sidecar s1 1Gi exclusive; init i1 shared (6 - 1); sidecar s2 shared;
  // init i2 2Gi exclusive; app a1 2Gi exclusive; app a2 shared: pool 6 - 1 - 2 = 3Gi.
  const PodMemorySpec pod =
      PodLevelPod("p", Amounts(6 * kGi), {App("a1", Amounts(2 * kGi)), Shared("a2")},
                  {Sidecar("s1", Amounts(kGi)), Shared("i1", MemoryContainerKind::kInit),
                   Shared("s2", MemoryContainerKind::kSidecar), Init("i2", Amounts(2 * kGi))});
  auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
  REQUIRE(d.ok());
  std::vector<std::string> order;
  for (const PodContainerMemory& c : d->containers) order.push_back(c.name);
  CHECK(order == std::vector<std::string>{"s1", "i1", "s2", "i2", "a1", "a2"});
  CHECK(ContainerOf(*d, "s1").blocks == On({0}, kGi));
  CHECK(ContainerOf(*d, "s1").source == PodMemorySource::kExclusive);
  CHECK(ContainerOf(*d, "i1").blocks == On({0}, 5 * kGi));
  CHECK(ContainerOf(*d, "i1").source == PodMemorySource::kPodSharedPool);
  CHECK(ContainerOf(*d, "s2").blocks == On({0}, 3 * kGi));
  CHECK(ContainerOf(*d, "i2").blocks == On({0}, 2 * kGi));
  CHECK(ContainerOf(*d, "i2").source == PodMemorySource::kExclusive);
  CHECK(ContainerOf(*d, "a1").blocks == On({0}, 2 * kGi));
  CHECK(ContainerOf(*d, "a2").blocks == On({0}, 3 * kGi));
  CHECK(d->shared_pool == On({0}, 3 * kGi));
  CHECK(Table(state, 0, kMemory).reserved == 6 * kGi);
  CHECK(state.assignments.at("p").size() == 6);
}

TEST_CASE("memory_manager: hugepages in a pod-level budget", "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy(4);  // 4 x 1Gi pages per node
  MemoryManagerState state = FreshState(policy);
  const MemoryManagerState fresh = state;
  const PodMemorySpec pod =
      PodLevelPod("p", Amounts(2 * kGi, 3 * kGi), {App("c1", Amounts(kGi, kGi)), Shared("c2")});
  auto d = AllocatePodMemory(policy, pod, Affinity({1}), state);
  REQUIRE(d.ok());
  CHECK(d->pod_blocks == On({1}, 2 * kGi, 3 * kGi));
  CHECK(ContainerOf(*d, "c1").blocks == On({1}, kGi, kGi));
  CHECK(ContainerOf(*d, "c2").blocks == On({1}, kGi, 2 * kGi));
  CHECK(Table(state, 1, kHuge1G).reserved == 3 * kGi);
  CHECK(Table(state, 1, kMemory).reserved == 2 * kGi);
  CHECK(state.machine.Node(1)->number_of_assignments == 2);  // one per pod block
  CheckTablesConsistent(state);

  // Five pages do not fit on one node: the affinity is extended to both.
  const PodMemorySpec big = PodLevelPod("q", Amounts(kGi, 5 * kGi), {Shared("c")});
  auto e = AllocatePodMemory(policy, big, Affinity({0}, false), state);
  REQUIRE(!e.ok());  // node 1 is used alone, so {0,1} is no hint while p holds it
  CHECK(std::string(e.status().message()) ==
        "[memorymanager] failed to find NUMA nodes to extend the current topology hint");
  RemoveMemoryContainer(policy, "p", "c1", state);
  RemoveMemoryContainer(policy, "p", "c2", state);
  CHECK(state == fresh);
  auto f = AllocatePodMemory(policy, big, Affinity({0}, false), state);
  REQUIRE(f.ok());
  CHECK(f->extended);
  CHECK(f->affinity == NumaMask{0, 1});
  CHECK(Table(state, 0, kHuge1G).reserved == 4 * kGi);
  CHECK(Table(state, 1, kHuge1G).reserved == kGi);
}

TEST_CASE("memory_manager: pod-level memory goes back with the last container",
          "[memory_manager][pod_level][release]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  const MemoryManagerState fresh = state;
  const PodMemorySpec pod =
      PodLevelPod("p", Amounts(4 * kGi), {App("a", Amounts(kGi)), Shared("b")},
                  {Shared("i", MemoryContainerKind::kInit)});
  REQUIRE(AllocatePodMemory(policy, pod, Affinity({0}), state).ok());
  auto restored = RestoreMemoryMachineState(policy, state.assignments, state.pod_assignments);
  REQUIRE(restored.ok());
  CHECK(MemoryMachineStatesMatch(*restored, state.machine));

  // An exclusive slice is not returned to the pool, nor to the node, when its container goes.
  for (const char* name : {"i", "a"}) {
    RemoveMemoryContainer(policy, "p", name, state);
    CHECK(Table(state, 0, kMemory).reserved == 4 * kGi);
    CHECK(state.pod_assignments.count("p") == 1);
  }
  RemoveMemoryContainer(policy, "p", "b", state);
  CHECK(state == fresh);
}

TEST_CASE("memory_manager: AllocatePodMemory outcomes, affinities and errors",
          "[memory_manager][pod_level]") {
  const MemoryStaticPolicy policy = PodLevelPolicy();
  MemoryManagerState state = FreshState(policy);
  const MemoryManagerState fresh = state;
  PodMemorySpec pod = PodLevelPod("p", Amounts(3 * kGi), {Shared("c")});

  SECTION("only Guaranteed pods") {
    pod.guaranteed = false;
    auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
    REQUIRE(d.ok());
    CHECK(d->outcome == MemoryDecision::Outcome::kNotGuaranteed);
  }
  SECTION("the gate off") {
    const MemoryStaticPolicy off = UniformPolicy(2, 8 * kGi, kGi);
    auto d = AllocatePodMemory(off, pod, Affinity({0}), state);
    REQUIRE(d.ok());
    CHECK(d->outcome == MemoryDecision::Outcome::kPodLevelResourcesUnsupported);
  }
  SECTION("a pod without pod-level resources") {
    pod.pod_level_resources_set = false;
    auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
    CHECK(d.status().code() == absl::StatusCode::kFailedPrecondition);
  }
  SECTION("an affinity naming a node the machine lacks") {
    auto d = AllocatePodMemory(policy, pod, Affinity({3}), state);
    CHECK(d.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(d.status().message()).rfind("pod \"p\": topology affinity 3", 0) == 0);
  }
  SECTION("a budget no node set can hold") {
    pod.pod_level_requests = Amounts(15 * kGi);
    auto d = AllocatePodMemory(policy, pod, Affinity({0}), state);
    CHECK(std::string(d.status().message()) ==
          "[memorymanager] failed to find NUMA nodes to extend the current topology hint");
    CHECK(MemoryShortfall(d.status()).has_value());
    auto nil = AllocatePodMemory(policy, pod, NilAffinity(), state);
    CHECK(std::string(nil.status().message()) ==
          "[memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough "
          "memory is available");
  }
  CHECK(state == fresh);

  SECTION("a nil affinity takes the narrowest hint, and a second call changes nothing") {
    auto d = AllocatePodMemory(policy, pod, NilAffinity(), state);
    REQUIRE(d.ok());
    CHECK(d->used_default);
    CHECK(d->preferred);
    CHECK(d->affinity == NumaMask{0});
    const MemoryManagerState after = state;
    auto again = AllocatePodMemory(policy, pod, Affinity({1}), state);
    REQUIRE(again.ok());
    CHECK(again->outcome == MemoryDecision::Outcome::kAlreadyAllocated);
    CHECK(again->affinity == NumaMask{0});
    CHECK(again->pod_blocks == d->pod_blocks);
    CHECK(again->containers.size() == 1);
    CHECK(again->containers[0].blocks == d->containers[0].blocks);
    CHECK(state == after);
  }
}

// Random pod-level pods on random machines: every table keeps free + reserved ==
// allocatable, the state always matches the one restored from its assignments, a failed
// call changes nothing, and removing every container gives the machine back untouched.
TEST_CASE("memory_manager: random pod-level pods leave the machine as they found it",
          "[memory_manager][pod_level][property]") {
  int replays_compared = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int nodes = pick(1, 4);
    const MemoryStaticPolicy policy =
        UniformPolicy(nodes, static_cast<uint64_t>(pick(4, 10)) * kGi, kGi / 2,
                      static_cast<uint64_t>(pick(0, 3)), PodLevelGates());
    MemoryManagerState state = FreshState(policy);
    const MemoryManagerState fresh = state;
    const bool huge =
        !state.machine.nodes[0].memory.empty() && state.machine.nodes[0].Find(kHuge1G) != nullptr;

    std::vector<PodMemorySpec> admitted;
    bool regrouped = false;
    for (int p = 0; p < 12; ++p) {
      const uint64_t quarters = static_cast<uint64_t>(pick(2, 28));
      MemoryAmounts budget = Amounts(quarters * kGi / 4);
      const uint64_t pages = huge ? static_cast<uint64_t>(pick(0, 3)) : 0;
      if (pages > 0) budget.push_back(MemoryAmount{kHuge1G, pages * kGi});
      // Exclusive containers take a random share of what is left; others share.
      auto random_container = [&](std::string name, MemoryContainerKind kind) {
        if (pick(0, 1) == 0) return Shared(std::move(name), kind);
        MemoryAmounts r = Amounts(static_cast<uint64_t>(pick(1, 4)) * kGi / 8);
        if (pages > 0 && pick(0, 2) == 0) r.push_back(MemoryAmount{kHuge1G, kGi / 2});
        return ContainerMemorySpec{std::move(name), kind, r};
      };
      std::vector<ContainerMemorySpec> inits, apps;
      for (int i = pick(0, 2); i > 0; --i) {
        inits.push_back(random_container(absl::StrCat("i", i), pick(0, 1)
                                                                   ? MemoryContainerKind::kSidecar
                                                                   : MemoryContainerKind::kInit));
      }
      for (int i = pick(1, 3); i > 0; --i) {
        apps.push_back(random_container(absl::StrCat("a", i), MemoryContainerKind::kApp));
      }
      const PodMemorySpec pod = PodLevelPod(absl::StrCat("pod", p), budget, apps, inits);
      NumaMask mask;
      for (int n = 0; n < nodes; ++n) {
        if (pick(0, 2) == 0) mask.Set(n);
      }
      const TopologyHint affinity =
          mask.IsEmpty() ? NilAffinity(pick(0, 1) == 1) : Affinity(mask, pick(0, 1) == 1);

      const MemoryManagerState before = state;
      auto d = AllocatePodMemory(policy, pod, affinity, state);
      if (!d.ok()) {
        INFO(d.status().ToString());
        CHECK(state == before);
        continue;
      }
      REQUIRE(d->outcome == MemoryDecision::Outcome::kAllocated);
      admitted.push_back(pod);
      // Each pod block was charged in full on the chosen mask.
      for (const MemoryBlock& b : d->pod_blocks) {
        CHECK(b.numa_affinity == d->affinity);
        CHECK(b.size == FindMemoryAmount(budget, b.type).value());
      }
      CheckTablesConsistent(state);
      // Like the kubelet, a single-NUMA affinity is taken even on a node that is part of a
      // multi-NUMA group (the topology manager can narrow a group hint to one node); the
      // kubelet's own restart check would then fail too, so the replay is only compared
      // while no pod was placed that way.
      const MemoryNumaNodeState* first = before.machine.Node(d->affinity.GetBits().front());
      if (d->affinity.Count() == 1 && first->cells.Count() > 1) regrouped = true;
      if (!regrouped) {
        auto restored = RestoreMemoryMachineState(policy, state.assignments, state.pod_assignments);
        REQUIRE(restored.ok());
        CHECK(MemoryMachineStatesMatch(*restored, state.machine));
        ++replays_compared;
      }
    }

    // Remove every container of every pod, interleaved across pods.
    std::vector<std::pair<std::string, std::string>> all;
    for (const PodMemorySpec& pod : admitted) {
      for (const auto* list : {&pod.init_containers, &pod.containers}) {
        for (const ContainerMemorySpec& c : *list) all.emplace_back(pod.uid, c.name);
      }
    }
    std::shuffle(all.begin(), all.end(), rng);
    for (const auto& [uid, name] : all) {
      RemoveMemoryContainer(policy, uid, name, state);
      CheckTablesConsistent(state);
    }
    CHECK(state.assignments.empty());
    CHECK(state.pod_assignments.empty());
    CHECK(state.machine == fresh.machine);
  }
  CHECK(replays_compared > 200);  // the replay check is not vacuous
}

}  // namespace
}  // namespace podalloc
