// ExplainAdmission: Admit's own decision with every topology manager merge recorded, over
// random pods in every policy and scope, with device plugins registered, on a built machine
// and on an hwloc fixture; and the node left as it was.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node_test_support.h"
#include "podalloc/admission_explanation.h"
#include "podalloc/decision_json.h"
#include "podalloc/discovery.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

constexpr char kGpu[] = "nvidia.com/gpu";

PluginDevice Device(const std::string& id, int numa) {
  PluginDevice d;
  d.id = id;
  d.numa_nodes = std::vector<int64_t>{numa};
  return d;
}

// Two GPUs on each odd NUMA node of `numa_nodes`.
void RegisterGpus(Node& node, int numa_nodes) {
  std::vector<PluginDevice> gpus;
  for (int n = 1; n < numa_nodes; n += 2) {
    gpus.push_back(Device("gpu-" + std::to_string(n) + "a", n));
    gpus.push_back(Device("gpu-" + std::to_string(n) + "b", n));
  }
  REQUIRE(node.SetDeviceResource(kGpu, gpus).ok());
}

Pod GpuPod(const std::string& uid, int gpus, const std::string& cpu, const std::string& memory) {
  Pod pod = MakePod(uid, "", "", {{"app", cpu, memory}});
  pod.containers[0].resources.requests[kGpu] = Quantity::FromValue(gpus);
  pod.containers[0].resources.limits[kGpu] = Quantity::FromValue(gpus);
  return pod;
}

std::vector<std::string> ProviderNames(const MergeExplanation& m) {
  std::vector<std::string> names;
  for (const ProviderHintSummary& p : m.providers) names.push_back(p.provider);
  return names;
}

// The explanation's decision is Admit's, and its merges agree with the decision: one per
// container up to the one that ended the admission (scope container), one for the pod (scope
// pod), none under policy none; a refused merge is the decision's topology rejection.
void CheckAgainstAdmit(const Node& node, const Pod& pod, const std::string& policy,
                       const std::string& scope) {
  const Unchanged unchanged(node);
  const std::string metrics = node.MetricsText();
  absl::StatusOr<Decision> admit = node.Admit(pod);
  absl::StatusOr<AdmissionExplanation> e = ExplainAdmission(node, pod);
  INFO(pod.uid << " " << policy << " " << scope);
  REQUIRE(admit.ok() == e.ok());
  if (!admit.ok()) {
    CHECK(admit.status() == e.status());
    return;
  }
  CHECK(e->decision == *admit);
  CHECK(node.MetricsText() != metrics);  // Admit observed its duration ...
  const std::string after_admit = node.MetricsText();
  REQUIRE(ExplainAdmission(node, pod).ok());
  CHECK(node.MetricsText() == after_admit);  // ... the explanation observes nothing
  unchanged.Check();

  const Decision& d = e->decision;
  if (policy == "none") {
    CHECK(e->merges.empty());
    CHECK_FALSE(e->no_merge_reason.empty());
    return;
  }
  CHECK(e->no_merge_reason.empty());
  REQUIRE_FALSE(e->merges.empty());
  for (const MergeRecord& r : e->merges) {
    CHECK(r.merge.policy == *ParseTopologyPolicy(policy));
    std::vector<std::string> names = ProviderNames(r.merge);
    CHECK(names.size() >= 2);
    CHECK(names[names.size() - 2] == "cpu_manager");
    CHECK(names.back() == "memory_manager");
  }
  if (scope == "pod") {
    REQUIRE(e->merges.size() == 1);
    CHECK(e->merges[0].container.empty());
    CHECK(d.pod_hint == e->merges[0].merge.merged);
  } else {
    size_t managed = 0;
    for (const ContainerDecision& c : d.containers) managed += c.type != ContainerType::kEphemeral;
    REQUIRE(e->merges.size() <= managed);
    for (size_t i = 0; i < e->merges.size(); ++i) {
      CHECK(e->merges[i].container == d.containers[i].name);
      // An admitted pod's containers keep the hint their merge gave.
      if (d.admitted) CHECK(d.containers[i].hint == e->merges[i].merge.merged);
    }
    if (d.admitted) CHECK(e->merges.size() == managed);
  }
  // Every merge before the last was admitted; the last is refused exactly when the topology
  // manager refused the pod, and then it is the decision's rejection.
  for (size_t i = 0; i + 1 < e->merges.size(); ++i) CHECK(e->merges[i].merge.admitted);
  const MergeRecord& last = e->merges.back();
  CHECK(last.merge.admitted == !d.topology_rejection.has_value());
  if (d.topology_rejection.has_value()) {
    CHECK(d.topology_rejection->container == last.container);
    CHECK(d.topology_rejection->merge == last.merge);
    CHECK(d.reason == "TopologyAffinityError");
  }
}

