#include <string>

#include <catch2/catch.hpp>

#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/pod_resources.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using testing::Show;

Pod P(const std::string& json) { return testing::PodFrom(json); }
ResourceList L(const std::string& json) { return testing::ListFrom(json); }

#define CHECK_LIST(got, want_json)                                  \
  do {                                                              \
    const ResourceList got_ = (got);                                \
    const ResourceList want_ = L(want_json);                        \
    INFO("got " << Show(got_) << " want " << Show(want_));          \
    CHECK(got_ == want_);                                           \
  } while (false)

TEST_CASE("pod: sidecars add up, regular init containers peak", "[pod][pod_resources]") {
  // init 5, sidecars 1 and 2, init 5, sidecar 3, app 1 -> max(1+6, 5, 1+2+5, 6) = 8.
  const Pod pod = P(R"({"spec": {
      "initContainers": [
        {"name": "i1", "resources": {"requests": {"cpu": "5", "memory": "5Gi"}}},
        {"name": "s1", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}},
        {"name": "s2", "restartPolicy": "Always", "resources": {"requests": {"cpu": "2", "memory": "2Gi"}}},
        {"name": "i2", "resources": {"requests": {"cpu": "5", "memory": "10Gi"}}},
        {"name": "s3", "restartPolicy": "Always", "resources": {"requests": {"cpu": "3"}}}],
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}})");
  // memory: app 1 + sidecars 3 = 4 against init peak 1+2+10 = 13.
  CHECK_LIST(PodRequests(pod), R"({"cpu": "8", "memory": "13Gi"})");
}

TEST_CASE("pod: pod-level values replace supported keys only", "[pod][pod_resources]") {
  // Pod memory 2Mi and container cpu 2m: both survive.
  Pod pod = P(R"({"spec": {"resources": {"requests": {"memory": "2Mi", "ephemeral-storage": "1Gi"}},
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "2m", "memory": "1Mi", "ephemeral-storage": "5Gi"}}}]}})");
  CHECK(IsPodLevelRequestsSet(pod));
  CHECK_FALSE(IsPodLevelLimitsSet(pod));
  CHECK_LIST(PodRequests(pod), R"({"cpu": "2m", "memory": "2Mi", "ephemeral-storage": "5Gi"})");
  PodResourcesOptions skip;
  skip.skip_pod_level_resources = true;
  CHECK_LIST(PodRequests(pod, skip), R"({"cpu": "2m", "memory": "1Mi", "ephemeral-storage": "5Gi"})");
  skip = {};
  skip.skip_container_level_resources = true;
  CHECK_LIST(PodRequests(pod, skip), R"({"memory": "2Mi"})");

  // Limits follow pod-level limits once any supported pod-level key is set.
  pod = P(R"({"spec": {"resources": {"limits": {"cpu": "4", "hugepages-2Mi": "4Mi"}},
      "containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})");
  CHECK(IsPodLevelResourcesSet(pod));
  CHECK_LIST(PodLimits(pod), R"({"cpu": "4", "memory": "1Gi", "hugepages-2Mi": "4Mi"})");
}

TEST_CASE("pod: overhead creates request keys but only raises non-zero limits",
          "[pod][pod_resources]") {
  const Pod pod = P(R"({"spec": {"overhead": {"cpu": "250m", "memory": "120Mi"},
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}, "limits": {"example.com/x": "1"}}},
                     {"name": "b", "resources": {"limits": {"cpu": "0"}}}]}})");
  CHECK_LIST(PodRequests(pod), R"({"cpu": "1250m", "memory": "120Mi"})");
  CHECK_LIST(PodLimits(pod), R"({"cpu": "0", "example.com/x": "1"})");
  PodResourcesOptions no_overhead;
  no_overhead.exclude_overhead = true;
  CHECK_LIST(PodRequests(pod, no_overhead), R"({"cpu": "1"})");
}

TEST_CASE("pod: defaults for missing container requests keep explicit zeros",
          "[pod][pod_resources]") {
  const Pod pod = P(R"({"spec": {"initContainers": [{"name": "i"}],
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "0"}}}, {"name": "b"}]}})");
  PodResourcesOptions options;
  options.non_missing_container_requests = L(R"({"cpu": "100m", "memory": "200Mi"})");
  // a: cpu 0 (explicit) + memory 200Mi; b: 100m + 200Mi; init: 100m + 200Mi (peak).
  CHECK_LIST(PodRequests(pod, options), R"({"cpu": "100m", "memory": "400Mi"})");
  // Limits never take the defaults.
  CHECK_LIST(PodLimits(pod, options), "{}");
}

TEST_CASE("pod: resize-aware accounting with pod-level status maps", "[pod][pod_resources]") {
  // Pod-level in-place resize: status values include overhead, which is taken out before
  // the max with the spec and added back once.
  Pod pod = P(R"({"spec": {"overhead": {"cpu": "1"},
      "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "2"}},
      "containers": [{"name": "a"}]},
    "status": {"resources": {"requests": {"cpu": "5"}, "limits": {"cpu": "4"}}, "allocatedResources": {"cpu": "3"}}})");
  PodResourcesOptions options;
  options.use_status_resources = true;
  options.in_place_pod_level_resources_vertical_scaling = true;
  CHECK_LIST(PodRequests(pod, options), R"({"cpu": "5"})");   // max(2, 5-1, 3-1) + 1
  CHECK_LIST(PodLimits(pod, options), R"({"cpu": "4"})");     // max(2, 4-1) + 1
  // Without the option the spec alone counts.
  options.in_place_pod_level_resources_vertical_scaling = false;
  CHECK_LIST(PodRequests(pod, options), R"({"cpu": "3"})");
  // An infeasible resize drops the spec side.
  pod.status.conditions.push_back({"PodResizePending", "True", "Infeasible", ""});
  options.in_place_pod_level_resources_vertical_scaling = true;
  pod.resources->requests = L(R"({"cpu": "9"})");
  CHECK(IsPodResizeInfeasible(pod));
  CHECK_FALSE(IsPodResizeDeferred(pod));
  CHECK_LIST(PodRequests(pod, options), R"({"cpu": "5"})");
}

}  // namespace
}  // namespace podalloc
