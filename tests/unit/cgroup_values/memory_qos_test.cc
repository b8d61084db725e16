// Memory QoS (KEP-2570): memory.high, memory.min / memory.low under each reservation policy,
// for container, pod and QoS-class cgroups.
#include "podalloc/memory_qos.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "podalloc/cgroup_values.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using namespace testing;  // the builders and constants of test_pods.h

MemoryQosConfig Throttling(double factor, int64_t page_size = 4096,
                           int64_t allocatable = 32 * kGi) {
  MemoryQosConfig c;
  c.enabled = true;
  c.throttling_factor = factor;
  c.page_size = page_size;
  c.node_allocatable_memory = allocatable;
  return c;
}

NodeCgroupSettings MemoryQosNode(MemoryReservationPolicy policy) {
  NodeCgroupSettings s;
  s.node_memory_capacity = 64 * kGi;
  s.memory_qos = Throttling(0.9);
  s.memory_qos.reservation_policy = policy;
  return s;
}

TEST_CASE("cgroup_values: memory QoS, memory.high follows the KEP's table",
          "[cgroup_values][memory_qos]") {
  // limits.memory 1000Mi, factor 0.9, 1Mi pages: 900, 910, ... 990 for requests 0 .. 900.
  for (int64_t k = 0; k < 10; ++k) {
    CAPTURE(k);
    CHECK(ContainerMemoryHigh(k * 100 * kMi, 1000 * kMi, Throttling(0.9, kMi)) ==
          (900 + 10 * k) * kMi);
  }
  // request == limit: memory-guaranteed, never throttled.
  CHECK_FALSE(ContainerMemoryHigh(1000 * kMi, 1000 * kMi, Throttling(0.9, kMi)).has_value());
  // The Alpha v1.27 comparison rows.
  CHECK(ContainerMemoryHigh(500 * kMi, 1000 * kMi, Throttling(0.6, kMi)) == 800 * kMi);
  CHECK(ContainerMemoryHigh(800 * kMi, 1000 * kMi, Throttling(0.6, kMi)) == 920 * kMi);
  CHECK(ContainerMemoryHigh(500 * kMi, 1000 * kMi, Throttling(0.8, kMi)) == 900 * kMi);
  CHECK(ContainerMemoryHigh(850 * kMi, 1000 * kMi, Throttling(0.8, kMi)) == 970 * kMi);
  CHECK(ContainerMemoryHigh(500 * kMi, 1000 * kMi, Throttling(0.4, kMi)) == 700 * kMi);
}

TEST_CASE("cgroup_values: memory QoS, memory.high is rounded down to whole pages",
          "[cgroup_values][memory_qos]") {
  // 128Mi + 0.9 * 128Mi = 255013683.2 bytes -> 62259 pages of 4KiB.
  CHECK(ContainerMemoryHigh(128 * kMi, 256 * kMi, Throttling(0.9)) == 255012864);
  CHECK(255012864 % 4096 == 0);
  // Rounding can land at or below the request: then nothing is written.
  CHECK_FALSE(ContainerMemoryHigh(100, 4196, Throttling(0.5)).has_value());
  CHECK_FALSE(ContainerMemoryHigh(4096, 0, Throttling(0.001, 4096, 8000)).has_value());
  // Factor 1.0 effectively disables early throttling: memory.high = limit.
  CHECK(ContainerMemoryHigh(0, 1000 * kMi, Throttling(1.0)) == 1000 * kMi);
}

TEST_CASE(
    "cgroup_values: memory QoS, without a limit memory.high uses node allocatable, BestEffort "
    "included",
    "[cgroup_values][memory_qos]") {
  // The kubelet's own expectations (TestGenerateContainerConfigWithMemoryQoSEnforced, 32Gi
  // allocatable, factor 0.9, 4KiB pages).
  CHECK(ContainerMemoryHigh(128 * kMi, 0, Throttling(0.9)) == 30937186304);
  CHECK(ContainerMemoryHigh(0, 0, Throttling(0.9)) == 30923763712);  // kubernetes#137685
  // Unknown allocatable: no memory.high for a container without a limit.
  CHECK_FALSE(ContainerMemoryHigh(128 * kMi, 0, Throttling(0.9, 4096, 0)).has_value());
  // No throttling factor (the v1.37 default): never written.
  MemoryQosConfig unset = Throttling(0.9);
  unset.throttling_factor.reset();
  CHECK_FALSE(ContainerMemoryHigh(128 * kMi, 256 * kMi, unset).has_value());
  CHECK_FALSE(ContainerMemoryHigh(0, 0, unset).has_value());
}

