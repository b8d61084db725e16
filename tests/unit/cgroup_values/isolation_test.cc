// The isolation-level table of KEP-5526 as cgroup v2 files: only exclusive CPUs (level
// container) lift the CFS quota; pod and host levels keep it, even with an explicit cpuset.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "podalloc/cgroup_values.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using namespace testing;  // the builders and constants of test_pods.h

NodeCgroupSettings Node() {
  NodeCgroupSettings s = DefaultNode();
  s.memory_qos.enabled = true;
  s.memory_qos.throttling_factor = 0.9;
  s.memory_qos.node_allocatable_memory = int64_t{32} << 30;
  s.memory_qos.reservation_policy = MemoryReservationPolicy::kTieredReservation;
  return s;
}

// A Guaranteed pod under topology scope pod: a 4 CPU / 4Gi budget, one container eligible for
// an exclusive slice, one running in the pod shared pool.
Pod ScopePodGuaranteed() {
  Pod pod = MakePod({MakeContainer("exclusive", {{"cpu", "2"}, {"memory", "2Gi"}},
                                   {{"cpu", "2"}, {"memory", "2Gi"}}),
                     MakeContainer("shared", {}, {})});
  pod.resources = ResourceRequirements{Resources({{"cpu", "4"}, {"memory", "4Gi"}}),
                                       Resources({{"cpu", "4"}, {"memory", "4Gi"}})};
  return pod;
}

ContainerPlacement Placement(IsolationLevel level, std::vector<int> cpus, std::vector<int> mems) {
  ContainerPlacement p;
  p.isolation = level;
  p.cpus = CpuSet::FromVector(cpus);
  auto mask = NumaMask::New(mems);
  REQUIRE(mask.ok());
  p.memory_nodes = *mask;
  return p;
}

CgroupFiles Files(const Pod& pod, const Container& c, const ContainerPlacement& placement,
                  const NodeCgroupSettings& node,
                  CpuWeightMapping mapping = CpuWeightMapping::kQuadratic) {
  auto files = ContainerCgroupFiles(pod, c, placement, node, mapping);
  INFO(std::string(files.status().message()));
  REQUIRE(files.ok());
  return *files;
}

std::string ValueOf(const CgroupFiles& files, const std::string& name) {
  for (const CgroupFile& f : files) {
    if (f.name == name) return f.value;
  }
  FAIL("no " << name);
  return "";
}

TEST_CASE("cgroup_values: isolation level container disables the quota",
          "[cgroup_values][isolation]") {
  const Pod pod = ScopePodGuaranteed();
  const CgroupFiles files =
      Files(pod, pod.containers[0], Placement(IsolationLevel::kContainer, {2, 3}, {0}), Node());
  CHECK(files == CgroupFiles{{"cpu.max", "max 100000"},
                             {"cpu.weight", "174"},  // 2048 shares, quadratic
                             {"cpuset.cpus", "2-3"},
                             {"cpuset.mems", "0"},
                             {"memory.max", "2147483648"},
                             {"memory.min", "2147483648"},  // Guaranteed, TieredReservation
                             {"memory.low", "0"},
                             {"memory.high", "max"}});
  // With the DisableCPUQuotaWithExclusiveCPUs gate off the kubelet still caps it.
  NodeCgroupSettings gate_off = Node();
  gate_off.disable_cpu_quota_with_exclusive_cpus = false;
  CHECK(ValueOf(Files(pod, pod.containers[0], Placement(IsolationLevel::kContainer, {2, 3}, {0}),
                      gate_off),
                "cpu.max") == "200000 100000");
}

