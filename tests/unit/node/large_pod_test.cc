// A pod of 20 000 containers (tests/data/repro item 10: admission took over a minute): every
// step of admission, commit, resize and removal must stay near linear in the container count.
// No timing is asserted; the test finishes in seconds where a quadratic step takes minutes.
#include <string>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/pod_json.h"

namespace podalloc::testing {
namespace {

constexpr int kContainers = 20000;

// Guaranteed when `resources` is set (each container 1m CPU and 1Mi memory, requests equal to
// limits), BestEffort otherwise; `cpu_limit` overrides the CPU limit (for resizes).
std::string LargePodJson(bool resources, const std::string& cpu_limit = "1m") {
  std::string text =
      R"({"metadata":{"name":"large","namespace":"default","uid":"large-uid"},"spec":{"containers":[)";
  for (int i = 0; i < kContainers; ++i) {
    if (i > 0) text += ',';
    text += R"({"name":"c)" + std::to_string(i) + '"';
    if (resources) {
      text += R"(,"resources":{"requests":{"cpu":"1m","memory":"1Mi"},"limits":{"cpu":")" +
              cpu_limit + R"(","memory":"1Mi"}})";
    }
    text += '}';
  }
  return text + "]}}";
}

NodeConfig BusyConfig(const std::string& scope) {
  NodeConfig c;
  c.cpu_manager_policy = "static";
  c.reserved_system_cpus = *CpuSet::Parse("0");
  c.topology_manager_policy = "best-effort";
  c.topology_manager_scope = scope;
  c.memory_manager_policy = "Static";
  for (int n = 0; n < 2; ++n) c.reserved_memory.push_back(MemoryReservation{n, {{"memory", kGi}}});
  c.feature_gates.memory_qos = true;
  return c;
}

void AdmitResizeRemove(Node& node, bool resources) {
  absl::StatusOr<Pod> pod = ParsePod(LargePodJson(resources));
  REQUIRE(pod.ok());
  REQUIRE(pod->containers.size() == kContainers);
  absl::StatusOr<Decision> d = node.AdmitAndCommit(*pod);
  INFO((d.ok() ? d->message : std::string(d.status().message())));
  REQUIRE(d.ok());
  REQUIRE(d->admitted);
  CHECK(d->containers.size() == kContainers);
  CHECK(d->containers.back().name == "c19999");
  CHECK_FALSE(d->containers.back().cgroup_files.empty());

  if (resources) {
    absl::StatusOr<Pod> resized = ParsePod(LargePodJson(true, "2m"));
    REQUIRE(resized.ok());
    absl::StatusOr<ResizeDecision> r = node.CheckResize(*resized);
    INFO((r.ok() ? "" : std::string(r.status().message())));
    REQUIRE(r.ok());
  }
  REQUIRE(node.RemovePod("large-uid").ok());
  CHECK(node.State().pods.empty());
}

TEST_CASE("large pod: 20000 containers are admitted, resized and removed", "[node][large]") {
  SECTION("policies none, BestEffort") {
    auto node = Node::Create(MakeMachine(1, 2, 8, 64), NodeConfig{});
    REQUIRE(node.ok());
    AdmitResizeRemove(**node, false);
  }
  SECTION("static CPU and memory managers, Memory QoS, container scope, Guaranteed") {
    auto node = Node::Create(MakeMachine(1, 2, 8, 64), BusyConfig("container"));
    REQUIRE(node.ok());
    AdmitResizeRemove(**node, true);
  }
  SECTION("static CPU and memory managers, Memory QoS, pod scope, Guaranteed") {
    auto node = Node::Create(MakeMachine(1, 2, 8, 64), BusyConfig("pod"));
    REQUIRE(node.ok());
    AdmitResizeRemove(**node, true);
  }
}

}  // namespace
}  // namespace podalloc::testing