TEST_CASE("admission explanation: Admit's decision and every merge, all policies and scopes",
          "[node][explain]") {
  const std::string policy =
      GENERATE(as<std::string>{}, "none", "best-effort", "restricted", "single-numa-node");
  const std::string scope = GENERATE(as<std::string>{}, "container", "pod");
  const uint32_t seed = GENERATE(1u, 2u, 3u);
  CAPTURE(policy, scope, seed);
  auto created = Node::Create(MakeMachine(2, 2, 4, 16), PodLevelConfig(policy, scope, 4));
  REQUIRE(created.ok());
  Node& node = **created;
  RegisterGpus(node, 4);
  std::mt19937 rng(seed);
  int admitted = 0, topology_refused = 0, refused = 0;
  for (int i = 0; i < 30; ++i) {
    // Every fifth pod wants GPUs: 1 or 2 fit one NUMA node, 3 need two.
    const Pod pod = i % 5 == 4 ? GpuPod("gpu-" + std::to_string(i), 1 + static_cast<int>(rng() % 3),
                                        std::to_string(1 + rng() % 4), "2Gi")
                               : RandomPod(rng, i);
    CheckAgainstAdmit(node, pod, policy, scope);
    absl::StatusOr<Decision> d = node.AdmitAndCommit(pod);
    REQUIRE(d.ok());
    ++(d->admitted ? admitted : d->topology_rejection.has_value() ? topology_refused : refused);
  }
  // The pods fill the node: both outcomes are explained.
  CHECK(admitted > 0);
  CHECK(topology_refused + refused > 0);
  // An admitted pod again: Admit's error.
  const NodeState state = node.State();
  REQUIRE_FALSE(state.pods.empty());
  CHECK(ExplainAdmission(node, state.pods.begin()->second.pod).status().code() ==
        absl::StatusCode::kAlreadyExists);
}

TEST_CASE("admission explanation: a GPU pod's merge lists the device manager first",
          "[node][explain]") {
  auto created = Node::Create(MakeMachine(2, 2, 4, 16), PodLevelConfig("restricted", "pod", 4));
  REQUIRE(created.ok());
  RegisterGpus(**created, 4);
  absl::StatusOr<AdmissionExplanation> e = ExplainAdmission(**created, GpuPod("g", 2, "4", "4Gi"));
  REQUIRE(e.ok());
  REQUIRE(e->decision.admitted);
  REQUIRE(e->merges.size() == 1);
  const MergeExplanation& m = e->merges[0].merge;
  CHECK(ProviderNames(m) ==
        std::vector<std::string>{"device_manager", "cpu_manager", "memory_manager"});
  REQUIRE(m.providers[0].resources.size() == 1);
  const ResourceHintSummary& gpus = m.providers[0].resources[0];
  CHECK(gpus.resource == kGpu);
  REQUIRE(gpus.hints.has_value());
  // Both GPUs on node 1 or both on node 3: the narrowest hints, preferred.
  std::vector<std::string> preferred;
  for (const TopologyHint& h : *gpus.hints) {
    if (h.preferred) preferred.push_back(h.affinity->ToList());
  }
  CHECK(preferred == std::vector<std::string>{"1", "3"});
  CHECK(m.admitted);
  CHECK(m.merged.affinity.has_value());
  CHECK(e->decision.containers[0].devices.at(kGpu).size() == 2);
}

