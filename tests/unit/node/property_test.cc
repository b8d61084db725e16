// Random admit/remove sequences over every policy, both scopes and both memory policies:
// no CPU is held by two pods or by a pod and the shared pool, memory tables stay consistent,
// a rejected or failed admission leaves the state byte-identical, Admit is deterministic, and
// removing every pod restores the initial state. Concurrency is in stress_test.cc.
#include <random>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/decision_json.h"

namespace podalloc::testing {
namespace {

void CheckInvariants(const Node& node, const NodeState& s) {
  CpuSet seen = s.cpu.default_cpu_set;
  for (const auto& [uid, containers] : s.cpu.assignments) {
    CpuSet pod;
    if (auto it = s.cpu.pod_assignments.find(uid); it != s.cpu.pod_assignments.end()) {
      pod = it->second;
      for (const auto& [name, cpus] : containers) CHECK(cpus.IsSubsetOf(pod));
    } else {
      for (const auto& [name, cpus] : containers) pod |= cpus;
    }
    INFO("pod " << uid << " holds " << pod.ToString() << ", already seen " << seen.ToString());
    CHECK_FALSE(pod.Intersects(seen));
    seen |= pod;
  }
  for (const auto& [uid, cpus] : s.cpu.pod_assignments) CHECK(s.cpu.assignments.contains(uid));
  CHECK(seen == node.topology().cpus());
  for (const auto& n : s.memory.machine.nodes) {
    for (const auto& t : n.memory) {
      CHECK(t.table.free + t.table.reserved == t.table.allocatable);
    }
  }
}

TEST_CASE("node: random admit/remove sequences keep the invariants", "[node][property]") {
  const auto policy = GENERATE(as<std::string>{}, "none", "best-effort", "restricted",
                               "single-numa-node");
  const auto scope = GENERATE(as<std::string>{}, "container", "pod");
  const bool static_memory = GENERATE(false, true);
  const uint32_t seed = GENERATE(1u, 2u, 3u);
  CAPTURE(policy, scope, static_memory, seed);
  NodeConfig config = PodLevelConfig(policy, scope, 4);
  if (!static_memory) {
    config.memory_manager_policy = "None";
    config.reserved_memory.clear();
  }
  auto created = Node::Create(MakeMachine(2, 2, 4, 8), config);
  REQUIRE(created.ok());
  Node& node = **created;
  const NodeState initial = node.State();
  std::mt19937 rng(seed);
  std::vector<std::string> live;
  for (int step = 0; step < 60; ++step) {
    CAPTURE(step);
    const NodeState before = node.State();
    if (live.empty() || rng() % 10 < 6) {
      const Pod pod = RandomPod(rng, step);
      auto first = node.Admit(pod);
      auto second = node.Admit(pod);
      REQUIRE(first.ok() == second.ok());
      if (first.ok()) {
        CHECK(DecisionToJson(*first) == DecisionToJson(*second));
        CHECK(*first == *second);
      }
      CHECK(node.State() == before);  // Admit is pure
      auto d = node.AdmitAndCommit(pod);
      if (!d.ok() || !d->admitted) {
        CHECK(node.State() == before);
      } else {
        live.push_back(d->pod_uid);
      }
    } else {
      const size_t i = rng() % live.size();
      if (rng() % 2) {
        REQUIRE(node.RemovePod(live[i]).ok());
        live.erase(live.begin() + i);
      } else {
        const PodRecord& record = before.pods.at(live[i]);
        const std::string name = *record.containers.begin();
        REQUIRE(node.RemoveContainer(live[i], name).ok());
        if (record.containers.size() == 1) live.erase(live.begin() + i);
      }
    }
    CheckInvariants(node, node.State());
  }
  for (const std::string& uid : live) REQUIRE(node.RemovePod(uid).ok());
  CHECK(node.State() == initial);
}

TEST_CASE("node: a decision planned on an older state is refused", "[node]") {
  auto node = Node::Create(MakeMachine(2, 1, 8, 16), PodLevelConfig("restricted", "pod", 2));
  REQUIRE(node.ok());
  auto a = (*node)->Admit(MakePod("a", "2", "2Gi", {{"c", "", ""}}));
  auto b = (*node)->Admit(MakePod("b", "2", "2Gi", {{"c", "", ""}}));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE((*node)->Commit(*a).ok());
  const NodeState after_a = (*node)->State();
  absl::Status stale = (*node)->Commit(*b);
  CHECK(absl::IsFailedPrecondition(stale));
  CHECK_THAT(std::string(stale.message()), Catch::Contains("state changed since admission"));
  CHECK((*node)->State() == after_a);
  CHECK(absl::IsAlreadyExists((*node)->Admit(MakePod("a", "2", "2Gi", {{"c", "", ""}})).status()));
}

}  // namespace
}  // namespace podalloc::testing
