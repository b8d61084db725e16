// Restore refuses states that break an invariant, even when each manager's own Start check
// (the kubelet's validateState) would take them: entries for pods or containers it was not
// given, a CPU held twice or reserved or off the machine, memory blocks larger than their
// NUMA nodes. Every refusal names the offending entry and leaves the node as it was.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/node_checkpoint.h"

namespace podalloc::testing {
namespace {

// Two NUMA nodes of eight two-thread cores: CPUs 0-7,16-23 on node 0, 8-15,24-31 on node 1.
// CPU 0 is reserved.
std::unique_ptr<Node> StaticNode() {
  auto node = Node::Create(MakeMachine(2, 1, 8, 16), PodLevelConfig("restricted", "pod", 2));
  REQUIRE(node.ok());
  return std::move(*node);
}

std::vector<Pod> Pods() {
  return {MakePod("pod-level", "4", "4Gi", {{"c1", "2", "2Gi"}, {"c2", "", ""}}),
          MakePod("guaranteed", "", "", {{"app", "3", "2Gi"}}),
          MakePod("two", "", "", {{"a", "1", "1Gi"}, {"b", "1", "1Gi"}}),
          MakePod("best-effort", "", "", {{"app", "", ""}})};
}

std::unique_ptr<Node> LoadedNode() { return AdmitAll(StaticNode(), Pods()); }

// Restores `state` (as edited by the test) into a fresh node and expects `code` with every
// piece of `text` in the message, the node unchanged.
void ExpectRefused(const NodeState& state, absl::StatusCode code,
                   const std::vector<std::string>& text, const RemovedContainers& removed = {}) {
  auto node = StaticNode();
  const Unchanged before(*node);
  const absl::Status s = node->Restore(state.cpu, state.memory, Pods(), removed);
  INFO(s.ToString());
  CHECK(s.code() == code);
  for (const std::string& piece : text) {
    CHECK_THAT(std::string(s.message()), Catch::Contains(piece));
  }
  before.Check();
}

// Moves `cpus` from the shared pool into an entry, keeping the CPU accounting of the file
// whole (as a kubelet could have written it).
void Give(NodeState& s, const std::string& pod, const std::string& container, const CpuSet& cpus) {
  s.cpu.assignments[pod][container] |= cpus;
  s.cpu.default_cpu_set -= cpus;
}

TEST_CASE("node restore: the saved state is accepted as it is", "[node][checkpoint]") {
  const NodeState state = LoadedNode()->State();
  auto node = StaticNode();
  REQUIRE(node->Restore(state.cpu, state.memory, Pods()).ok());
  CHECK(node->State().cpu.assignments == state.cpu.assignments);
}

TEST_CASE("node restore: entries must belong to listed pods and containers",
          "[node][checkpoint]") {
  NodeState s = LoadedNode()->State();
  const auto invalid = absl::StatusCode::kInvalidArgument;

  SECTION("a pod-level entry for a pod that is not listed") {
    s.cpu.pod_assignments["ghost"] = s.cpu.pod_assignments.at("pod-level");
    s.cpu.pod_assignments.erase("pod-level");
    ExpectRefused(s, invalid, {"pod \"ghost\" (podEntries), which is not listed"});
  }
  SECTION("a memory pod-level entry for a pod that is not listed") {
    s.memory.pod_assignments["ghost"] = s.memory.pod_assignments.at("pod-level");
    ExpectRefused(s, invalid, {"memory manager state names pod \"ghost\" (podEntries)"});
  }
  SECTION("a CPU entry for a container the pod lacks") {
    s.cpu.assignments["guaranteed"]["sidecar"] = s.cpu.assignments["guaranteed"]["app"];
    s.cpu.assignments["guaranteed"].erase("app");
    ExpectRefused(s, invalid,
                  {"container \"sidecar\" of pod \"guaranteed\"",
                   "not one of the pod's init or app containers"});
  }
  SECTION("a memory entry for a container the pod lacks") {
    s.memory.assignments["guaranteed"]["other"] = s.memory.assignments["guaranteed"]["app"];
    s.memory.assignments["guaranteed"].erase("app");
    ExpectRefused(s, invalid,
                  {"memory manager state", "container \"other\" of pod \"guaranteed\""});
  }
  SECTION("a pod-level entry for a pod without pod-level resources") {
    s.cpu.pod_assignments["guaranteed"] = s.cpu.assignments.at("guaranteed").at("app");
    ExpectRefused(s, invalid, {"pod \"guaranteed\"", "no pod-level resources"});
  }
  SECTION("a pod-level entry without container entries could never be released") {
    s.cpu.assignments.erase("pod-level");
    ExpectRefused(s, invalid, {"pod \"pod-level\"", "no entry for any of its containers"});
  }
}

TEST_CASE("node restore: every CPU is held once, on the machine, never reserved",
          "[node][checkpoint]") {
  NodeState s = LoadedNode()->State();
  const auto failed = absl::StatusCode::kFailedPrecondition;
  const CpuSet guaranteed = s.cpu.assignments.at("guaranteed").at("app");
  const int free_cpu = *(s.cpu.default_cpu_set - *CpuSet::Parse("0")).begin();

  SECTION("two pods' containers owning CPU 21") {
    // Whoever held CPU 21 keeps it; it is also given to the BestEffort pod's container.
    const CpuSet cpu21 = *CpuSet::Parse("21");
    if (s.cpu.default_cpu_set.Contains(21)) Give(s, "guaranteed", "app", cpu21);
    s.cpu.assignments["best-effort"]["app"] = cpu21;
    ExpectRefused(s, failed, {"CPU 21 is held by pod \"best-effort\" container \"app\" and by"});
  }
  SECTION("two app containers of one pod sharing a CPU") {
    Give(s, "two", "b", s.cpu.assignments.at("two").at("a"));
    ExpectRefused(s, failed,
                  {"is held by pod \"two\" container \"a\" and by pod \"two\" container \"b\""});
  }
  SECTION("a reserved CPU held exclusively") {
    Give(s, "guaranteed", "app", *CpuSet::Parse("0"));
    ExpectRefused(s, failed, {"pod \"guaranteed\" container \"app\"", "reserved CPUs \"0\""});
  }
  SECTION("a CPU the machine does not have") {
    s.cpu.assignments["guaranteed"]["app"] |= *CpuSet::Parse("40");
    ExpectRefused(s, failed, {"pod \"guaranteed\" container \"app\" holds CPUs \"40\""});
  }
  SECTION("a shared pool CPU the machine does not have") {
    s.cpu.default_cpu_set |= *CpuSet::Parse("63");
    ExpectRefused(s, failed, {"defaultCpuSet holds CPUs \"63\""});
  }
  SECTION("a pod-level set overlapping the shared pool") {
    s.cpu.pod_assignments["pod-level"] |= CpuSet::FromVector({free_cpu});
    ExpectRefused(s, failed, {"pod \"pod-level\" (podEntries)", "also in defaultCpuSet"});
  }
  SECTION("a pod-level container outside its pod's set") {
    Give(s, "pod-level", "c2", CpuSet::FromVector({free_cpu}));
    ExpectRefused(s, failed, {"pod \"pod-level\" container \"c2\"", "outside the pod's set"});
  }
  SECTION("the kubelet's own check still applies: an entry overlapping the shared pool") {
    s.cpu.default_cpu_set |= guaranteed;
    ExpectRefused(s, failed, {"pod: guaranteed, container: app", "overlaps with default cpuset"});
  }
}

TEST_CASE("node restore: memory blocks never promise more than a NUMA node has",
          "[node][checkpoint]") {
  NodeState s = LoadedNode()->State();
  // The block asks for 64Gi of a 16Gi node; the machine state is what the kubelet's replay
  // makes of it (it charges what fits), so the kubelet's own check would pass.
  MemoryBlock& block = s.memory.assignments["guaranteed"]["app"].front();
  REQUIRE(block.numa_affinity.Count() == 1);
  block.size = 64 * kGi;
  MemoryTable* table =
      s.memory.machine.Node(block.numa_affinity.GetBits().front())->Find(block.type);
  REQUIRE(table != nullptr);
  table->reserved = table->allocatable;
  table->free = 0;
  ExpectRefused(s, absl::StatusCode::kFailedPrecondition,
                {"(pod: guaranteed, container: app)", "68719476736 bytes of memory",
                 "exceeds their free memory"});
}

TEST_CASE("node restore: removed containers stay removed", "[node][checkpoint]") {
  auto node = LoadedNode();
  REQUIRE(node->RemoveContainer("two", "b").ok());
  REQUIRE(node->RemoveContainer("pod-level", "c1").ok());
  const NodeState saved = node->State();
  const RemovedContainers removed = RemovedContainersOf(saved);
  CHECK(removed == RemovedContainers{{"pod-level", {"c1"}}, {"two", {"b"}}});
  auto files = SaveCheckpoints(*node);
  REQUIRE(files.ok());

  SECTION("restored with the removed containers: the saved state") {
    auto restored = StaticNode();
    REQUIRE(RestoreFromCheckpoints(*restored, files->cpu_manager, files->memory_manager, Pods(),
                                   removed)
                .ok());
    const NodeState state = restored->State();
    CHECK(state.pods == saved.pods);
    CHECK(state.cpu.assignments == saved.cpu.assignments);
    CHECK(state.memory.assignments == saved.memory.assignments);
    CHECK(restored->RemoveContainer("two", "b").code() == absl::StatusCode::kNotFound);
    // The pod-level pod's set goes back with its last container, as on the saved node.
    REQUIRE(restored->RemoveContainer("pod-level", "c2").ok());
    CHECK_FALSE(restored->State().cpu.pod_assignments.contains("pod-level"));
  }
  SECTION("through the pods' annotation") {
    nlohmann::json list = nlohmann::json::array();
    for (const Pod& pod : Pods()) {
      nlohmann::json j = {{"metadata", {{"name", pod.name}, {"uid", pod.uid}}},
                          {"spec", {{"containers", nlohmann::json::array()}}}};
      for (const Container& c : pod.containers) {
        j["spec"]["containers"].push_back({{"name", c.name}});
      }
      if (auto r = removed.find(pod.uid); r != removed.end()) {
        std::string names;
        for (const std::string& n : r->second) names += (names.empty() ? "" : ", ") + n;
        j["metadata"]["annotations"][kRemovedContainersAnnotation] = names;
      }
      list.push_back(j);
    }
    auto parsed = ParsePodsToRestore(list.dump());
    REQUIRE(parsed.ok());
    CHECK(parsed->removed == removed);
  }
  SECTION("a state entry for a container said to be removed") {
    const NodeState loaded = LoadedNode()->State();
    ExpectRefused(loaded, absl::StatusCode::kInvalidArgument,
                  {"container \"c1\" of pod \"pod-level\", which was removed"},
                  {{"pod-level", {"c1"}}});
  }
  SECTION("removed containers the pod does not have, or every container") {
    ExpectRefused(saved, absl::StatusCode::kInvalidArgument,
                  {"pod \"two\": removed container \"zz\" is not one of its init or app"},
                  {{"two", {"zz"}}});
    ExpectRefused(saved, absl::StatusCode::kInvalidArgument,
                  {"pod \"two\": every container is removed"}, {{"two", {"a", "b"}}});
    ExpectRefused(saved, absl::StatusCode::kInvalidArgument,
                  {"removed containers are given for pod \"ghost\", which is not listed"},
                  {{"ghost", {"a"}}});
  }
}

TEST_CASE("node restore: the removed-containers annotation is a comma-separated string",
          "[node][checkpoint]") {
  auto with = [](const nlohmann::json& value) {
    const nlohmann::json metadata = {{"uid", "u"},
                                     {"annotations", {{kRemovedContainersAnnotation, value}}}};
    const nlohmann::json spec = {{"containers", {{{"name", "a"}}, {{"name", "b"}}}}};
    return nlohmann::json::array({{{"metadata", metadata}, {"spec", spec}}}).dump();
  };
  auto ok = ParsePodsToRestore(with(" b ,a"));
  REQUIRE(ok.ok());
  CHECK(ok->removed == RemovedContainers{{"u", {"a", "b"}}});
  const absl::Status number = ParsePodsToRestore(with(3)).status();
  CHECK(number.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(
      std::string(number.message()),
      Catch::StartsWith("pods[0].metadata.annotations[\"podalloc.dev/removed-containers\"]"));
  const absl::Status empty = ParsePodsToRestore(with("a,,b")).status();
  CHECK(empty.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(empty.message()), Catch::Contains("an empty container name"));
}

}  // namespace
}  // namespace podalloc::testing
