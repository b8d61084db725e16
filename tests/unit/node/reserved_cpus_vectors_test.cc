// conformance/node_admission/reserved_cpus.json: how many CPUs the static policy reserves and
// which, through StaticPolicyReservedCpuCount and CpuStaticPolicy::Create (the kubelet's
// NewManager rows), Node::Create (count, set, allocatable, errors) and ParseNodeConfig (the
// configuration validation rows).
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "admission_vectors.h"
#include "node_test_support.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/topology_json.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

using nlohmann::json;

CpuSet CpusOf(const std::string& text) {
  auto set = CpuSet::Parse(text);
  INFO(text);
  REQUIRE(set.ok());
  return *set;
}

Quantity Q(const json& text) {
  auto q = Quantity::Parse(text.get<std::string>());
  REQUIRE(q.ok());
  return *q;
}

void CheckError(const json& want, const absl::Status& got) {
  const std::string message(got.message());
  CAPTURE(message);
  REQUIRE_FALSE(got.ok());
  if (want.contains("error")) CHECK(message == want["error"].get<std::string>());
  if (want.contains("error_substring")) {
    CHECK(message.find(want["error_substring"].get<std::string>()) != std::string::npos);
  }
  if (want.contains("error_prefix")) {
    CHECK(message.rfind(want["error_prefix"].get<std::string>(), 0) == 0);
  }
}

// TestCPUManagerGenerate: NewManager given a reservation map directly.
void NewCpuManager(const json& row) {
  TopologySpec spec;
  for (const json& c : row.at("machine").at("cpus")) {
    spec.cpus.push_back(CpuInfo{c.at("cpu"), c.at("core"), c.at("socket"), c.at("numa"),
                                c.at("socket"), 0});
  }
  auto topology = Topology::Build(spec);
  REQUIRE(topology.ok());
  const json& want = row.at("expected");
  if (row.at("cpu_manager_policy") == "none") {
    CHECK(want.at("policy") == "none");
    return;
  }
  const ResourceList reservation = VectorList(row.at("node_allocatable_reservation"), "reservation");
  absl::StatusOr<int> count = StaticPolicyReservedCpuCount(FindResource(reservation, "cpu"));
  if (want.contains("error_substring")) {
    CheckError(want, count.status());
    return;
  }
  REQUIRE(count.ok());
  CpuStaticPolicyConfig config;
  config.num_reserved_cpus = *count;
  config.reserved_cpus = CpusOf(row.at("reserved_system_cpus"));
  auto policy = CpuStaticPolicy::Create(*topology, config);
  REQUIRE(policy.ok());
  CHECK(want.at("policy") == "static");
  CHECK(policy->reserved_cpus() == CpusOf(want.at("reserved_cpus")));
}

// The kubelet's start-up from kubeReserved, systemReserved and reservedSystemCPUs on an
// 8-CPU machine (4 cores x 2 threads).
void NumReservedCpus(const json& row) {
  const int cpus = std::stoi(row.at("cpu_capacity").get<std::string>());
  REQUIRE(cpus % 2 == 0);
  const Topology machine = MakeMachine(1, 1, cpus / 2, 8);
  json config = {{"cpuManagerPolicy", row.at("cpu_manager_policy")},
                 {"reservedSystemCPUs", row.at("reserved_system_cpus")}};
  if (!row.at("kube_reserved").empty()) config["kubeReserved"] = row["kube_reserved"];
  if (!row.at("system_reserved").empty()) config["systemReserved"] = row["system_reserved"];
  auto parsed = ParseNodeConfig(config.dump());
  INFO(config.dump());
  REQUIRE(parsed.ok());
  auto node = Node::Create(machine, *parsed);
  const json& want = row.at("expected");
  if (want.contains("error") || want.contains("error_prefix")) {
    CheckError(want, node.status());
    return;
  }
  INFO(node.status().ToString());
  REQUIRE(node.ok());
  const ResourceList reservation = NodeAllocatableReservation(machine, *parsed);
  CHECK(ResourceOrZero(reservation, "cpu") == Q(want.at("cpu_reservation")));
  CHECK((*node)->ReservedCpus().Size() == want.at("num_reserved_cpus").get<int>());
  CHECK((*node)->Allocatable().at("cpu") == Q(want.at("node_allocatable_cpu")));
  if (want.contains("reserved_cpus")) {
    CHECK((*node)->ReservedCpus() == CpusOf(want["reserved_cpus"]));
  }
}

