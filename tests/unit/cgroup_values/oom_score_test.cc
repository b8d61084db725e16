// oom_score_adj (pkg/kubelet/qos/policy.go).
#include <catch2/catch.hpp>
#include <cstdint>

#include "podalloc/cgroup_values.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using namespace testing;  // the builders and constants of test_pods.h

constexpr int64_t kCapacity = 17179860387;  // the kubelet test's "16GB"

int Score(const Pod& pod, const Container& c, int64_t capacity = kCapacity, bool pod_level = true,
          bool critical = false) {
  auto s = ContainerOomScoreAdjust(pod, c, capacity, pod_level, critical);
  INFO(std::string(s.status().message()));
  REQUIRE(s.ok());
  return *s;
}

TEST_CASE("cgroup_values: oom_score_adj by QoS class", "[cgroup_values][oom]") {
  const Pod guaranteed = MakePod(
      {MakeContainer("g", {{"cpu", "1"}, {"memory", "1Gi"}}, {{"cpu", "1"}, {"memory", "1Gi"}})});
  CHECK(Score(guaranteed, guaranteed.containers[0]) == -997);
  const Pod best_effort = MakePod({MakeContainer("b", {}, {})});
  CHECK(Score(best_effort, best_effort.containers[0]) == 1000);
  // Node-critical pods are protected like Guaranteed ones whatever their class.
  CHECK(Score(best_effort, best_effort.containers[0], kCapacity, true, true) == -997);
  // The BestEffort and Guaranteed answers do not need a capacity.
  CHECK(ContainerOomScoreAdjust(best_effort, best_effort.containers[0], 0, true).ok());
}

TEST_CASE("cgroup_values: Burstable oom_score_adj is relative to capacity and clamped",
          "[cgroup_values][oom]") {
  const Pod pod = MakePod({MakeContainer("b", {{"memory", "500Mi"}}, {{"memory", "750Mi"}})});
  CHECK(Score(pod, pod.containers[0]) == 970);
  // Requesting everything would score 0: kept above Guaranteed's 3.
  const Pod huge = MakePod({MakeContainer("b", {{"memory", "32Gi"}}, {})});
  CHECK(Score(huge, huge.containers[0]) == 3);
  // No memory request would score 1000: kept below BestEffort.
  const Pod cpu_only = MakePod({MakeContainer("b", {{"cpu", "100m"}}, {})});
  CHECK(Score(cpu_only, cpu_only.containers[0]) == 999);
  // 10% of the node -> 900.
  const Pod tenth = MakePod({MakeContainer("b", {{"memory", "1Gi"}}, {})});
  CHECK(Score(tenth, tenth.containers[0], 10 * kGi) == 900);
  const absl::Status no_capacity =
      ContainerOomScoreAdjust(tenth, tenth.containers[0], 0, true).status();
  CHECK(no_capacity.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(no_capacity.message()).find("container \"b\"") != std::string::npos);
}

TEST_CASE("cgroup_values: a sidecar never scores above the app containers",
          "[cgroup_values][oom]") {
  Pod pod = MakePod({MakeContainer("small", {{"memory", "2Gi"}}, {}),
                     MakeContainer("large", {{"memory", "5Gi"}}, {})});
  pod.init_containers = {MakeContainer("proxy", {{"memory", "1Gi"}}, {}, "Always"),
                         MakeContainer("setup", {{"memory", "1Gi"}}, {})};
  // Alone the sidecar would score 900; it is lowered to the smallest app container's 800.
  CHECK(Score(pod, pod.init_containers[0], 10 * kGi) == 800);
  // A regular init container keeps its own score.
  CHECK(Score(pod, pod.init_containers[1], 10 * kGi) == 900);
  // A sidecar requesting more than the app containers keeps its own, lower, score.
  pod.init_containers[0] = MakeContainer("proxy", {{"memory", "3Gi"}}, {}, "Always");
  CHECK(Score(pod, pod.init_containers[0], 10 * kGi) == 700);
}

TEST_CASE("cgroup_values: unclaimed pod-level memory is shared among containers",
          "[cgroup_values][oom]") {
  Pod pod = MakePod({MakeContainer("a", {{"memory", "1Gi"}}, {}), MakeContainer("b", {}, {})});
  pod.resources = ResourceRequirements{Resources({{"memory", "5Gi"}}), {}};
  // 4Gi unclaimed over 2 containers: a counts 3Gi, b counts 2Gi.
  CHECK(Score(pod, pod.containers[0], 10 * kGi) == 700);
  CHECK(Score(pod, pod.containers[1], 10 * kGi) == 800);
  // With the PodLevelResources gate off only the container's own request counts.
  CHECK(Score(pod, pod.containers[0], 10 * kGi, false) == 900);
}

}  // namespace
}  // namespace podalloc