TEST_CASE("cgroup_values: isolation level pod keeps the quota from the pod-level limit",
          "[cgroup_values][isolation]") {
  const Pod pod = ScopePodGuaranteed();
  const CgroupFiles files =
      Files(pod, pod.containers[1], Placement(IsolationLevel::kPod, {0, 1}, {0}), Node());
  // No CPU or memory limit of its own: the pod's 4 CPUs / 4Gi bound it, and without a CPU
  // request its shares come from that limit (the kubelet's request-defaults-to-limit rule).
  // Its own memory request and limit are both 0, and the kubelet reads the container's own
  // values for Memory QoS, so it is throttled against allocatable even in a Guaranteed pod.
  CHECK(files == CgroupFiles{{"cpu.max", "400000 100000"},
                             {"cpu.weight", "303"},  // 4096 shares, quadratic
                             {"cpuset.cpus", "0-1"},
                             {"cpuset.mems", "0"},
                             {"memory.max", "4294967296"},
                             {"memory.min", "0"},
                             {"memory.low", "0"},
                             {"memory.high", "30923763712"}});
}

TEST_CASE("cgroup_values: isolation level host is the standard path",
          "[cgroup_values][isolation]") {
  const Pod pod = MakePod({MakeContainer("web", {{"cpu", "250m"}, {"memory", "256Mi"}},
                                         {{"cpu", "1"}, {"memory", "1Gi"}})});
  const CgroupFiles files =
      Files(pod, pod.containers[0], Placement(IsolationLevel::kHost, {0, 1, 4, 5, 6}, {0, 1, 3}),
            Node(), CpuWeightMapping::kLinear);
  CHECK(files == CgroupFiles{{"cpu.max", "100000 100000"},
                             {"cpu.weight", "10"},  // 256 shares, linear
                             {"cpuset.cpus", "0-1,4-6"},
                             {"cpuset.mems", "0-1,3"},
                             {"memory.max", "1073741824"},
                             {"memory.min", "0"},
                             {"memory.low", "268435456"},  // Burstable, TieredReservation
                             {"memory.high", "993210368"}});
  // Asking for exclusivity is what lifts the quota, not having a cpuset.
  CHECK(ValueOf(
            Files(pod, pod.containers[0], Placement(IsolationLevel::kContainer, {4}, {0}), Node()),
            "cpu.max") == "max 100000");
}

TEST_CASE("cgroup_values: container files fall back to kernel defaults",
          "[cgroup_values][isolation]") {
  NodeCgroupSettings node = Node();
  node.cpu_cfs_quota = false;
  node.memory_qos.enabled = false;
  const Pod pod = MakePod({MakeContainer("web", {{"cpu", "250m"}}, {})});
  const CgroupFiles files =
      Files(pod, pod.containers[0], ContainerPlacement{}, node, CpuWeightMapping::kQuadratic);
  // Empty cpuset and NUMA mask: inherited, not written. Memory QoS off: stale protection and
  // throttling are cleared.
  CHECK(files == CgroupFiles{{"cpu.max", "max 100000"},
                             {"cpu.weight", "35"},
                             {"memory.max", "max"},
                             {"memory.min", "0"},
                             {"memory.low", "0"},
                             {"memory.high", "max"}});
}

TEST_CASE("cgroup_values: container files refuse impossible placements",
          "[cgroup_values][isolation]") {
  const Pod pod = ScopePodGuaranteed();
  const absl::Status no_cpus =
      ContainerCgroupFiles(pod, pod.containers[0], Placement(IsolationLevel::kContainer, {}, {0}),
                           Node(), CpuWeightMapping::kQuadratic)
          .status();
  CHECK(no_cpus.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(no_cpus.message()).find("\"exclusive\"") != std::string::npos);
  NodeCgroupSettings v1 = Node();
  v1.cgroup_version = CgroupVersion::kV1;
  CHECK(ContainerCgroupFiles(pod, pod.containers[0], Placement(IsolationLevel::kHost, {0}, {0}), v1,
                             CpuWeightMapping::kQuadratic)
            .status()
            .code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("cgroup_values: isolation level names", "[cgroup_values][isolation]") {
  for (IsolationLevel level :
       {IsolationLevel::kHost, IsolationLevel::kPod, IsolationLevel::kContainer}) {
    CHECK(ParseIsolationLevel(IsolationLevelName(level)).value() == level);
  }
  CHECK(IsolationLevelName(IsolationLevel::kContainer) == "container");
  CHECK(ParseIsolationLevel("node").status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace podalloc