// Which CPUs: the static policy's take on a kubelet test topology with its options.
void ReservedSet(const json& row, const json& topologies) {
  auto topology =
      KubeletTestTopologyByName(topologies, row.at("topology").get<std::string>(),
                                KubeletNullCount::kZero);
  REQUIRE(topology.ok());
  const int n = row.at("num_reserved_cpus");
  json config = {{"cpuManagerPolicy", "static"},
                 {"reservedSystemCPUs", row.at("reserved_system_cpus")},
                 {"kubeReserved", {{"cpu", std::to_string(n)}}},
                 {"cpuManagerPolicyOptions", row.at("options")},
                 {"featureGates", row.value("feature_gates", json::object())}};
  if (config["cpuManagerPolicyOptions"].empty()) config.erase("cpuManagerPolicyOptions");
  auto parsed = ParseNodeConfig(config.dump());
  INFO(config.dump());
  REQUIRE(parsed.ok());
  auto node = Node::Create(*topology, *parsed);
  const json& want = row.at("expected");
  if (want.contains("error")) {
    CheckError(want, node.status());
    return;
  }
  INFO(node.status().ToString());
  REQUIRE(node.ok());
  const CpuSet reserved = (*node)->ReservedCpus();
  CHECK(reserved == CpusOf(want.at("reserved_cpus")));
  CHECK(topology->cpus() - reserved == CpusOf(want.at("allocatable_cpus")));
  if (want.contains("initial_default_cpuset")) {
    CHECK((*node)->State().cpu.default_cpu_set == CpusOf(want["initial_default_cpuset"]));
  }
  // The hyperthread siblings, from the policy itself.
  CpuStaticPolicyConfig c;
  c.options = parsed->cpu_manager_policy_options;
  c.gates.alpha_options = parsed->feature_gates.cpu_manager_policy_alpha_options;
  c.gates.beta_options = parsed->feature_gates.cpu_manager_policy_beta_options;
  c.num_reserved_cpus = n;
  auto policy = CpuStaticPolicy::Create(*topology, c);
  REQUIRE(policy.ok());
  CHECK(policy->reserved_cpus() == reserved);
  CHECK(policy->reserved_physical_cpus() == CpusOf(want.at("reserved_physical_cpus")));
}

// TestValidateKubeletConfiguration: the fields over the test's valid base configuration.
void ValidateConfig(const json& row) {
  const json config = row.at("config_over_success_config");
  auto parsed = ParseNodeConfig(config.dump());
  INFO(config.dump());
  const json& want = row.at("expected");
  if (want.value("valid", false)) {
    CHECK(parsed.ok());
    return;
  }
  CheckError(want, parsed.status());
}

TEST_CASE("node admission vectors: reserved_cpus.json", "[node][admission][vectors]") {
  const json topologies = LoadVectors("cpumanager/topologies.json");
  RunVectorRows("reserved_cpus.json", LoadVectors("node_admission/reserved_cpus.json"),
                [&](const json& row) {
                  const std::string op = row.at("op");
                  if (op == "new_cpu_manager") {
                    NewCpuManager(row);
                  } else if (op == "num_reserved_cpus") {
                    NumReservedCpus(row);
                  } else if (op == "reserved_set") {
                    ReservedSet(row, topologies);
                  } else if (op == "validate_config") {
                    ValidateConfig(row);
                  } else {
                    FAIL("unknown op " << op);
                  }
                });
}

}  // namespace
}  // namespace podalloc::testing