TEST_CASE(
    "cgroup_values: memory QoS, container unified keys as the kubelet's pre-v1.36 test expects",
    "[cgroup_values][memory_qos]") {
  const NodeCgroupSettings node = MemoryQosNode(MemoryReservationPolicy::kRequestsAsMin);
  const Pod pod1 = MakePod({MakeContainer("foo", {{"memory", "128Mi"}}, {{"memory", "256Mi"}})});
  auto r1 = GenerateLinuxContainerResources(pod1, pod1.containers[0], node, false);
  REQUIRE(r1.ok());
  CHECK(r1->unified == std::map<std::string, std::string>{{"memory.high", "255012864"},
                                                          {"memory.min", "134217728"},
                                                          {"memory.oom.group", "1"}});
  const Pod pod2 = MakePod({MakeContainer("foo", {{"memory", "128Mi"}}, {})});
  auto r2 = GenerateLinuxContainerResources(pod2, pod2.containers[0], node, false);
  REQUIRE(r2.ok());
  CHECK(r2->unified.at("memory.high") == "30937186304");
  CHECK(r2->unified.at("memory.min") == "134217728");
  const Pod pod3 = MakePod({MakeContainer("foo", {}, {})});
  auto r3 = GenerateLinuxContainerResources(pod3, pod3.containers[0], node, false);
  REQUIRE(r3.ok());
  CHECK(r3->unified.at("memory.high") == "30923763712");
  CHECK(r3->unified.count("memory.min") == 0);
}

TEST_CASE("cgroup_values: memory QoS, a Guaranteed container never gets memory.high",
          "[cgroup_values][memory_qos]") {
  const NodeCgroupSettings node = MemoryQosNode(MemoryReservationPolicy::kTieredReservation);
  const Pod guaranteed = MakePod(
      {MakeContainer("app", {{"cpu", "1"}, {"memory", "1Gi"}}, {{"cpu", "1"}, {"memory", "1Gi"}})});
  auto r = GenerateLinuxContainerResources(guaranteed, guaranteed.containers[0], node, false);
  REQUIRE(r.ok());
  CHECK(r->unified.count("memory.high") == 0);
  CHECK(r->unified.at("memory.min") == "1073741824");
  // The kubelet decides on the container's memory alone: equal memory request and limit in a
  // Burstable pod is not throttled either.
  const Pod burstable = MakePod(
      {MakeContainer("app", {{"cpu", "1"}, {"memory", "1Gi"}}, {{"cpu", "2"}, {"memory", "1Gi"}})});
  auto b = GenerateLinuxContainerResources(burstable, burstable.containers[0], node, false);
  REQUIRE(b.ok());
  CHECK(b->unified.count("memory.high") == 0);
  CHECK(b->unified.at("memory.low") == "1073741824");
}

TEST_CASE("cgroup_values: memory QoS, TieredReservation protects by QoS class",
          "[cgroup_values][memory_qos]") {
  CHECK(RequestProtection(QosClass::kGuaranteed, 512 * kMi,
                          MemoryReservationPolicy::kTieredReservation) ==
        MemoryProtection{512 * kMi, std::nullopt});
  CHECK(RequestProtection(QosClass::kBurstable, 512 * kMi,
                          MemoryReservationPolicy::kTieredReservation) ==
        MemoryProtection{std::nullopt, 512 * kMi});
  CHECK(RequestProtection(QosClass::kBestEffort, 512 * kMi,
                          MemoryReservationPolicy::kTieredReservation) == MemoryProtection{});
  CHECK(RequestProtection(QosClass::kBurstable, 0, MemoryReservationPolicy::kTieredReservation) ==
        MemoryProtection{});
  CHECK(RequestProtection(QosClass::kGuaranteed, 512 * kMi, MemoryReservationPolicy::kNone) ==
        MemoryProtection{});
  CHECK(
      RequestProtection(QosClass::kBurstable, 512 * kMi, MemoryReservationPolicy::kRequestsAsMin) ==
      MemoryProtection{512 * kMi, std::nullopt});

  // Container level, through the kubelet's container path.
  const Pod burstable = MakePod({MakeContainer("app", {{"memory", "512Mi"}}, {})});
  for (auto policy : {MemoryReservationPolicy::kNone, MemoryReservationPolicy::kTieredReservation,
                      MemoryReservationPolicy::kRequestsAsMin}) {
    CAPTURE(MemoryReservationPolicyName(policy));
    auto r = GenerateLinuxContainerResources(burstable, burstable.containers[0],
                                             MemoryQosNode(policy), false);
    REQUIRE(r.ok());
    CHECK(r->unified.count("memory.low") ==
          (policy == MemoryReservationPolicy::kTieredReservation ? 1u : 0u));
    CHECK(r->unified.count("memory.min") ==
          (policy == MemoryReservationPolicy::kRequestsAsMin ? 1u : 0u));
    CHECK(r->unified.count("memory.high") == 1);  // throttling is independent of the policy
  }
}

