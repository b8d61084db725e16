// Node::Resize: the kubelet's handlePodResourcesResize against the node's admitted pods.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "node_test_support.h"
#include "podalloc/node_checkpoint.h"
#include "podalloc/resize_json.h"

namespace podalloc::testing {
namespace {

using nlohmann::json;

// One container with separate requests and limits ("" leaves the entry out) and an optional
// resizePolicy restarting it for `restart_on`.
struct Ctr {
  Ctr(std::string n, std::string cr, std::string cl, std::string mr, std::string ml,
      std::string restart = "")
      : name(std::move(n)), cpu_request(std::move(cr)), cpu_limit(std::move(cl)),
        memory_request(std::move(mr)), memory_limit(std::move(ml)),
        restart_on(std::move(restart)) {}
  std::string name;
  std::string cpu_request, cpu_limit, memory_request, memory_limit;
  std::string restart_on;
};

Pod ResizePod(const std::string& uid, const std::vector<Ctr>& containers,
              const std::string& budget_cpu = "", const std::string& budget_memory = "") {
  json spec = {{"containers", json::array()}};
  for (const Ctr& c : containers) {
    json res = json::object();
    if (!c.cpu_request.empty()) res["requests"]["cpu"] = c.cpu_request;
    if (!c.memory_request.empty()) res["requests"]["memory"] = c.memory_request;
    if (!c.cpu_limit.empty()) res["limits"]["cpu"] = c.cpu_limit;
    if (!c.memory_limit.empty()) res["limits"]["memory"] = c.memory_limit;
    json j = {{"name", c.name}, {"resources", res}};
    if (!c.restart_on.empty()) {
      j["resizePolicy"] = json::array(
          {{{"resourceName", c.restart_on}, {"restartPolicy", "RestartContainer"}}});
    }
    spec["containers"].push_back(j);
  }
  if (!budget_cpu.empty() || !budget_memory.empty()) {
    json r;
    if (!budget_cpu.empty()) r["requests"]["cpu"] = r["limits"]["cpu"] = budget_cpu;
    if (!budget_memory.empty()) r["requests"]["memory"] = r["limits"]["memory"] = budget_memory;
    spec["resources"] = r;
  }
  json pod = {{"metadata", {{"name", uid}, {"namespace", "default"}, {"uid", uid}}},
              {"spec", spec}};
  auto parsed = ParsePod(pod.dump());
  INFO(pod.dump());
  REQUIRE(parsed.ok());
  return *parsed;
}

// 8 CPUs, 8Gi on one NUMA node.
std::unique_ptr<Node> MakeResizeNode(NodeConfig config = {}) {
  auto node = Node::Create(MakeMachine(1, 1, 4, 8), std::move(config));
  INFO((node.ok() ? "" : std::string(node.status().message())));
  REQUIRE(node.ok());
  return std::move(*node);
}

void AdmitOk(Node& node, const Pod& pod) {
  auto d = node.AdmitAndCommit(pod);
  REQUIRE(d.ok());
  REQUIRE(d->admitted);
}

ResizeDecision ResizeOk(Node& node, const Pod& pod) {
  auto d = node.Resize(pod);
  INFO((d.ok() ? ResizeDecisionToJson(*d, 2) : std::string(d.status().message())));
  REQUIRE(d.ok());
  return *d;
}

// Index of the first write matching, or writes.size().
size_t FirstWrite(const ResizeDecision& d, bool pod_cgroup, const std::string& file_prefix) {
  for (size_t i = 0; i < d.plan.writes.size(); ++i) {
    const CgroupWrite& w = d.plan.writes[i];
    if ((w.cgroup.empty() == pod_cgroup) && w.file.rfind(file_prefix, 0) == 0) return i;
  }
  return d.plan.writes.size();
}
size_t LastWrite(const ResizeDecision& d, bool pod_cgroup, const std::string& file_prefix) {
  size_t last = d.plan.writes.size();
  for (size_t i = 0; i < d.plan.writes.size(); ++i) {
    const CgroupWrite& w = d.plan.writes[i];
    if ((w.cgroup.empty() == pod_cgroup) && w.file.rfind(file_prefix, 0) == 0) last = i;
  }
  return last;
}

// A resize that is not applied leaves the node exactly as it was.
void CheckUnchanged(const Node& node, const NodeState& before, uint64_t version) {
  CHECK(node.State() == before);
  CHECK(node.version() == version);
}

TEST_CASE("node: resize table of feasibility outcomes", "[node][resize]") {
  struct Case {
    std::string name;
    std::string cpu_request;      // the resized container's new cpu request
    std::string kube_reserved_cpu;
    ResizeReason reason;
    std::string message;
    std::string reason_detail;
  };
  auto [c] = GENERATE(table<Case>({
      {{"burstable grows", "2", "", ResizeReason::kNone, "", ""}},
      {{"beside another pod: deferred", "4", "", ResizeReason::kDeferred,
        "Node didn't have enough resource: cpu, requested: 4000, used: 5000, capacity: 8000", ""}},
      {{"above allocatable: infeasible", "9", "", ResizeReason::kInfeasible,
        "Node didn't have enough capacity: cpu, requested: 9000, capacity: 8000",
        "insufficient_node_allocatable"}},
      {{"above allocatable once kubeReserved is out", "7500m", "1", ResizeReason::kInfeasible,
        "Node didn't have enough capacity: cpu, requested: 7500, capacity: 7000",
        "insufficient_node_allocatable"}},
  }));
  CAPTURE(c.name);
  NodeConfig config;
  if (!c.kube_reserved_cpu.empty()) {
    config.kube_reserved["cpu"] = *Quantity::Parse(c.kube_reserved_cpu);
  }
  auto node = MakeResizeNode(config);
  AdmitOk(*node, ResizePod("a", {{"c", "1", "", "1Gi", "2Gi"}}));
  if (c.reason == ResizeReason::kDeferred) AdmitOk(*node, ResizePod("b", {{"c", "5", "", "", ""}}));
  const NodeState before = node->State();
  const uint64_t version = node->version();

  ResizeDecision d = ResizeOk(*node, ResizePod("a", {{"c", c.cpu_request, "", "1Gi", "2Gi"}}));
  CHECK(d.feasibility.reason == c.reason);
  CHECK(d.feasibility.message == c.message);
  CHECK(d.feasibility.reason_detail == c.reason_detail);
  CHECK(d.base_version == version);
  if (c.reason != ResizeReason::kNone) {
    CHECK_FALSE(d.applied);
    CHECK(d.plan.writes.empty());
    CheckUnchanged(*node, before, version);
    return;
  }
  CHECK(d.applied);
  CHECK(node->version() == version + 1);
  const NodeState after = node->State();
  const Pod& recorded = after.pods.at("a").pod;
  CHECK(ResourceOrZero(recorded.containers[0].resources.requests, "cpu") == *Quantity::Parse("2"));
  // cpu.weight grows for the pod before the container; no memory file changes.
  REQUIRE_FALSE(d.plan.writes.empty());
  CHECK(FirstWrite(d, true, "cpu.weight") < FirstWrite(d, false, "cpu.weight"));
  CHECK(FirstWrite(d, false, "cpu.weight") < d.plan.writes.size());
  CHECK(FirstWrite(d, true, "memory.") == d.plan.writes.size());
  CHECK(FirstWrite(d, false, "memory.") == d.plan.writes.size());
}

TEST_CASE("node: a deferred resize fits once the pod holding the room is removed",
          "[node][resize]") {
  auto node = MakeResizeNode();
  AdmitOk(*node, ResizePod("a", {{"c", "2", "", "", ""}}));
  AdmitOk(*node, ResizePod("b", {{"c", "5", "", "", ""}}));
  const Pod grown = ResizePod("a", {{"c", "4", "", "", ""}});
  CHECK(ResizeOk(*node, grown).feasibility.reason == ResizeReason::kDeferred);
  REQUIRE(node->RemovePod("b").ok());
  ResizeDecision d = ResizeOk(*node, grown);
  CHECK(d.feasibility.feasible);
  CHECK(d.applied);
  // The grown pod now holds the room: b cannot come back at its old size.
  const NodeState before = node->State();
  const uint64_t version = node->version();
  ResizeDecision again = ResizeOk(*node, grown);  // already at the desired size: a no-op
  CHECK(again.feasibility.feasible);
  CHECK(again.plan.writes.empty());
  CHECK_FALSE(again.applied);
  CheckUnchanged(*node, before, version);
}

TEST_CASE("node: resizing a Guaranteed pod's CPUs under the static CPU manager",
          "[node][resize]") {
  NodeConfig config;
  config.cpu_manager_policy = "static";
  config.reserved_system_cpus = *CpuSet::Parse("0");
  const Pod admitted = ResizePod("g", {{"c", "2", "2", "1Gi", "1Gi"}});
  const Pod grown = ResizePod("g", {{"c", "3", "3", "1Gi", "1Gi"}});

  SECTION("gate off: infeasible, nothing changes") {
    auto node = MakeResizeNode(config);
    AdmitOk(*node, admitted);
    const NodeState before = node->State();
    ResizeDecision d = ResizeOk(*node, grown);
    CHECK(d.feasibility.reason == ResizeReason::kInfeasible);
    CHECK(d.feasibility.message ==
          "Resize is infeasible for Guaranteed Pods alongside CPU Manager policy \"static\"");
    CHECK(d.feasibility.reason_detail == "guaranteed_pod_cpu_manager_static_policy");
    CheckUnchanged(*node, before, 1);
    // Counted under the kubelet's infeasible-resize family, once per refused attempt.
    (void)ResizeOk(*node, grown);
    CHECK_THAT(node->MetricsText(),
               Catch::Contains("kubelet_pod_infeasible_resizes_total{reason_detail="
                               "\"guaranteed_pod_cpu_manager_static_policy\"} 2\n"));
  }
  SECTION("gate on: moving exclusive CPUs is refused as an error, nothing changes") {
    config.feature_gates.in_place_pod_vertical_scaling_exclusive_cpus = true;
    auto node = MakeResizeNode(config);
    AdmitOk(*node, admitted);
    const NodeState before = node->State();
    auto d = node->Resize(grown);
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == absl::StatusCode::kUnimplemented);
    CheckUnchanged(*node, before, 1);
  }
  SECTION("a memory-only resize is not blocked by the CPU rule") {
    auto node = MakeResizeNode(config);
    AdmitOk(*node, admitted);
    ResizeDecision d = ResizeOk(*node, ResizePod("g", {{"c", "2", "2", "2Gi", "2Gi"}}));
    CHECK(d.feasibility.feasible);
    CHECK(d.applied);
    // The exclusive container keeps its cpuset; only memory files move.
    for (const CgroupWrite& w : d.plan.writes) CHECK(w.file.rfind("memory.", 0) == 0);
  }
}

TEST_CASE("node: resizing a Guaranteed pod's memory under the Static memory manager",
          "[node][resize]") {
  NodeConfig config;
  config.memory_manager_policy = "Static";
  config.reserved_memory.push_back(MemoryReservation{0, {{"memory", kGi}}});
  auto node = MakeResizeNode(config);
  AdmitOk(*node, ResizePod("g", {{"c", "1", "1", "1Gi", "1Gi"}}));
  const NodeState before = node->State();
  ResizeDecision d = ResizeOk(*node, ResizePod("g", {{"c", "1", "1", "2Gi", "2Gi"}}));
  CHECK(d.feasibility.reason == ResizeReason::kInfeasible);
  CHECK(d.feasibility.message ==
        "Resize is infeasible for Guaranteed Pods alongside Memory Manager policy \"Static\"");
  CHECK(d.feasibility.reason_detail == "guaranteed_pod_memory_manager_static_policy");
  CheckUnchanged(*node, before, 1);
}

TEST_CASE("node: pod-level budget grows and shrinks with containers that inherit it",
          "[node][resize][pod_level]") {
  auto node = MakeResizeNode();
  // "a" inherits the budget; "b" has its own requests only.
  auto budget = [](const char* cpu, const char* memory) {
    return ResizePod("p", {{"a", "", "", "", ""}, {"b", "500m", "", "256Mi", ""}}, cpu, memory);
  };
  AdmitOk(*node, budget("2", "2Gi"));

  ResizeDecision up = ResizeOk(*node, budget("4", "4Gi"));
  REQUIRE(up.applied);
  CHECK(node->State().pods.at("p").pod.resources->limits.at("cpu") == *Quantity::Parse("4"));
  // Memory before CPU; within each, the pod cgroup grows before its containers.
  CHECK(LastWrite(up, true, "memory.") < FirstWrite(up, true, "cpu."));
  CHECK(FirstWrite(up, true, "memory.max") < up.plan.writes.size());
  CHECK(FirstWrite(up, true, "cpu.max") < up.plan.writes.size());
  for (const char* prefix : {"memory.", "cpu."}) {
    CAPTURE(prefix);
    const size_t container = FirstWrite(up, false, prefix);
    if (container < up.plan.writes.size()) CHECK(FirstWrite(up, true, prefix) < container);
  }

  ResizeDecision down = ResizeOk(*node, budget("1", "1Gi"));
  REQUIRE(down.applied);
  CHECK(FirstWrite(down, true, "memory.max") < down.plan.writes.size());
  for (const char* prefix : {"memory.", "cpu."}) {
    CAPTURE(prefix);
    const size_t container = LastWrite(down, false, prefix);
    if (container < down.plan.writes.size()) CHECK(container < FirstWrite(down, true, prefix));
  }
  CHECK(node->version() == 3);
}

TEST_CASE("node: a pod-level budget change keeps the pod's CPU set and memory blocks",
          "[node][resize][pod_level]") {
  // The kubelet's Guaranteed rule compares container requests only, so a pod-level budget
  // change passes it; the pod-level CPU set and memory blocks were computed at admission and
  // stay (KEP-5526 leaves resize out of scope). The record takes the new budget.
  auto node = Node::Create(MakeMachine(1, 1, 4, 8), PodLevelConfig("restricted", "pod", 1));
  REQUIRE(node.ok());
  const NodeState empty = (*node)->State();
  AdmitOk(**node, MakePod("p", "2", "2Gi", {{"a", "", ""}, {"b", "", ""}}));
  const NodeState before = (*node)->State();
  REQUIRE(before.cpu.pod_assignments.contains("p"));
  REQUIRE(before.memory.pod_assignments.contains("p"));

  auto grown = (*node)->Resize(MakePod("p", "3", "3Gi", {{"a", "", ""}, {"b", "", ""}}));
  REQUIRE(grown.ok());
  CHECK(grown->feasibility.feasible);
  CHECK(grown->applied);
  CHECK((*node)->version() == 2);
  const NodeState after = (*node)->State();
  CHECK(after.cpu == before.cpu);
  CHECK(after.memory == before.memory);
  CHECK(after.pods.at("p").pod.resources->limits.at("cpu") == *Quantity::Parse("3"));
  CHECK((*node)->AdmittedPod(PodStateKey(after.pods.at("p").pod)) == after.pods.at("p").pod);
  CHECK_FALSE((*node)->AdmittedPod("q").has_value());
  // The pod cgroup's memory limit grows; the cpuset files are never written.
  CHECK(FirstWrite(*grown, true, "memory.max") < grown->plan.writes.size());
  CHECK(FirstWrite(*grown, true, "cpuset.") == grown->plan.writes.size());

  // The resized pod survives a checkpoint round trip and gives everything back on removal.
  auto files = SaveCheckpoints(**node);
  REQUIRE(files.ok());
  auto restored = Node::Create(MakeMachine(1, 1, 4, 8), PodLevelConfig("restricted", "pod", 1));
  REQUIRE(restored.ok());
  REQUIRE(RestoreFromCheckpoints(**restored, files->cpu_manager, files->memory_manager,
                                 {after.pods.at("p").pod})
              .ok());
  CHECK((*restored)->State().cpu == after.cpu);
  REQUIRE((*node)->RemovePod("p").ok());
  CHECK((*node)->State() == empty);
}

TEST_CASE("node: a container restarted by its resizePolicy gets no in-place writes",
          "[node][resize]") {
  auto node = MakeResizeNode();
  AdmitOk(*node, ResizePod("r", {{"keep", "1", "2", "1Gi", "1Gi"},
                                 {"bounce", "1", "2", "1Gi", "1Gi", "memory"}}));
  ResizeDecision d = ResizeOk(*node, ResizePod("r", {{"keep", "1", "2", "2Gi", "2Gi"},
                                                     {"bounce", "1", "2", "2Gi", "2Gi",
                                                      "memory"}}));
  REQUIRE(d.applied);
  CHECK(d.restarted_containers == std::vector<std::string>{"bounce"});
  bool keep_written = false;
  for (const CgroupWrite& w : d.plan.writes) {
    CHECK(w.cgroup != "bounce");
    keep_written = keep_written || w.cgroup == "keep";
  }
  CHECK(keep_written);
  CHECK(FirstWrite(d, true, "memory.max") < d.plan.writes.size());
}

TEST_CASE("node: resize errors and previews change nothing", "[node][resize]") {
  auto node = MakeResizeNode();
  AdmitOk(*node, ResizePod("a", {{"c", "1", "", "", ""}}));
  const NodeState before = node->State();

  auto unknown = node->Resize(ResizePod("nobody", {{"c", "2", "", "", ""}}));
  CHECK(unknown.status().code() == absl::StatusCode::kNotFound);
  auto renamed = node->Resize(ResizePod("a", {{"other", "2", "", "", ""}}));
  CHECK(renamed.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(renamed.status().message()).find("other") != std::string::npos);
  auto added = node->Resize(ResizePod("a", {{"c", "2", "", "", ""}, {"d", "1", "", "", ""}}));
  CHECK(added.status().code() == absl::StatusCode::kInvalidArgument);

  ResizeUsage usage;
  usage.container_memory["c"] = int64_t{3} << 30;
  auto refused = node->Resize(ResizePod("a", {{"c", "1", "", "", "2Gi"}}), &usage);
  REQUIRE(refused.ok());
  CHECK(refused->feasibility.feasible);
  CHECK(refused->plan.refused);
  CHECK_FALSE(refused->applied);

  auto preview = node->CheckResize(ResizePod("a", {{"c", "2", "", "", ""}}));
  REQUIRE(preview.ok());
  CHECK(preview->feasibility.feasible);
  CHECK_FALSE(preview->applied);
  CheckUnchanged(*node, before, 1);

  // The preview is the decision Resize makes, bar recording it.
  ResizeDecision applied = ResizeOk(*node, ResizePod("a", {{"c", "2", "", "", ""}}));
  ResizeDecision expected = *preview;
  expected.applied = true;
  CHECK(applied == expected);
}

TEST_CASE("node: static pods and the gate are infeasible", "[node][resize]") {
  NodeConfig config;
  SECTION("static pod") {
    auto node = MakeResizeNode(config);
    AdmitOk(*node, ResizePod("a", {{"c", "1", "", "", ""}}));
    auto d = node->Resize(ResizePod("a", {{"c", "2", "", "", ""}}), nullptr, /*static_pod=*/true);
    REQUIRE(d.ok());
    CHECK(d->feasibility.reason_detail == "static_pod");
    CHECK_FALSE(d->applied);
  }
  SECTION("pod-level gate off") {
    config.feature_gates.in_place_pod_level_resources_vertical_scaling = false;
    auto node = MakeResizeNode(config);
    AdmitOk(*node, ResizePod("p", {{"a", "", "", "", ""}}, "1", "1Gi"));
    ResizeDecision d = ResizeOk(*node, ResizePod("p", {{"a", "", "", "", ""}}, "2", "1Gi"));
    CHECK(d.feasibility.message == "InPlacePodLevelResourcesVerticalScaling is disabled");
    CHECK(d.feasibility.reason_detail == "feature_gate_off");
    CHECK(node->version() == 1);
  }
}

TEST_CASE("node: resize decision JSON", "[node][resize][json]") {
  auto node = MakeResizeNode();
  AdmitOk(*node, ResizePod("a", {{"c", "1", "", "", ""}}));
  ResizeDecision d = ResizeOk(*node, ResizePod("a", {{"c", "2", "", "", ""}}));
  const std::string text = ResizeDecisionToJson(d);
  CHECK(text == ResizeDecisionToJson(d));
  json j = json::parse(text);
  // nlohmann::json sorts keys on parsing; the documented order is checked on the text.
  CHECK(text.find("\"pod\"") < text.find("\"feasible\""));
  CHECK(text.find("\"plan\"") < text.find("\"restarted_containers\""));
  CHECK(j["pod"]["uid"] == "a");
  CHECK(j["feasible"] == true);
  CHECK(j["reason"] == "");
  CHECK(j["applied"] == true);
  CHECK(j["base_version"] == 1);
  REQUIRE(j["plan"]["writes"].size() == d.plan.writes.size());
  CHECK(j["plan"]["writes"][0]["cgroup"] == d.plan.writes[0].cgroup);
  CHECK(j["plan"]["writes"][0]["file"] == d.plan.writes[0].file);
}

}  // namespace
}  // namespace podalloc::testing
