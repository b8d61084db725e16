// ResourceConfigForPod, the CRI container resources beyond the conformance vectors, and the
// files the kubelet's cgroup manager writes for a ResourceConfig.
#include <catch2/catch.hpp>
#include <cstdint>

#include "podalloc/cgroup_values.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using namespace testing;  // the builders and constants of test_pods.h

TEST_CASE("cgroup_values: container resources as the kubelet's CFS-quota tests expect",
          "[cgroup_values]") {
  // TestGenerateLinuxContainerConfigResources and TestCalculateLinuxResources, which run
  // with cpuCFSQuota = true.
  const NodeCgroupSettings node = DefaultNode();
  struct Case {
    const char* name;
    Container container;
    std::optional<ResourceRequirements> pod_resources;
    int64_t quota, shares, memory;
  };
  const Case cases[] = {
      {"Request 128M/1C, Limit 256M/3C",
       MakeContainer("foo", {{"memory", "128Mi"}, {"cpu", "1"}},
                     {{"memory", "256Mi"}, {"cpu", "3"}}),
       std::nullopt, 300000, 1024, 256 * kMi},
      {"Request 128M/2C, No Limit", MakeContainer("foo", {{"memory", "128Mi"}, {"cpu", "2"}}, {}),
       std::nullopt, 0, 2048, 0},
      {"Container Level Request 128M/1C, Pod Level Limit 256M/3C",
       MakeContainer("foo", {{"memory", "128Mi"}, {"cpu", "1"}}, {}),
       ResourceRequirements{{}, Resources({{"memory", "256Mi"}, {"cpu", "3"}})}, 300000, 1024,
       256 * kMi},
      {"RequestNilCPU", MakeContainer("foo", {}, {{"cpu", "2"}}), std::nullopt, 200000, 2048, 0},
      {"RequestZeroCPU", MakeContainer("foo", {{"cpu", "0"}}, {{"cpu", "2"}}), std::nullopt, 200000,
       2, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Pod pod = MakePod({c.container});
    pod.resources = c.pod_resources;
    auto r = GenerateLinuxContainerResources(pod, pod.containers[0], node, false);
    REQUIRE(r.ok());
    CHECK(r->cpu_period == 100000);
    CHECK(r->cpu_quota == c.quota);
    CHECK(r->cpu_shares == c.shares);
    CHECK(r->memory_limit_in_bytes == c.memory);
  }
}

TEST_CASE("cgroup_values: exclusive CPUs lift the container quota only with the gate",
          "[cgroup_values]") {
  NodeCgroupSettings node = DefaultNode();
  const Pod pod = MakePod(
      {MakeContainer("app", {{"cpu", "2"}, {"memory", "1Gi"}}, {{"cpu", "2"}, {"memory", "1Gi"}})});
  auto exclusive = GenerateLinuxContainerResources(pod, pod.containers[0], node, true);
  REQUIRE(exclusive.ok());
  CHECK(exclusive->cpu_quota == -1);
  CHECK(exclusive->cpu_period == 100000);
  node.disable_cpu_quota_with_exclusive_cpus = false;
  auto old_behaviour = GenerateLinuxContainerResources(pod, pod.containers[0], node, true);
  REQUIRE(old_behaviour.ok());
  CHECK(old_behaviour->cpu_quota == 200000);
}

TEST_CASE("cgroup_values: a custom CFS period needs its gate", "[cgroup_values]") {
  NodeCgroupSettings node = DefaultNode();
  node.cpu_cfs_quota_period_us = 50000;
  const Pod pod = MakePod({MakeContainer("app", {{"cpu", "500m"}}, {{"cpu", "1"}})});
  const absl::Status refused =
      GenerateLinuxContainerResources(pod, pod.containers[0], node, false).status();
  CHECK(refused.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(refused.message()).find("cpu_cfs_quota_period_us 50000") != std::string::npos);
  node.custom_cpu_cfs_quota_period = true;
  auto r = GenerateLinuxContainerResources(pod, pod.containers[0], node, false);
  REQUIRE(r.ok());
  CHECK(r->cpu_period == 50000);
  CHECK(r->cpu_quota == 50000);
  node.cpu_cfs_quota_period_us = 500;
  CHECK(GenerateLinuxContainerResources(pod, pod.containers[0], node, false).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("cgroup_values: CRI hugepage limits, one per machine size", "[cgroup_values]") {
  NodeCgroupSettings node = DefaultNode();
  node.hugepage_sizes = {2 * kMi, int64_t{1} << 30};
  const Pod pod = MakePod(
      {MakeContainer("app", {{"hugepages-2Mi", "4Mi"}, {"memory", "1Gi"}},
                     {{"hugepages-2Mi", "4Mi"}, {"hugepages-2MB", "2Mi"}, {"memory", "1Gi"}})});
  auto r = GenerateLinuxContainerResources(pod, pod.containers[0], node, false);
  REQUIRE(r.ok());
  // "hugepages-2MB" names no valid page size and is skipped, as the kubelet does.
  CHECK(r->hugepage_limits == std::vector<HugepageLimit>{{"2MB", 4 * kMi}, {"1GB", 0}});
}

TEST_CASE("cgroup_values: pod cgroup by QoS class", "[cgroup_values]") {
  const NodeCgroupSettings node = DefaultNode();
  SECTION("Guaranteed: shares, quota, period and memory") {
    const Pod pod = MakePod(
        {MakeContainer("a", {{"cpu", "1"}, {"memory", "1Gi"}}, {{"cpu", "1"}, {"memory", "1Gi"}}),
         MakeContainer("b", {{"cpu", "500m"}, {"memory", "512Mi"}},
                       {{"cpu", "500m"}, {"memory", "512Mi"}})});
    auto c = ResourceConfigForPod(pod, node, false);
    REQUIRE(c.ok());
    CHECK(c->cpu_shares == uint64_t{1536});
    CHECK(c->cpu_quota == int64_t{150000});
    CHECK(c->cpu_period == uint64_t{100000});
    CHECK(c->memory == int64_t{1536} * kMi);
    auto files = ResourceConfigFiles(*c, node);
    REQUIRE(files.ok());
    CHECK(*files == CgroupFiles{{"cpu.max", "150000 100000"},
                                {"cpu.weight", "59"},
                                {"memory.max", "1610612736"}});
  }
  SECTION("Burstable with every limit declared is capped") {
    const Pod pod = MakePod({MakeContainer("a", {{"cpu", "100m"}, {"memory", "100Mi"}},
                                           {{"cpu", "1"}, {"memory", "1Gi"}})});
    auto c = ResourceConfigForPod(pod, node, false);
    REQUIRE(c.ok());
    CHECK(c->cpu_shares == uint64_t{102});
    CHECK(c->cpu_quota == int64_t{100000});
    CHECK(c->memory == int64_t{1} << 30);
  }
  SECTION("Burstable with a container lacking limits is not capped") {
    const Pod pod =
        MakePod({MakeContainer("a", {{"cpu", "100m"}}, {{"cpu", "1"}, {"memory", "1Gi"}}),
                 MakeContainer("b", {{"cpu", "100m"}}, {})});
    auto c = ResourceConfigForPod(pod, node, false);
    REQUIRE(c.ok());
    CHECK(c->cpu_shares == uint64_t{204});
    CHECK_FALSE(c->cpu_quota.has_value());
    CHECK_FALSE(c->cpu_period.has_value());
    CHECK_FALSE(c->memory.has_value());
    auto files = ResourceConfigFiles(*c, node);
    REQUIRE(files.ok());
    CHECK(*files == CgroupFiles{{"cpu.weight", "8"}});
  }
  SECTION("a pod-level limit caps the pod whatever the containers declare") {
    Pod pod = MakePod({MakeContainer("a", {{"cpu", "100m"}}, {})});
    pod.resources = ResourceRequirements{Resources({{"cpu", "1"}, {"memory", "1Gi"}}),
                                         Resources({{"cpu", "2"}, {"memory", "2Gi"}})};
    auto c = ResourceConfigForPod(pod, node, false);
    REQUIRE(c.ok());
    CHECK(c->cpu_shares == uint64_t{1024});
    CHECK(c->cpu_quota == int64_t{200000});
    CHECK(c->memory == int64_t{2} << 30);
    NodeCgroupSettings gate_off = node;
    gate_off.pod_level_resources = false;
    auto off = ResourceConfigForPod(pod, gate_off, false);
    REQUIRE(off.ok());
    CHECK(off->cpu_shares == uint64_t{102});
    CHECK_FALSE(off->cpu_quota.has_value());
  }
  SECTION("BestEffort: minimum shares only") {
    const Pod pod = MakePod({MakeContainer("a", {}, {})});
    auto c = ResourceConfigForPod(pod, node, false);
    REQUIRE(c.ok());
    CHECK(c->cpu_shares == kMinShares);
    CHECK_FALSE(c->cpu_quota.has_value());
    CHECK_FALSE(c->memory.has_value());
  }
}

TEST_CASE("cgroup_values: pod quota is -1 without CFS enforcement or with exclusive CPUs",
          "[cgroup_values]") {
  NodeCgroupSettings node = DefaultNode();
  const Pod pod = MakePod(
      {MakeContainer("a", {{"cpu", "2"}, {"memory", "1Gi"}}, {{"cpu", "2"}, {"memory", "1Gi"}})});
  auto exclusive = ResourceConfigForPod(pod, node, true);
  REQUIRE(exclusive.ok());
  CHECK(exclusive->cpu_quota == int64_t{-1});
  auto files = ResourceConfigFiles(*exclusive, node);
  REQUIRE(files.ok());
  CHECK(files->front() == CgroupFile{"cpu.max", "max 100000"});
  node.cpu_cfs_quota = false;
  auto unenforced = ResourceConfigForPod(pod, node, false);
  REQUIRE(unenforced.ok());
  CHECK(unenforced->cpu_quota == int64_t{-1});
  CHECK(unenforced->cpu_period == uint64_t{100000});
}

TEST_CASE("cgroup_values: init containers in the pod's limit declaration", "[cgroup_values]") {
  const NodeCgroupSettings node = DefaultNode();
  Pod pod = MakePod({MakeContainer("app", {{"cpu", "100m"}}, {{"cpu", "1"}, {"memory", "1Gi"}})});
  SECTION("a regular init container without limits uncaps the pod") {
    pod.init_containers = {MakeContainer("init", {{"cpu", "100m"}}, {})};
    auto c = ResourceConfigForPod(pod, node, false);
    REQUIRE(c.ok());
    CHECK_FALSE(c->cpu_quota.has_value());
    CHECK_FALSE(c->memory.has_value());
  }
  SECTION("an earlier limited sidecar counts for a later init container without limits") {
    pod.init_containers = {
        MakeContainer("proxy", {{"cpu", "100m"}}, {{"cpu", "500m"}, {"memory", "128Mi"}}, "Always"),
        MakeContainer("init", {{"cpu", "100m"}}, {})};
    auto c = ResourceConfigForPod(pod, node, false);
    REQUIRE(c.ok());
    // Limits: max(app 1 + sidecar 0.5, init 0 + sidecar 0.5) = 1.5 CPUs, 1Gi + 128Mi.
    CHECK(c->cpu_quota == int64_t{150000});
    CHECK(c->memory == (int64_t{1} << 30) + 128 * kMi);
  }
}

TEST_CASE("cgroup_values: pod hugepage limits sum the requests per page size", "[cgroup_values]") {
  NodeCgroupSettings node = DefaultNode();
  node.hugepage_sizes = {2 * kMi, int64_t{1} << 30};
  const Pod pod =
      MakePod({MakeContainer("a", {{"hugepages-2Mi", "4Mi"}, {"memory", "1Gi"}, {"cpu", "1"}},
                             {{"hugepages-2Mi", "4Mi"}, {"memory", "1Gi"}, {"cpu", "1"}}),
               MakeContainer("b", {{"hugepages-2Mi", "2Mi"}, {"memory", "1Gi"}, {"cpu", "1"}},
                             {{"hugepages-2Mi", "2Mi"}, {"memory", "1Gi"}, {"cpu", "1"}})});
  auto c = ResourceConfigForPod(pod, node, false);
  REQUIRE(c.ok());
  CHECK(c->hugepage_limits == std::map<int64_t, int64_t>{{2 * kMi, 6 * kMi}});
  auto files = ResourceConfigFiles(*c, node);
  REQUIRE(files.ok());
  CHECK(*files == CgroupFiles{{"cpu.max", "200000 100000"},
                              {"cpu.weight", "79"},
                              {"memory.max", "2147483648"},
                              {"hugetlb.2MB.max", "6291456"},
                              {"hugetlb.1GB.max", "0"}});
  node.cgroup_version = CgroupVersion::kV1;
  CHECK(ResourceConfigFiles(*c, node).status().code() == absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace podalloc
