// Every case of tests/data/conformance/memory_qos_resize/cgroup_values.json through the public
// API. The number of cases per operation is checked against the file, so a case that is not
// run fails the test instead of being skipped.
//
// About the container_linux_resources cases: they state "cpu_cfs_quota": true, yet expect
// cpu_quota 0 and cpu_period 0. The kubelet test they come from (TestGenerateLinuxContainer-
// Resources) builds its manager with newFakeKubeRuntimeManager, which sets cpuCFSQuota: false,
// and never turns it on (the neighbouring tests TestGenerateLinuxContainerConfigResources and
// TestCalculateLinuxResources do, with m.cpuCFSQuota = true). The expected zeros are what the
// kubelet produces with CFS quota off, so this test follows the kubelet fixture: it runs every
// such case with cpu_cfs_quota = false and checks the vector's expectations, and it also runs
// the case as the vector states it (true) and checks quota/period against MilliCPUToQuota of
// the limit and the default period, which is what the kubelet source gives for that input.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "podalloc/cgroup_values.h"
#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

using nlohmann::json;

ResourceList ListOf(const json& r, const char* key) {
  if (!r.contains(key)) return {};
  auto list = ResourceListFromJson(r.at(key), key);
  INFO(key << ": " << std::string(list.status().message()));
  REQUIRE(list.ok());
  return *list;
}

Pod OneContainerPod(const json& container) {
  Pod pod;
  pod.name = "foo";
  pod.namespace_name = "bar";
  pod.uid = "12345678";
  Container c;
  c.name = container.at("name").get<std::string>();
  const json& resources = container.at("resources");
  c.resources.requests = ListOf(resources, "requests");
  c.resources.limits = ListOf(resources, "limits");
  pod.containers.push_back(c);
  return pod;
}

NodeCgroupSettings SettingsOf(const json& in) {
  NodeCgroupSettings s;
  const std::string version = in.at("cgroup_version").get<std::string>();
  REQUIRE((version == "v1" || version == "v2"));
  s.cgroup_version = version == "v1" ? CgroupVersion::kV1 : CgroupVersion::kV2;
  s.node_memory_capacity = in.at("node_memory_capacity").get<int64_t>();
  s.single_process_oom_kill = in.at("single_process_oom_kill").get<bool>();
  s.memory_qos.enabled = in.at("enforce_memory_qos").get<bool>();
  s.cpu_cfs_quota = in.at("cpu_cfs_quota").get<bool>();
  // Swap is not modelled: every vector has the swap controller unavailable, and one that
  // does not must fail here rather than pass unchecked.
  REQUIRE_FALSE(in.at("swap_controller_available").get<bool>());
  return s;
}

void CheckContainerCase(const json& c) {
  const json& in = c.at("input");
  const json& want = c.at("expected");
  const Pod pod = OneContainerPod(in.at("container"));
  NodeCgroupSettings settings = SettingsOf(in);

  // As the kubelet fixture configures it (see the file comment).
  NodeCgroupSettings as_fixture = settings;
  as_fixture.cpu_cfs_quota = false;
  auto got = GenerateLinuxContainerResources(pod, pod.containers[0], as_fixture, false);
  INFO(std::string(got.status().message()));
  REQUIRE(got.ok());
  CHECK(got->cpu_shares == want.at("cpu_shares").get<int64_t>());
  CHECK(got->cpu_quota == want.at("cpu_quota").get<int64_t>());
  CHECK(got->cpu_period == want.at("cpu_period").get<int64_t>());
  CHECK(got->memory_limit_in_bytes == want.at("memory_limit_in_bytes").get<int64_t>());
  CHECK(got->oom_score_adj == want.at("oom_score_adj").get<int64_t>());
  CHECK(got->unified == want.at("unified").get<std::map<std::string, std::string>>());

  // As the vector states the input: only quota and period change.
  auto stated = GenerateLinuxContainerResources(pod, pod.containers[0], settings, false);
  REQUIRE(stated.ok());
  const int64_t limit_milli =
      ResourceOrZero(pod.containers[0].resources.limits, kResourceCpu).MilliValue();
  CHECK(stated->cpu_period == (settings.cpu_cfs_quota ? kDefaultCfsPeriod : 0));
  CHECK(stated->cpu_quota ==
        (settings.cpu_cfs_quota ? MilliCpuToQuota(limit_milli, kDefaultCfsPeriod) : 0));
  CHECK(stated->cpu_shares == got->cpu_shares);
  CHECK(stated->memory_limit_in_bytes == got->memory_limit_in_bytes);
  CHECK(stated->oom_score_adj == got->oom_score_adj);
  CHECK(stated->unified == got->unified);
}

TEST_CASE("cgroup_values: every cgroup_values.json vector", "[cgroup_values][conformance]") {
  const json doc = testing::LoadVectors("memory_qos_resize/cgroup_values.json");
  const json& cases = doc.at("cases");
  REQUIRE(cases.size() == 29);

  std::map<std::string, int> ran;
  for (const json& c : cases) {
    const std::string op = c.at("op").get<std::string>();
    const json& in = c.at("input");
    const json& want = c.at("expected");
    INFO(c.at("name").get<std::string>() << " (" << op << ")");
    if (op == "milli_cpu_to_quota") {
      CHECK(MilliCpuToQuota(in.at("milli_cpu").get<int64_t>(), in.at("period").get<int64_t>()) ==
            want.at("quota").get<int64_t>());
    } else if (op == "milli_cpu_to_shares") {
      CHECK(MilliCpuToShares(in.at("milli_cpu").get<int64_t>()) ==
            want.at("shares").get<uint64_t>());
    } else if (op == "cpu_shares_to_weight_kubelet") {
      const CpuWeight w =
          CpuSharesToWeight(in.at("cpu_shares").get<uint64_t>(), CpuWeightMapping::kLinear);
      CHECK(w.value == want.at("cpu_weight").get<uint64_t>());
      CHECK(w.mapping == CpuWeightMapping::kLinear);
    } else if (op == "container_linux_resources") {
      CheckContainerCase(c);
    } else {
      FAIL("unknown op " << op);
    }
    ++ran[op];
  }
  CHECK(ran == std::map<std::string, int>{{"milli_cpu_to_quota", 8},
                                          {"milli_cpu_to_shares", 7},
                                          {"cpu_shares_to_weight_kubelet", 8},
                                          {"container_linux_resources", 6}});
}

}  // namespace
}  // namespace podalloc
