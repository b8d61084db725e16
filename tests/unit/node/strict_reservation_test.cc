// strict-cpu-reservation keeps the reserved CPUs out of the shared pool, so exclusive
// allocations could empty it; the kubelet then writes a checkpoint whose validateState it
// refuses on restart ("default cpuset cannot be empty"). The allocation that would empty the
// pool is refused instead, and a node always restores its own checkpoint
// (tests/data/repro/node_config-strict-cpu-reservation-restore-fails.json: a 4-CPU machine,
// CPU 0 reserved, one 3-CPU pod).
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/node_checkpoint.h"
#include "podalloc/node_config.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

NodeConfig ReproConfig() {
  const auto path =
      TestDataDir() / "repro" / "node_config-strict-cpu-reservation-restore-fails.json";
  std::ifstream in(path);
  REQUIRE(in.good());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto config = ParseNodeConfig(text);
  INFO(config.status().ToString());
  REQUIRE(config.ok());
  return *config;
}

// One socket, one NUMA node, two two-thread cores: CPUs 0-3, CPU 0 reserved.
const Topology& FourCpus() {
  static const Topology machine = MakeMachine(1, 1, 2, 4);
  return machine;
}

std::unique_ptr<Node> MakeNode(const NodeConfig& config) {
  auto node = Node::Create(FourCpus(), config);
  INFO(node.status().ToString());
  REQUIRE(node.ok());
  return std::move(*node);
}

void CheckRoundTrip(const Node& node, const NodeConfig& config) {
  auto files = SaveCheckpoints(node);
  REQUIRE(files.ok());
  std::vector<Pod> pods;
  for (const auto& [key, record] : node.State().pods) pods.push_back(record.pod);
  auto fresh = MakeNode(config);
  const absl::Status s = RestoreFromCheckpoints(*fresh, files->cpu_manager, files->memory_manager,
                                                pods);
  INFO(s.ToString() << "\n" << files->cpu_manager);
  REQUIRE(s.ok());
  CHECK(SaveCheckpoints(*fresh)->cpu_manager == files->cpu_manager);
  CHECK(fresh->State().cpu.assignments == node.State().cpu.assignments);
}

TEST_CASE("node strict-cpu-reservation: the last shared CPU is never handed out",
          "[node][checkpoint][strict]") {
  const NodeConfig config = ReproConfig();
  REQUIRE(config.reserved_system_cpus.ToString() == "0");
  auto node = MakeNode(config);
  REQUIRE(node->State().cpu.default_cpu_set.ToString() == "1-3");

  SECTION("a 3-CPU pod would take the whole shared pool") {
    const NodeState before = node->State();
    auto d = node->AdmitAndCommit(MakePod("p", "", "", {{"c", "3", "1Gi"}}));
    REQUIRE(d.ok());
    CHECK_FALSE(d->admitted);
    CHECK(d->reason == "UnexpectedAdmissionError");
    CHECK_THAT(d->message, Catch::Contains("would leave the shared pool empty"));
    CHECK(node->State() == before);
    CheckRoundTrip(*node, config);
  }
  SECTION("two CPUs are taken, the third stays shared, and the node restores its checkpoint") {
    auto d = node->AdmitAndCommit(MakePod("p", "", "", {{"c", "2", "1Gi"}}));
    REQUIRE(d.ok());
    REQUIRE(d->admitted);
    CHECK(node->State().cpu.default_cpu_set.Size() == 1);
    CheckRoundTrip(*node, config);
    auto last = node->AdmitAndCommit(MakePod("q", "", "", {{"c", "1", "1Gi"}}));
    REQUIRE(last.ok());
    CHECK_FALSE(last->admitted);
    CheckRoundTrip(*node, config);
  }
}

TEST_CASE("node strict-cpu-reservation: a pod-level set may not empty the shared pool either",
          "[node][strict]") {
  NodeConfig config = ReproConfig();
  config.topology_manager_policy = "best-effort";
  config.topology_manager_scope = "pod";
  config.feature_gates.pod_level_resources = true;
  config.feature_gates.pod_level_resource_managers = true;
  auto node = MakeNode(config);
  auto d = node->AdmitAndCommit(MakePod("p", "3", "1Gi", {{"c", "", ""}}));
  REQUIRE(d.ok());
  CHECK_FALSE(d->admitted);
  CHECK_THAT(d->message, Catch::Contains("would leave the shared pool empty"));
  auto two = node->AdmitAndCommit(MakePod("q", "2", "1Gi", {{"c", "", ""}}));
  REQUIRE(two.ok());
  CHECK(two->admitted);
  CheckRoundTrip(*node, config);
}

TEST_CASE("node strict-cpu-reservation: a kubelet checkpoint with an empty shared pool is refused "
          "as the kubelet's validateState refuses it",
          "[node][checkpoint][strict]") {
  auto node = MakeNode(ReproConfig());
  const Unchanged before(*node);
  CpuManagerState cpu;
  cpu.assignments["p"]["c"] = *CpuSet::Parse("1-3");
  const absl::Status s =
      node->Restore(cpu, MemoryManagerState(), {MakePod("p", "", "", {{"c", "3", "1Gi"}})});
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(s.message() == "default cpuset cannot be empty");
  before.Check();
}

}  // namespace
}  // namespace podalloc::testing
