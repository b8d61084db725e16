// The shared conformance vectors for QoS classes, effective pod requests/limits and the CPU
// manager's guaranteed-CPU counts, run through the public API. Every case runs; the count
// is checked against the file so nothing is skipped silently.
#include <string>

#include <catch2/catch.hpp>

#include "podalloc/guaranteed_cpus.h"
#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/pod_resources.h"
#include "podalloc/qos.h"
#include "support/vectors.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using nlohmann::json;

using testing::Show;

ResourceList ListOf(const json& j, const std::string& what) { return testing::ListFrom(j, what); }

// The vector schema of memory_qos_resize (see its README): snake_case, names optional.
Container ContainerOf(const json& j) {
  Container c;
  c.name = j.value("name", "");
  c.restart_policy = j.value("restart_policy", "");
  if (j.contains("resources")) {
    const json& r = j["resources"];
    if (r.contains("requests")) c.resources.requests = ListOf(r["requests"], "requests");
    if (r.contains("limits")) c.resources.limits = ListOf(r["limits"], "limits");
  }
  return c;
}

ContainerStatus StatusOf(const json& j) {
  ContainerStatus cs;
  cs.name = j.at("name").get<std::string>();
  if (j.contains("allocated_resources")) {
    cs.allocated_resources = ListOf(j["allocated_resources"], "allocated_resources");
  }
  if (j.contains("resources")) {
    const json& r = j["resources"];
    if (r.contains("requests")) cs.resources_requests = ListOf(r["requests"], "requests");
    if (r.contains("limits")) cs.resources_limits = ListOf(r["limits"], "limits");
  }
  return cs;
}

Pod PodOf(const json& j) {
  Pod pod;
  for (const json& c : j.value("init_containers", json::array())) {
    pod.init_containers.push_back(ContainerOf(c));
  }
  for (const json& c : j.value("containers", json::array())) {
    pod.containers.push_back(ContainerOf(c));
  }
  if (j.contains("overhead")) pod.overhead = ListOf(j["overhead"], "overhead");
  if (j.contains("resources")) {
    ResourceRequirements r;
    if (j["resources"].contains("requests")) {
      r.requests = ListOf(j["resources"]["requests"], "resources.requests");
    }
    if (j["resources"].contains("limits")) {
      r.limits = ListOf(j["resources"]["limits"], "resources.limits");
    }
    pod.resources = r;
  }
  if (j.contains("status")) {
    const json& st = j["status"];
    for (const json& s : st.value("container_statuses", json::array())) {
      pod.status.container_statuses.push_back(StatusOf(s));
    }
    for (const json& s : st.value("init_container_statuses", json::array())) {
      pod.status.init_container_statuses.push_back(StatusOf(s));
    }
    for (const json& c : st.value("conditions", json::array())) {
      pod.status.conditions.push_back(PodCondition{c.at("type"), c.at("status"),
                                                   c.value("reason", ""),
                                                   c.value("message", "")});
    }
  }
  return pod;
}

PodResourcesOptions OptionsOf(const json& j) {
  PodResourcesOptions o;
  for (const auto& [key, value] : j.items()) {
    if (key == "ExcludeOverhead") {
      o.exclude_overhead = value.get<bool>();
    } else if (key == "UseStatusResources") {
      o.use_status_resources = value.get<bool>();
    } else if (key == "SkipPodLevelResources") {
      o.skip_pod_level_resources = value.get<bool>();
    } else if (key == "SkipContainerLevelResources") {
      o.skip_container_level_resources = value.get<bool>();
    } else if (key == "InPlacePodLevelResourcesVerticalScalingEnabled") {
      o.in_place_pod_level_resources_vertical_scaling = value.get<bool>();
    } else if (key == "NonMissingContainerRequests") {
      o.non_missing_container_requests = ListOf(value, key);
    } else {
      FAIL("unknown PodResourcesOptions field " << key);
    }
  }
  return o;
}