TEST_CASE("cgroup_values: memory QoS, nothing on cgroup v1 or with the gate off",
          "[cgroup_values][memory_qos]") {
  const Pod pod = MakePod({MakeContainer("app", {{"memory", "512Mi"}}, {{"memory", "1Gi"}})});
  NodeCgroupSettings v1 = MemoryQosNode(MemoryReservationPolicy::kTieredReservation);
  v1.cgroup_version = CgroupVersion::kV1;
  auto r = GenerateLinuxContainerResources(pod, pod.containers[0], v1, false);
  REQUIRE(r.ok());
  CHECK(r->unified.empty());
  NodeCgroupSettings off = MemoryQosNode(MemoryReservationPolicy::kTieredReservation);
  off.memory_qos.enabled = false;
  auto o = GenerateLinuxContainerResources(pod, pod.containers[0], off, false);
  REQUIRE(o.ok());
  CHECK(o->unified == std::map<std::string, std::string>{{"memory.oom.group", "1"}});
}

TEST_CASE("cgroup_values: memory QoS, pod cgroup protection includes overhead",
          "[cgroup_values][memory_qos]") {
  const NodeCgroupSettings node = MemoryQosNode(MemoryReservationPolicy::kTieredReservation);
  const Pod guaranteed = MakePod({MakeContainer("app", {{"cpu", "1"}, {"memory", "512Mi"}},
                                                {{"cpu", "1"}, {"memory", "512Mi"}})});
  auto g = ResourceConfigForPod(guaranteed, node, false);
  REQUIRE(g.ok());
  CHECK(g->unified == std::map<std::string, std::string>{{"memory.min", "536870912"}});

  Pod burstable = MakePod({MakeContainer("app", {{"memory", "512Mi"}}, {})});
  burstable.overhead = Resources({{"memory", "10Mi"}});
  auto b = ResourceConfigForPod(burstable, node, false);
  REQUIRE(b.ok());
  CHECK(b->unified == std::map<std::string, std::string>{{"memory.low", "547356672"}});

  auto none = ResourceConfigForPod(burstable, MemoryQosNode(MemoryReservationPolicy::kNone), false);
  REQUIRE(none.ok());
  CHECK(none->unified.empty());
  // Before v1.36 every pod with a memory request got memory.min, overhead alone included.
  Pod best_effort = MakePod({MakeContainer("app", {}, {})});
  best_effort.overhead = Resources({{"memory", "10Mi"}});
  auto legacy = ResourceConfigForPod(best_effort,
                                     MemoryQosNode(MemoryReservationPolicy::kRequestsAsMin), false);
  REQUIRE(legacy.ok());
  CHECK(legacy->unified == std::map<std::string, std::string>{{"memory.min", "10485760"}});
}

std::vector<Pod> MixedPods() {
  std::vector<Pod> pods;
  pods.push_back(MakePod(
      {MakeContainer("g1", {{"cpu", "1"}, {"memory", "1Gi"}}, {{"cpu", "1"}, {"memory", "1Gi"}})}));
  Pod pod_level = MakePod({MakeContainer("g2", {}, {})});  // Guaranteed by spec.resources
  pod_level.resources = ResourceRequirements{Resources({{"cpu", "2"}, {"memory", "2Gi"}}),
                                             Resources({{"cpu", "2"}, {"memory", "2Gi"}})};
  pods.push_back(pod_level);
  pods.push_back(
      MakePod({MakeContainer("b1", {{"cpu", "500m"}, {"memory", "512Mi"}}, {{"memory", "1Gi"}})}));
  pods.push_back(MakePod({MakeContainer("b2", {{"cpu", "250m"}}, {})}));
  Pod best_effort = MakePod({MakeContainer("be", {}, {})});
  best_effort.overhead = Resources({{"memory", "64Mi"}});  // still BestEffort: not summed
  pods.push_back(best_effort);
  return pods;
}

TEST_CASE("cgroup_values: memory QoS, parent sums cover the children",
          "[cgroup_values][memory_qos]") {
  const std::vector<Pod> pods = MixedPods();
  const QosMemoryRequests sums = SumQosMemoryRequests(pods, QosOptions{});
  CHECK(sums == QosMemoryRequests{3 * kGi, 512 * kMi});

  const QosClassProtection tiered =
      QosClassMemoryProtection(sums, MemoryReservationPolicy::kTieredReservation);
  CHECK(tiered.root == MemoryProtection{3 * kGi + 512 * kMi, std::nullopt});
  CHECK(tiered.burstable == MemoryProtection{std::nullopt, 512 * kMi});
  const QosClassProtection legacy =
      QosClassMemoryProtection(sums, MemoryReservationPolicy::kRequestsAsMin);
  CHECK(legacy.root == MemoryProtection{3 * kGi + 512 * kMi, std::nullopt});
  CHECK(legacy.burstable == MemoryProtection{512 * kMi, std::nullopt});
  CHECK(QosClassMemoryProtection(sums, MemoryReservationPolicy::kNone) == QosClassProtection{});
  CHECK(
      QosClassMemoryProtection(QosMemoryRequests{}, MemoryReservationPolicy::kTieredReservation) ==
      QosClassProtection{});
  CHECK(QosClassMemoryProtection(QosMemoryRequests{kGi, 0},
                                 MemoryReservationPolicy::kTieredReservation) ==
        QosClassProtection{MemoryProtection{kGi, std::nullopt}, MemoryProtection{}});
}