TEST_CASE("admission explanation: a pod that does not fit keeps its admitted merge",
          "[node][explain]") {
  // Burstable pods are not pinned: the merge admits, resource fit refuses the second.
  auto created = Node::Create(MakeMachine(1, 2, 4, 16), PodLevelConfig("restricted", "container", 2));
  REQUIRE(created.ok());
  Node& node = **created;
  auto burstable = [](const std::string& uid) {
    return *ParsePod(nlohmann::json{{"metadata", {{"name", uid}, {"uid", uid}}},
                                    {"spec", {{"containers", {{{"name", "c"},
                                              {"resources", {{"requests", {{"cpu", "10"}}}}}}}}}}}
                         .dump());
  };
  REQUIRE(node.AdmitAndCommit(burstable("a"))->admitted);
  absl::StatusOr<AdmissionExplanation> e = ExplainAdmission(node, burstable("b"));
  REQUIRE(e.ok());
  CHECK_FALSE(e->decision.admitted);
  CHECK(e->decision.reason == "OutOfcpu");
  REQUIRE(e->merges.size() == 1);
  CHECK(e->merges[0].merge.admitted);
  CHECK(e->decision == *node.Admit(burstable("b")));
}

TEST_CASE("admission explanation: on an hwloc fixture, devices registered", "[node][explain]") {
  auto topology = FromHwlocXml(TestDataDir() / "fixtures" / "hwloc-memorysidecaches.xml");
  REQUIRE(topology.ok());
  const std::string scope = GENERATE(as<std::string>{}, "container", "pod");
  NodeConfig config;
  config.cpu_manager_policy = "static";
  config.reserved_system_cpus = *CpuSet::Parse("0");
  config.topology_manager_policy = "single-numa-node";
  config.topology_manager_scope = scope;
  auto created = Node::Create(*topology, config);
  INFO((created.ok() ? "" : std::string(created.status().message())));
  REQUIRE(created.ok());
  Node& node = **created;
  RegisterGpus(node, topology->NumNumaNodes());
  std::mt19937 rng(7);
  for (int i = 0; i < 12; ++i) {
    const Pod pod = i % 3 == 2 ? GpuPod("gpu-" + std::to_string(i), 1 + static_cast<int>(rng() % 2),
                                        "1", "100Mi")
                               : RandomPod(rng, i);
    INFO(pod.uid);
    absl::StatusOr<Decision> admit = node.Admit(pod);
    absl::StatusOr<AdmissionExplanation> e = ExplainAdmission(node, pod);
    REQUIRE(admit.ok());
    REQUIRE(e.ok());
    CHECK(e->decision == *admit);
    REQUIRE_FALSE(e->merges.empty());
    // No memory manager here: the device manager (for GPU pods) and the CPU manager.
    CHECK(ProviderNames(e->merges[0].merge).back() == "cpu_manager");
    REQUIRE(node.AdmitAndCommit(pod).ok());
  }
}

TEST_CASE("admission explanation: JSON holds the decision's JSON and the merges",
          "[node][explain]") {
  const std::string policy = GENERATE(as<std::string>{}, "none", "restricted");
  auto created = Node::Create(MakeMachine(2, 2, 4, 16), PodLevelConfig(policy, "container", 4));
  REQUIRE(created.ok());
  RegisterGpus(**created, 4);
  const Pod pod = GpuPod("g", 1, "2", "2Gi");
  absl::StatusOr<AdmissionExplanation> e = ExplainAdmission(**created, pod);
  REQUIRE(e.ok());
  const nlohmann::json j = nlohmann::json::parse(AdmissionExplanationToJson(*e, 2));
  CHECK(j["decision"] == nlohmann::json::parse(DecisionToJson(e->decision)));
  REQUIRE(j["merges"].size() == e->merges.size());
  if (policy == "none") {
    CHECK(j["no_merge_reason"].is_string());
  } else {
    CHECK(j["no_merge_reason"].is_null());
    const nlohmann::json& m = j["merges"][0];
    CHECK(m["container"] == "app");
    CHECK(m["admitted"] == true);
    CHECK(m["providers"][0]["name"] == "device_manager");
    CHECK(m["providers"][0]["resources"][0]["resource"] == kGpu);
    CHECK(m["merged_hint"]["numa_nodes"].is_string());
  }
  // Same explanation, same text.
  CHECK(AdmissionExplanationToJson(*e) == AdmissionExplanationToJson(*ExplainAdmission(**created, pod)));
}

}  // namespace
}  // namespace podalloc::testing