TEST_CASE("pod: qos_class vectors (TestComputePodQOS)", "[pod][qos][conformance]") {
  json doc = testing::LoadVectors("memory_qos_resize/qos_class.json");
  size_t ran = 0;
  for (const json& c : doc["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    QosOptions options;
    options.pod_level_resources = c["feature_gates"].value("PodLevelResources", true);
    const Pod pod = PodOf(c["pod"]);
    const QosClass qos = ComputePodQos(pod, options);
    CHECK(QosClassName(qos) == c["expected"]["qos_class"].get<std::string>());
    // With no status.qosClass the recorded class is the computed one.
    CHECK(GetPodQos(pod, options) == qos);
    ++ran;
  }
  CHECK(ran == doc["cases"].size());
  CHECK(ran == 20);
}

TEST_CASE("pod: pod_requests vectors (PodRequests / PodLimits / pod-level checks)",
          "[pod][pod_resources][conformance]") {
  json doc = testing::LoadVectors("memory_qos_resize/pod_requests.json");
  size_t ran = 0;
  for (const json& c : doc["cases"]) {
    const std::string op = c["op"];
    INFO("case: " << c["name"].get<std::string>() << " (" << c["kubelet_test"].get<std::string>()
                  << ", op " << op << ")");
    const Pod pod = PodOf(c["pod"]);
    const PodResourcesOptions options = OptionsOf(c["options"]);
    const json& expected = c["expected"];
    if (op == "requests" || op == "requests_and_limits") {
      const ResourceList want = ListOf(expected.at("requests"), "expected.requests");
      const ResourceList got = PodRequests(pod, options);
      INFO("requests: got " << Show(got) << " want " << Show(want));
      CHECK(got == want);
    }
    if (op == "limits" || op == "requests_and_limits") {
      const ResourceList want = ListOf(expected.at("limits"), "expected.limits");
      const ResourceList got = PodLimits(pod, options);
      INFO("limits: got " << Show(got) << " want " << Show(want));
      CHECK(got == want);
    }
    if (op == "is_pod_level_resources_set") {
      CHECK(IsPodLevelResourcesSet(pod) == expected.at("value").get<bool>());
    } else if (op == "is_pod_level_limits_set") {
      CHECK(IsPodLevelLimitsSet(pod) == expected.at("value").get<bool>());
    } else if (op != "requests" && op != "limits" && op != "requests_and_limits") {
      FAIL("unknown op " << op);
    }
    ++ran;
  }
  CHECK(ran == doc["cases"].size());
  CHECK(ran == 54);
}

// makeMultiContainerPodWithOptions: cpu request/limit as given, memory 1G request and limit.
Container CpuManagerContainer(const json& j, const std::string& name) {
  Container c;
  c.name = name;
  c.restart_policy = j.value("restart_policy", "");
  c.resources.requests = ListOf(json{{"cpu", j.at("cpu_request")}, {"memory", "1G"}}, "requests");
  c.resources.limits = ListOf(json{{"cpu", j.at("cpu_limit")}, {"memory", "1G"}}, "limits");
  return c;
}

TEST_CASE("pod: pod_guaranteed_cpus vectors (TestPodGuaranteedCPUs)",
          "[pod][guaranteed_cpus][conformance]") {
  json doc = testing::LoadVectors("cpumanager/pod_guaranteed_cpus.json");
  size_t ran = 0;
  for (const json& c : doc["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    Pod pod;
    pod.name = "pod";
    pod.uid = "podUID";
    const json& p = c["pod"];
    for (size_t i = 0; i < p["init_containers"].size(); ++i) {
      pod.init_containers.push_back(
          CpuManagerContainer(p["init_containers"][i], "initContainer-" + std::to_string(i)));
    }
    for (size_t i = 0; i < p["containers"].size(); ++i) {
      pod.containers.push_back(
          CpuManagerContainer(p["containers"][i], "appContainer-" + std::to_string(i)));
    }
    CHECK(PodGuaranteedCpus(pod) == c["expected"]["pod_guaranteed_cpus"].get<int>());
    ++ran;
  }
  CHECK(ran == doc["cases"].size());
  CHECK(ran == 12);
}

}  // namespace
}  // namespace podalloc
