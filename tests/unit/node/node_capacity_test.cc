// The node's capacity inputs beyond the machine (podsPerCore, nodeCapacity) and the reserved
// CPUs the static policy derives from kubeReserved and systemReserved.
#include <string>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"

namespace podalloc::testing {
namespace {

Quantity Q(const char* text) { return *Quantity::Parse(text); }

std::unique_ptr<Node> Create(const Topology& machine, const std::string& config_json) {
  auto config = ParseNodeConfig(config_json);
  INFO(config_json << " -> " << config.status().ToString());
  REQUIRE(config.ok());
  auto node = Node::Create(machine, *config);
  INFO(node.status().ToString());
  REQUIRE(node.ok());
  return *std::move(node);
}

TEST_CASE("node capacity: pods from maxPods and podsPerCore", "[node][config][capacity]") {
  const Topology machine = MakeMachine(1, 1, 4, 8);  // 8 CPUs
  CHECK(Create(machine, "{}")->Allocatable().at("pods") == Q("110"));
  CHECK(Create(machine, R"({"podsPerCore": 2})")->Allocatable().at("pods") == Q("16"));
  CHECK(Create(machine, R"({"podsPerCore": 2, "maxPods": 10})")->Allocatable().at("pods") ==
        Q("10"));
  CHECK(Create(machine, R"({"podsPerCore": 0, "maxPods": 10})")->Allocatable().at("pods") ==
        Q("10"));
  CHECK_FALSE(ParseNodeConfig(R"({"podsPerCore": -1})").ok());
}

TEST_CASE("node capacity: ephemeral-storage and extended resources from nodeCapacity",
          "[node][config][capacity]") {
  const Topology machine = MakeMachine(1, 1, 2, 8);
  auto node = Create(machine, R"({"nodeCapacity": {"ephemeral-storage": "100Gi",
                                                     "example.com/gpu": "4"},
                                   "systemReserved": {"ephemeral-storage": "1Gi"},
                                   "evictionHard": {"nodefs.available": "10Gi"}})");
  const ResourceList a = node->Allocatable();
  CHECK(a.at("ephemeral-storage") == Q("100Gi") - Q("1Gi") - Q("10Gi"));
  CHECK(a.at("example.com/gpu") == Q("4"));

  auto [text, field, words] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"nodeCapacity": {"cpu": "4"}})", "nodeCapacity.cpu", "not ephemeral-storage"},
      {R"({"nodeCapacity": {"hugepages-2Mi": "1Gi"}})", "nodeCapacity.hugepages-2Mi",
       "an extended resource"},
      {R"({"nodeCapacity": {"example.com/gpu": "1500m"}})", "nodeCapacity.example.com/gpu",
       "whole number"},
      {R"({"nodeCapacity": {"ephemeral-storage": "-1"}})", "nodeCapacity.ephemeral-storage",
       "cannot be negative"},
      {R"({"nodeCapacity": {"ephemeral-storage": "lots"}})", "nodeCapacity.ephemeral-storage",
       "not a quantity"},
  }));
  CAPTURE(text);
  auto bad = ParseNodeConfig(text);
  REQUIRE_FALSE(bad.ok());
  const std::string message(bad.status().message());
  CAPTURE(message);
  CHECK(message.rfind(field + ": ", 0) == 0);
  CHECK(message.find(words) != std::string::npos);
}

TEST_CASE("node capacity: reserved CPUs come from kubeReserved.cpu + systemReserved.cpu",
          "[node][config][reserved]") {
  // 8 CPUs, core c holds CPUs c and c + 4.
  const Topology machine = MakeMachine(1, 1, 4, 8);
  const std::string reservation =
      R"("cpuManagerPolicy": "static", "kubeReserved": {"cpu": "1"}, "systemReserved": {"cpu": "500m"})";
  SECTION("ceil(1.5) = 2 CPUs, one whole core; allocatable keeps the fraction") {
    auto node = Create(machine, "{" + reservation + "}");
    CHECK(node->ReservedCpus() == *CpuSet::Parse("0,4"));
    CHECK(node->Allocatable().at("cpu") == Q("6500m"));
    CHECK(node->State().cpu.default_cpu_set == machine.cpus());
  }
  SECTION("strict-cpu-reservation takes them out of the shared pool") {
    auto node = Create(machine, "{" + reservation +
                                    R"(, "cpuManagerPolicyOptions": {"strict-cpu-reservation": "true"}})");
    CHECK(node->ReservedCpus() == *CpuSet::Parse("0,4"));
    CHECK(node->State().cpu.default_cpu_set == *CpuSet::Parse("1-3,5-7"));
  }
  SECTION("distribute-cpus-across-cores spreads them over cores") {
    auto node = Create(machine, "{" + reservation +
                                    R"(, "cpuManagerPolicyOptions": {"distribute-cpus-across-cores": "true"},
                                   "featureGates": {"CPUManagerPolicyAlphaOptions": true}})");
    CHECK(node->ReservedCpus() == *CpuSet::Parse("0-1"));
  }
  SECTION("reservedSystemCPUs wins and replaces the cpu reservation") {
    auto node = Create(machine, "{" + reservation + R"(, "reservedSystemCPUs": "2,6,7"})");
    CHECK(node->ReservedCpus() == *CpuSet::Parse("2,6-7"));
    CHECK(node->Allocatable().at("cpu") == Q("5"));
    CHECK(NodeAllocatableAbsolute(machine, node->config()).at("cpu") == Q("5"));
  }
  SECTION("policy none reserves no CPUs but allocatable still counts the reservation") {
    auto node = Create(machine, R"({"kubeReserved": {"cpu": "1"}})");
    CHECK(node->ReservedCpus().IsEmpty());
    CHECK(node->Allocatable().at("cpu") == Q("7"));
  }
  SECTION("the static policy without a cpu reservation") {
    auto config = ParseNodeConfig(R"({"cpuManagerPolicy": "static"})");
    REQUIRE(config.ok());
    auto node = Node::Create(machine, *config);
    REQUIRE_FALSE(node.ok());
    CHECK(node.status().message() ==
          "[cpumanager] unable to determine reserved CPU resources for static policy");
  }
}

}  // namespace
}  // namespace podalloc::testing
