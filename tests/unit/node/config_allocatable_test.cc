// NodeConfig's node-allocatable keys (kubeReserved, systemReserved, evictionHard, maxPods),
// the resize feature gates, and the capacity and allocatable computed from them.
#include <string>

#include <catch2/catch.hpp>

#include "node_test_support.h"

namespace podalloc::testing {
namespace {

Quantity Q(const char* text) { return *Quantity::Parse(text); }

NodeConfig ParseOk(const std::string& text) {
  auto c = ParseNodeConfig(text);
  INFO(text << " -> " << (c.ok() ? "ok" : std::string(c.status().message())));
  REQUIRE(c.ok());
  return *c;
}

TEST_CASE("node config: node allocatable keys and resize gates", "[node][config]") {
  NodeConfig c = ParseOk(R"({
    "kubeReserved": {"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi", "pid": "100"},
    "systemReserved": {"memory": "256Mi"},
    "evictionHard": {"memory.available": "100Mi", "nodefs.available": "10%",
                     "imagefs.inodesFree": "0%"},
    "maxPods": 32,
    "featureGates": {"InPlacePodVerticalScalingExclusiveCPUs": true,
                     "InPlacePodLevelResourcesVerticalScaling": false, "MemoryManager": true,
                     "InPlacePodVerticalScaling": true,
                     "InPlacePodVerticalScalingExclusiveMemory": true}})");
  CHECK(c.kube_reserved.at("cpu") == Q("500m"));
  CHECK(c.kube_reserved.at("pid") == Q("100"));
  CHECK(c.system_reserved.at("memory") == Q("256Mi"));
  CHECK(c.eviction_hard.at("memory.available").quantity == Q("100Mi"));
  CHECK(c.eviction_hard.at("nodefs.available").percentage == 0.1f);
  CHECK_FALSE(c.eviction_hard.at("imagefs.inodesFree").quantity.has_value());
  CHECK(c.eviction_hard.at("imagefs.inodesFree").percentage == 0.0f);
  CHECK(c.max_pods == 32);
  CHECK(c.feature_gates.in_place_pod_vertical_scaling_exclusive_cpus);
  CHECK(c.feature_gates.in_place_pod_vertical_scaling_exclusive_memory);
  CHECK_FALSE(c.feature_gates.in_place_pod_level_resources_vertical_scaling);

  const NodeConfig defaults = ParseOk("{}");
  CHECK(defaults.max_pods == 110);
  CHECK(defaults.feature_gates.in_place_pod_vertical_scaling);
  CHECK_FALSE(defaults.feature_gates.in_place_pod_vertical_scaling_exclusive_cpus);
  CHECK_FALSE(defaults.feature_gates.in_place_pod_vertical_scaling_exclusive_memory);
  CHECK(defaults.feature_gates.in_place_pod_level_resources_vertical_scaling);
  CHECK(defaults.feature_gates.memory_manager);
  CHECK_FALSE(defaults.HasNodeAllocatableReservation());
}

TEST_CASE("node config: bad node allocatable values name the field", "[node][config]") {
  auto [text, field, words] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"kubeReserved": {"hugepages-2Mi": "1Gi"}})", "kubeReserved.hugepages-2Mi",
       "cannot reserve \"hugepages-2Mi\" resource"},
      {R"({"kubeReserved": {"gpu": "1"}})", "kubeReserved.gpu", "cannot reserve"},
      {R"({"systemReserved": {"cpu": "-1"}})", "systemReserved.cpu", "cannot be negative"},
      {R"({"systemReserved": {"memory": "lots"}})", "systemReserved.memory", "not a quantity"},
      {R"({"systemReserved": {"memory": 5}})", "systemReserved.memory", "want a string"},
      {R"({"kubeReserved": "1"})", "kubeReserved", "want an object"},
      {R"({"evictionHard": {"memory.free": "1Gi"}})", "evictionHard.memory.free",
       "unsupported eviction signal memory.free"},
      {R"({"evictionHard": {"memory.available": "0"}})", "evictionHard.memory.available",
       "must be positive"},
      {R"({"evictionHard": {"memory.available": "150%"}})", "evictionHard.memory.available",
       "must be <= 100%"},
      {R"({"evictionHard": {"memory.available": "-5%"}})", "evictionHard.memory.available",
       "must be >= 0%"},
      {R"({"evictionHard": {"nodefs.available": "x%"}})", "evictionHard.nodefs.available",
       "not a percentage"},
      {R"({"maxPods": -1})", "maxPods", "non-negative"},
      {R"({"maxPods": "110"})", "maxPods", "non-negative"},
      {R"({"featureGates": {"InPlacePodVerticalScalingExclusiveCPU": true}})",
       "featureGates.InPlacePodVerticalScalingExclusiveCPU", "unknown feature gate"},
  }));
  CAPTURE(text);
  auto c = ParseNodeConfig(text);
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
  const std::string message(c.status().message());
  CAPTURE(message);
  CHECK(message.rfind(field + ": ", 0) == 0);
  CHECK(message.find(words) != std::string::npos);
}

