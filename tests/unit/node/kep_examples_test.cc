// The KEP-5526 examples, end to end from pod JSON to decision.
#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/decision_json.h"

namespace podalloc::testing {
namespace {

std::unique_ptr<Node> MakeNode(const std::string& scope, const std::string& policy = "restricted",
                               bool static_memory = true) {
  NodeConfig config = PodLevelConfig(policy, scope, 2);
  if (!static_memory) {
    config.memory_manager_policy = "None";
    config.reserved_memory.clear();
  }
  auto node = Node::Create(MakeMachine(2, 1, 8, 16), config);
  INFO((node.ok() ? "" : std::string(node.status().message())));
  REQUIRE(node.ok());
  return std::move(*node);
}

Decision Admit(Node& node, const Pod& pod) {
  auto d = node.AdmitAndCommit(pod);
  INFO((d.ok() ? DecisionToJson(*d, 2) : std::string(d.status().message())));
  REQUIRE(d.ok());
  return *d;
}

TEST_CASE("node: pod scope, three containers without requests share the pod's set",
          "[node][kep]") {
  auto node = MakeNode("pod");
  Decision d = Admit(*node, MakePod("p1", "4", "4Gi", {{"c1", "", ""}, {"c2", "", ""}, {"c3", "", ""}}));
  INFO(DecisionToJson(d, 2));
  REQUIRE(d.admitted);
  CHECK(d.pod_level);
  CHECK(d.qos == QosClass::kGuaranteed);
  CHECK(d.pod_cpus.Size() == 4);
  CHECK(d.pod_cpus == d.pod_shared_pool);
  // One NUMA node holds the whole budget.
  CHECK(node->topology().NumaNodesOf(d.pod_cpus).Count() == 1);
  for (const char* name : {"c1", "c2", "c3"}) {
    const ContainerDecision& c = Find(d, name);
    CHECK(c.cpus == d.pod_cpus);
    CHECK(c.isolation == IsolationLevel::kPod);
    CHECK_FALSE(c.exclusive_cpus);
    CHECK_FALSE(c.cpu_quota_disabled);
  }
  CHECK_FALSE(node->State().cpu.default_cpu_set.Intersects(d.pod_cpus));
}

TEST_CASE("node: pod scope, one Guaranteed container gets a slice, the others the rest",
          "[node][kep]") {
  auto node = MakeNode("pod");
  Decision d = Admit(*node, MakePod("p2", "4", "4Gi",
                                    {{"c1", "2", "2Gi"}, {"c2", "", ""}, {"c3", "", ""}}));
  INFO(DecisionToJson(d, 2));
  REQUIRE(d.admitted);
  const ContainerDecision& c1 = Find(d, "c1");
  CHECK(c1.exclusive_cpus);
  CHECK(c1.isolation == IsolationLevel::kContainer);
  CHECK(c1.cpu_quota_disabled);
  CHECK(c1.cpus.Size() == 2);
  CHECK(d.pod_shared_pool.Size() == 2);
  CHECK_FALSE(d.pod_shared_pool.Intersects(c1.cpus));
  for (const char* name : {"c2", "c3"}) {
    CHECK(Find(d, name).cpus == d.pod_shared_pool);
    CHECK(Find(d, name).isolation == IsolationLevel::kPod);
  }
  // Memory: the pod's 4Gi on the pod's NUMA node; c1's 2Gi are its own blocks.
  const NumaMask pod_numa = node->topology().NumaNodesOf(d.pod_cpus);
  for (const auto& c : d.containers) CHECK(c.memory_nodes == pod_numa);
  REQUIRE(c1.memory_blocks.size() == 1);
  CHECK(c1.memory_blocks[0].size == 2 * kGi);
  const NodeState after = node->State();
  REQUIRE(after.memory.pod_assignments.contains("p2"));
  CHECK(after.memory.pod_assignments.at("p2").at(0).size == 4 * kGi);
}

TEST_CASE("node: pod scope, exclusive slices filling the budget reject the pod", "[node][kep]") {
  const Pod pod =
      MakePod("p3", "5", "5Gi", {{"c1", "3", "3Gi"}, {"c2", "2", "2Gi"}, {"c3", "", ""}});
  SECTION("restricted: the providers give no hint, the topology manager rejects") {
    // The kubelet's CPU and memory managers answer an empty hint list for a pod whose shared
    // pool would be empty, which no policy but best-effort and none admits.
    auto node = MakeNode("pod", "restricted");
    const NodeState before = node->State();
    Decision d = Admit(*node, pod);
    CHECK_FALSE(d.admitted);
    CHECK(d.reason == "TopologyAffinityError");
    CHECK(node->State() == before);
  }
  SECTION("best-effort: the CPU manager's AllocatePod rejects") {
    auto node = MakeNode("pod", "best-effort");
    const NodeState before = node->State();
    Decision d = Admit(*node, pod);
    CHECK_FALSE(d.admitted);
    CHECK(d.reason == "EmptyPodSharedPoolError");
    CHECK_THAT(d.message, Catch::Contains("leaving no cpus for shared containers"));
    CHECK(node->State() == before);
  }
}

TEST_CASE("node: pod scope, budget of 5 split three ways", "[node][kep]") {
  auto node = MakeNode("pod");
  SECTION("3, 1 and 1 exclusive") {
    Decision d = Admit(*node, MakePod("p4", "5", "5Gi",
                                      {{"c1", "3", "3Gi"}, {"c2", "1", "1Gi"}, {"c3", "1", "1Gi"}}));
    REQUIRE(d.admitted);
    CHECK(Find(d, "c1").cpus.Size() == 3);
    CHECK(Find(d, "c2").cpus.Size() == 1);
    CHECK(Find(d, "c3").cpus.Size() == 1);
    CpuSet all = Find(d, "c1").cpus | Find(d, "c2").cpus | Find(d, "c3").cpus;
    CHECK(all == d.pod_cpus);
    for (const auto& c : d.containers) CHECK(c.isolation == IsolationLevel::kContainer);
  }
  SECTION("3 exclusive, two sharing the other 2") {
    Decision d = Admit(*node, MakePod("p5", "5", "5Gi",
                                      {{"c1", "3", "3Gi"}, {"c2", "", ""}, {"c3", "", ""}}));
    REQUIRE(d.admitted);
    CHECK(Find(d, "c1").cpus.Size() == 3);
    CHECK(d.pod_shared_pool.Size() == 2);
    CHECK(Find(d, "c2").cpus == d.pod_shared_pool);
    CHECK(Find(d, "c3").cpus == d.pod_shared_pool);
  }
  SECTION("nothing exclusive, all share the 5") {
    Decision d = Admit(*node, MakePod("p6", "5", "5Gi", {{"c1", "", ""}, {"c2", "", ""}, {"c3", "", ""}}));
    REQUIRE(d.admitted);
    CHECK(d.pod_shared_pool.Size() == 5);
    for (const auto& c : d.containers) CHECK(c.cpus == d.pod_cpus);
  }
}

TEST_CASE("node: container scope, one Guaranteed container exclusive, the rest on the node pool",
          "[node][kep]") {
  auto node = MakeNode("container", "restricted", /*static_memory=*/false);
  Decision d = Admit(*node, MakePod("p7", "4", "4Gi",
                                    {{"c1", "2", "2Gi"}, {"c2", "", ""}, {"c3", "", ""}}));
  INFO(DecisionToJson(d, 2));
  REQUIRE(d.admitted);
  CHECK_FALSE(d.pod_level);
  const ContainerDecision& c1 = Find(d, "c1");
  CHECK(c1.exclusive_cpus);
  CHECK(c1.isolation == IsolationLevel::kContainer);
  CHECK(c1.cpus.Size() == 2);
  CHECK(node->topology().NumaNodesOf(c1.cpus).Count() == 1);
  const CpuSet shared = node->State().cpu.default_cpu_set;
  for (const char* name : {"c2", "c3"}) {
    CHECK(Find(d, name).isolation == IsolationLevel::kHost);
    CHECK(Find(d, name).cpus == shared);
    CHECK_FALSE(Find(d, name).cpu_quota_disabled);
  }
  CHECK_FALSE(shared.Intersects(c1.cpus));
}

TEST_CASE("node: container scope with Static memory, a shared container after an exclusive one",
          "[node][kep]") {
  // The kubelet's memory manager gives a container without eligible requests no hints, so the
  // topology manager's merged hint is every NUMA node; its Allocate then refuses that mask
  // because NUMA node 0 already serves a single-NUMA allocation (c1's). podalloc keeps that
  // behaviour: the KEP's container-scope example needs memory manager policy None.
  auto node = MakeNode("container", "restricted", /*static_memory=*/true);
  auto d = node->AdmitAndCommit(
      MakePod("p7", "4", "4Gi", {{"c1", "2", "2Gi"}, {"c2", "", ""}, {"c3", "", ""}}));
  REQUIRE(d.ok());
  CHECK_FALSE(d->admitted);
  CHECK(d->reason == "UnexpectedAdmissionError");
  CHECK_THAT(d->message, Catch::Contains("preferred hint violates NUMA node allocation"));
}

TEST_CASE("node: container scope, no container requests, nothing exclusive", "[node][kep]") {
  auto node = MakeNode("container");
  const NodeState before = node->State();
  Decision d = Admit(*node, MakePod("p8", "4", "4Gi", {{"c1", "", ""}, {"c2", "", ""}, {"c3", "", ""}}));
  REQUIRE(d.admitted);
  for (const auto& c : d.containers) {
    CHECK(c.isolation == IsolationLevel::kHost);
    CHECK_FALSE(c.exclusive_cpus);
    CHECK(c.cpus == before.cpu.default_cpu_set);
  }
  CHECK(node->State().cpu == before.cpu);
}

TEST_CASE("node: removing the last container of a pod-level pod releases its set", "[node][kep]") {
  auto node = MakeNode("pod");
  const NodeState before = node->State();
  Decision d = Admit(*node, MakePod("p9", "4", "4Gi", {{"c1", "2", "2Gi"}, {"c2", "", ""}}));
  REQUIRE(d.admitted);
  REQUIRE(node->RemoveContainer("p9", "c1").ok());
  // The slice is not given back while c2 still runs.
  CHECK_FALSE(node->State().cpu.default_cpu_set.Intersects(d.pod_cpus));
  REQUIRE(node->RemoveContainer("p9", "c2").ok());
  CHECK(node->State() == before);
  CHECK(absl::IsNotFound(node->RemoveContainer("p9", "c2")));
}

}  // namespace
}  // namespace podalloc::testing
