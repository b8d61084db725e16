// Node::Admit with the predicate handler's resource fit after the managers: the kubelet's
// handler order, rejected decisions that hold nothing, the node's running account of what
// admitted pods request, and critical pods admitted through preemption.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "node_test_support.h"
#include "podalloc/decision_json.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"

namespace podalloc::testing {
namespace {

using nlohmann::json;

// `podalloc simulate --default`: 64 CPUs in 4 NUMA nodes of 16 GiB, CPUs 0-1 reserved, 1Gi
// reserved per NUMA node, topology manager restricted with scope pod.
std::unique_ptr<Node> DefaultNode() {
  auto config = ParseNodeConfig(R"({"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
    "topologyManagerPolicy": "restricted", "topologyManagerScope": "pod",
    "memoryManagerPolicy": "Static", "reservedMemory": [
      {"numaNode": 0, "limits": {"memory": "1Gi"}}, {"numaNode": 1, "limits": {"memory": "1Gi"}},
      {"numaNode": 2, "limits": {"memory": "1Gi"}}, {"numaNode": 3, "limits": {"memory": "1Gi"}}],
    "featureGates": {"PodLevelResourceManagers": true}})");
  REQUIRE(config.ok());
  auto node = Node::Create(MakeMachine(2, 2, 8, 16), *config);
  REQUIRE(node.ok());
  return *std::move(node);
}

// One container with requests (and limits equal to them when `guaranteed`).
Pod OnePod(const std::string& uid, const std::string& cpu, const std::string& memory,
           bool guaranteed = false, json extra = json::object()) {
  json resources = {{"requests", {{"cpu", cpu}, {"memory", memory}}}};
  if (guaranteed) resources["limits"] = resources["requests"];
  json j = {{"metadata", {{"name", uid}, {"namespace", "default"}, {"uid", uid}}},
            {"spec", {{"containers", {{{"name", "app"}, {"resources", resources}}}}}}};
  j.merge_patch(extra);
  auto pod = ParsePod(j.dump());
  INFO(j.dump());
  REQUIRE(pod.ok());
  return *pod;
}

Decision AdmitCommit(Node& node, const Pod& pod) {
  auto d = node.AdmitAndCommit(pod);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  return *d;
}

TEST_CASE("node admission: the second 40-CPU Burstable pod is OutOfcpu", "[node][admission]") {
  auto node = DefaultNode();
  CHECK(node->Allocatable().at("cpu") == *Quantity::Parse("62"));  // 64 minus CPUs 0-1
  CHECK(AdmitCommit(*node, OnePod("big-1", "40", "1Gi")).admitted);
  const Decision second = AdmitCommit(*node, OnePod("big-2", "40", "1Gi"));
  CHECK_FALSE(second.admitted);
  CHECK(second.reason == "OutOfcpu");
  CHECK(second.message ==
        "Node didn't have enough resource: cpu, requested: 40000, used: 40000, capacity: 62000");
  REQUIRE(second.insufficient_resources.size() == 1);
  CHECK(second.insufficient_resources[0].Shortfall() == 18000);
  CHECK_FALSE(second.topology_rejection.has_value());
  CHECK(node->State().pods.size() == 1);

  // 100 CPUs and 900Gi: cpu is reported, memory is listed too; the node stays as it was.
  const NodeState before = node->State();
  const Decision over = AdmitCommit(*node, OnePod("over", "100", "900Gi"));
  CHECK(over.reason == "OutOfcpu");
  REQUIRE(over.insufficient_resources.size() == 2);
  CHECK(over.insufficient_resources[1].resource == "memory");
  CHECK(over.insufficient_resources[1].unresolvable);
  CHECK(node->State() == before);

  // The first pod gone, the second fits.
  REQUIRE(node->RemovePod("big-1").ok());
  CHECK(AdmitCommit(*node, OnePod("big-2", "40", "1Gi")).admitted);
}

TEST_CASE("node admission: alignment is judged before fit, and a fit rejection keeps nothing",
          "[node][admission]") {
  auto node = DefaultNode();
  CHECK(AdmitCommit(*node, OnePod("filler", "1", "50Gi")).admitted);
  SECTION("a pod refused by both is reported with the alignment reason") {
    // 20Gi of Guaranteed memory needs two NUMA nodes while 2 CPUs prefer one: restricted
    // refuses the merge; 20Gi would not fit beside the filler either.
    const Decision d = AdmitCommit(*node, OnePod("wide", "2", "20Gi", true));
    CHECK(d.reason == "TopologyAffinityError");
    CHECK(d.insufficient_resources.empty());
    REQUIRE(d.topology_rejection.has_value());
    CHECK(d.topology_rejection->container.empty());  // scope pod
    CHECK(d.topology_rejection->merge.blocking_provider == "memory_manager");
    REQUIRE(d.topology_rejection->merge.providers.size() == 2);
    CHECK(d.topology_rejection->merge.providers[0].provider == "cpu_manager");
  }
  SECTION("a Guaranteed pod the managers placed but that does not fit holds nothing") {
    const NodeState before = node->State();
    const uint64_t version = node->version();
    auto d = node->Admit(OnePod("pinned", "4", "12Gi", true));
    REQUIRE(d.ok());
    CHECK(d->reason == "OutOfmemory");
    CHECK(d->pod_cpus.IsEmpty());
    for (const ContainerDecision& c : d->containers) {
      CHECK(c.cpus.IsEmpty());
      CHECK_FALSE(c.exclusive_cpus);
      CHECK(c.memory_blocks.empty());
      CHECK(c.cgroup_files.empty());
    }
    CHECK(d->delta == NodeStateDelta());
    REQUIRE(node->Commit(*d).ok());
    CHECK(node->State() == before);
    CHECK(node->version() == version);
  }
}

TEST_CASE("node admission: the requested amounts follow resizes and restores",
          "[node][admission]") {
  auto node = DefaultNode();
  CHECK(AdmitCommit(*node, OnePod("a", "10", "1Gi")).admitted);
  auto grown = node->Resize(OnePod("a", "30", "1Gi"));
  REQUIRE(grown.ok());
  REQUIRE(grown->applied);
  CHECK(AdmitCommit(*node, OnePod("b", "40", "1Gi")).reason == "OutOfcpu");  // 30 + 40 > 62
  CHECK(AdmitCommit(*node, OnePod("b", "32", "1Gi")).admitted);

  // Another node restored from this one's state counts the same pods.
  auto other = DefaultNode();
  NodeState state = node->State();
  std::vector<Pod> pods;
  for (const auto& [key, record] : state.pods) pods.push_back(record.pod);
  REQUIRE(other->Restore(state.cpu, state.memory, pods).ok());
  const Decision d = AdmitCommit(*other, OnePod("c", "1", "1Gi"));
  CHECK(d.reason == "OutOfcpu");
  CHECK(d.message ==
        "Node didn't have enough resource: cpu, requested: 1000, used: 62000, capacity: 62000");
}

TEST_CASE("node admission: a critical pod is admitted through the kubelet's preemption",
          "[node][admission][critical]") {
  auto config = ParseNodeConfig(R"({"maxPods": 3})");
  REQUIRE(config.ok());
  auto created = Node::Create(MakeMachine(1, 1, 2, 8), *config);  // 4 CPUs
  REQUIRE(created.ok());
  Node& node = **created;
  CHECK(AdmitCommit(node, OnePod("guaranteed", "1", "1Gi", true)).admitted);
  CHECK(AdmitCommit(node, OnePod("burstable", "2", "1Gi")).admitted);
  const json critical_priority = {{"spec", {{"priority", kSystemCriticalPriority}}}};

  const Decision d = AdmitCommit(node, OnePod("critical", "2", "1Gi", false, critical_priority));
  CHECK(d.admitted);
  REQUIRE(d.insufficient_resources.size() == 1);
  CHECK(d.insufficient_resources[0].resource == "cpu");
  REQUIRE(d.preemption.has_value());
  CHECK(d.preemption->found);
  CHECK(d.preemption->victims == std::vector<std::string>{"burstable"});
  CHECK(d.preemption->shortfall == std::vector<PreemptionNeed>{{"cpu", 1000}});
  // podalloc evicts nothing: the victim stays until the caller removes it.
  CHECK(node.State().pods.size() == 3);
  REQUIRE(node.RemovePod("burstable").ok());

  // A static pod is critical too; with the pod count full and only critical or Guaranteed
  // pods left, the Guaranteed one goes.
  const json static_pod = {
      {"metadata", {{"annotations", {{"kubernetes.io/config.source", "file"}}}}}};
  Decision s = AdmitCommit(node, OnePod("static", "100m", "1Gi", false, static_pod));
  CHECK(s.admitted);
  CHECK(AdmitCommit(node, OnePod("filler", "100m", "1Gi")).reason == "OutOfpods");
  REQUIRE(node.RemovePod("static").ok());
  s = AdmitCommit(node, OnePod("static-2", "100m", "1Gi", false, static_pod));
  CHECK(s.admitted);
  CHECK_FALSE(s.preemption.has_value());

  // 8 CPUs: only the Guaranteed pod may go (the others are critical), which frees the pod
  // slot but 1 of the 7.1 CPUs short: the kubelet's UnexpectedAdmissionError.
  const Decision huge = AdmitCommit(node, OnePod("huge", "8", "1Gi", false, critical_priority));
  CHECK_FALSE(huge.admitted);
  CHECK(huge.reason == "UnexpectedAdmissionError");
  CHECK(huge.message ==
        "Unexpected error while attempting to recover from admission failure: preemption: error "
        "finding a set of pods to preempt: no set of running pods found to reclaim resources: "
        "[(res: cpu, q: 6100), ]");
  REQUIRE(huge.preemption.has_value());
  CHECK_FALSE(huge.preemption->found);
}

TEST_CASE("node admission: decision JSON says why", "[node][admission][json]") {
  auto node = DefaultNode();
  CHECK(AdmitCommit(*node, OnePod("a", "40", "1Gi")).admitted);
  const json refused = json::parse(DecisionToJson(AdmitCommit(*node, OnePod("b", "40", "1Gi"))));
  CHECK(refused.at("topology_rejection").is_null());
  CHECK(refused.at("preemption").is_null());
  CHECK(refused.at("insufficient_resources") ==
        json::parse(R"([{"resource": "cpu", "requested": 40000, "used": 40000,
                        "capacity": 62000, "short_by": 18000, "unresolvable": false}])"));
  const json wide = json::parse(DecisionToJson(AdmitCommit(*node, OnePod("w", "2", "20Gi", true))));
  const json& why = wide.at("topology_rejection");
  CHECK(why.at("container").is_null());
  CHECK(why.at("policy") == "restricted");
  CHECK(why.at("blocking_provider") == "memory_manager");
  CHECK(why.at("providers").at(1).at("resources").at(0).at("hints").at(0) ==
        json::parse(R"({"numa_nodes": "0,1", "preferred": true})"));
}

}  // namespace
}  // namespace podalloc::testing