TEST_CASE("node config: capacity and allocatable from the machine", "[node][config]") {
  TopologySpec spec = MakeMachine(1, 2, 2, 4).spec();  // 8 CPUs, 2 x 4Gi
  spec.numa_nodes[0].hugepages.push_back(HugePages{2u << 20, 512});  // 1Gi of 2Mi pages
  spec.numa_nodes[1].hugepages.push_back(HugePages{2u << 20, 256});  // 512Mi
  const Topology machine = *Topology::Build(spec);

  NodeConfig config;
  config.max_pods = 20;
  ResourceList capacity = NodeCapacity(machine, config);
  CHECK(capacity.at("cpu") == Q("8"));
  CHECK(capacity.at("memory") == Q("8Gi"));
  CHECK(capacity.at("hugepages-2Mi") == Q("1536Mi"));
  CHECK(capacity.at("pods") == Q("20"));
  CHECK(capacity.size() == 4);

  SECTION("nothing reserved: huge pages still leave memory") {
    ResourceList a = NodeAllocatable(machine, config);
    CHECK(a.at("memory") == Q("6656Mi"));
    CHECK(a.at("cpu") == Q("8"));
    CHECK(NodeAllocatableAbsolute(machine, config) == a);
  }
  SECTION("kubeReserved, systemReserved and a hard eviction quantity") {
    config.kube_reserved = {{"cpu", Q("500m")}, {"memory", Q("512Mi")}};
    config.system_reserved = {{"memory", Q("512Mi")}, {"pid", Q("1000")}};
    config.eviction_hard["memory.available"] = EvictionThreshold{Q("100Mi"), 0};
    ResourceList reservation = NodeAllocatableReservation(machine, config);
    CHECK(reservation.at("memory") == Q("1124Mi"));
    CHECK(reservation.at("cpu") == Q("500m"));
    ResourceList a = NodeAllocatable(machine, config);
    CHECK(a.at("cpu") == Q("7500m"));
    CHECK(a.at("memory") == Q("8Gi") - Q("1124Mi") - Q("1536Mi"));
    CHECK(a.at("pods") == Q("20"));
    CHECK(a.count("pid") == 0);  // not a capacity of the machine description
    // The absolute allocatable leaves the eviction threshold in.
    CHECK(NodeAllocatableAbsolute(machine, config).at("memory") ==
          Q("8Gi") - Q("1Gi") - Q("1536Mi"));
  }
  SECTION("a percentage threshold is of memory capacity, truncated to bytes") {
    config.eviction_hard["memory.available"] = EvictionThreshold{std::nullopt, 0.1f};
    const auto expected = static_cast<int64_t>(8.0 * (1 << 30) * static_cast<double>(0.1f));
    CHECK(NodeAllocatableReservation(machine, config).at("memory") ==
          Quantity::FromValue(expected));
  }
  SECTION("reservations above capacity clamp at zero") {
    config.system_reserved = {{"cpu", Q("16")}};
    CHECK(NodeAllocatable(machine, config).at("cpu").IsZero());
  }
}

TEST_CASE("node config: the Static memory manager checks reservedMemory against allocatable",
          "[node][config]") {
  const Topology machine = MakeMachine(1, 2, 2, 4);
  NodeConfig config;
  config.memory_manager_policy = "Static";
  config.reserved_memory = {MemoryReservation{0, {{"memory", kGi / 2}}},
                            MemoryReservation{1, {{"memory", kGi / 2}}}};
  SECTION("no reservation keys: reservedMemory is the reservation") {
    auto node = Node::Create(machine, config);
    REQUIRE(node.ok());
    CHECK((*node)->Allocatable().at("memory") == Q("7Gi"));
  }
  SECTION("kubeReserved + evictionHard equal to the reservedMemory total") {
    config.kube_reserved = {{"memory", Q("924Mi")}};
    config.eviction_hard["memory.available"] = EvictionThreshold{Q("100Mi"), 0};
    auto node = Node::Create(machine, config);
    INFO((node.ok() ? "" : std::string(node.status().message())));
    REQUIRE(node.ok());
    CHECK((*node)->Allocatable().at("memory") == Q("7Gi"));
  }
  SECTION("a reservation above capacity stops the node") {
    config.memory_manager_policy = "None";
    config.reserved_memory.clear();
    config.kube_reserved = {{"cpu", Q("6")}};
    config.system_reserved = {{"cpu", Q("3")}};
    auto node = Node::Create(machine, config);
    REQUIRE_FALSE(node.ok());
    CHECK(std::string(node.status().message()) ==
          "invalid Node Allocatable configuration. Resource \"cpu\" has a reservation of 9 but "
          "capacity of 8. Expected capacity >= reservation. (kubeReserved + systemReserved + "
          "evictionHard)");
  }
  SECTION("a mismatch is the kubelet's error") {
    config.system_reserved = {{"memory", Q("2Gi")}};
    auto node = Node::Create(machine, config);
    REQUIRE_FALSE(node.ok());
    CHECK(std::string(node.status().message()) ==
          "the total amount \"1Gi\" of type \"memory\" is not equal to the value \"2Gi\" "
          "determined by Node Allocatable feature");
  }
}

}  // namespace
}  // namespace podalloc::testing