TEST_CASE("cgroup_values: memory QoS, QoS-class cgroup configs", "[cgroup_values][memory_qos]") {
  NodeCgroupSettings node = MemoryQosNode(MemoryReservationPolicy::kTieredReservation);
  node.hugepage_sizes = {2 * kMi, kGi};
  auto cgroups = QosClassCgroupConfigs(MixedPods(), node);
  REQUIRE(cgroups.ok());
  CHECK(cgroups->memory_requests == QosMemoryRequests{3 * kGi, 512 * kMi});
  CHECK(cgroups->root.unified == std::map<std::string, std::string>{{"memory.min", "3758096384"}});
  CHECK(cgroups->burstable.unified ==
        std::map<std::string, std::string>{{"memory.low", "536870912"}});
  CHECK(cgroups->best_effort.unified.empty());
  // Burstable shares follow Σ 500m + 250m; BestEffort is pinned to the minimum.
  CHECK(cgroups->burstable.cpu_shares == MilliCpuToShares(750));
  CHECK(cgroups->best_effort.cpu_shares == kMinShares);
  CHECK_FALSE(cgroups->root.cpu_shares.has_value());
  const std::map<int64_t, int64_t> unbounded{{2 * kMi, int64_t{1} << 62}, {kGi, int64_t{1} << 62}};
  CHECK(cgroups->root.hugepage_limits == unbounded);
  CHECK(cgroups->burstable.hugepage_limits == unbounded);

  auto files = ResourceConfigFiles(cgroups->burstable, node);
  REQUIRE(files.ok());
  CHECK(*files == CgroupFiles{{"cpu.weight", "30"},
                              {"hugetlb.2MB.max", "4611686018427387904"},
                              {"hugetlb.1GB.max", "4611686018427387904"},
                              {"memory.low", "536870912"}});

  node.memory_qos.enabled = false;
  auto off = QosClassCgroupConfigs(MixedPods(), node);
  REQUIRE(off.ok());
  CHECK(off->root.unified.empty());
  CHECK(off->burstable.unified.empty());
}

TEST_CASE("cgroup_values: memory QoS, the recorded QoS class decides the tier",
          "[cgroup_values][memory_qos]") {
  // status.qosClass is immutable: a pod recorded as Burstable stays in the Burstable sum.
  Pod pod = MakePod(
      {MakeContainer("g", {{"cpu", "1"}, {"memory", "1Gi"}}, {{"cpu", "1"}, {"memory", "1Gi"}})});
  pod.status.qos_class = "Burstable";
  const std::vector<Pod> pods{pod};
  CHECK(SumQosMemoryRequests(pods, QosOptions{}) == QosMemoryRequests{0, kGi});
}

TEST_CASE("cgroup_values: memory QoS, settings are validated", "[cgroup_values][memory_qos]") {
  MemoryQosConfig c = Throttling(0.9);
  CHECK(ValidateMemoryQosConfig(c).ok());
  c.throttling_factor = 0.0;
  CHECK(ValidateMemoryQosConfig(c).code() == absl::StatusCode::kInvalidArgument);
  c.throttling_factor = 1.5;
  const absl::Status bad = ValidateMemoryQosConfig(c);
  CHECK(bad.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad.message()).find("throttling_factor 1.5") != std::string::npos);
  c = Throttling(0.9, 0);
  CHECK(ValidateMemoryQosConfig(c).code() == absl::StatusCode::kInvalidArgument);
  NodeCgroupSettings node = MemoryQosNode(MemoryReservationPolicy::kNone);
  node.memory_qos.throttling_factor = -1;
  const Pod pod = MakePod({MakeContainer("app", {}, {})});
  CHECK(GenerateLinuxContainerResources(pod, pod.containers[0], node, false).status().code() ==
        absl::StatusCode::kInvalidArgument);

  CHECK(ParseMemoryReservationPolicy("TieredReservation").value() ==
        MemoryReservationPolicy::kTieredReservation);
  CHECK(ParseMemoryReservationPolicy("None").value() == MemoryReservationPolicy::kNone);
  CHECK(ParseMemoryReservationPolicy("tiered").status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace podalloc
