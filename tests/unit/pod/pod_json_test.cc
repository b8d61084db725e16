#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/seed.h"
#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/qos.h"
#include "test_pods.h"

namespace podalloc {
namespace {

Quantity Q(const std::string& text) { return testing::QuantityFrom(text); }

// A pod as the API server returns it: many fields allocation never reads.
constexpr const char* kFullPod = R"({
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "web-0", "namespace": "shop", "uid": "8f2c-11",
    "labels": {"app": "web"}, "annotations": {"a": "b"},
    "ownerReferences": [{"kind": "StatefulSet", "name": "web"}],
    "creationTimestamp": "2026-01-01T00:00:00Z"
  },
  "spec": {
    "nodeName": "node-1",
    "priority": 0,
    "tolerations": [{"key": "k", "operator": "Exists"}],
    "volumes": [{"name": "data", "emptyDir": {}}],
    "initContainers": [
      {"name": "setup", "image": "busybox", "command": ["sh", "-c", "true"],
       "resources": {"requests": {"cpu": "500m", "memory": "64Mi"}}},
      {"name": "proxy", "image": "envoy", "restartPolicy": "Always",
       "resources": {"requests": {"cpu": "1", "memory": "128Mi"},
                     "limits": {"cpu": "1", "memory": "128Mi"}}}
    ],
    "containers": [
      {"name": "app", "image": "nginx", "ports": [{"containerPort": 80}],
       "env": [{"name": "X", "value": "1"}],
       "resources": {
         "requests": {"cpu": 2, "memory": "2Gi", "hugepages-2Mi": "1Gi",
                      "hugepages-1Gi": "2Gi", "ephemeral-storage": "10G",
                      "example.com/gpu": "1"},
         "limits": {"cpu": "2", "memory": "2Gi", "hugepages-2Mi": "1Gi",
                    "hugepages-1Gi": "2Gi", "example.com/gpu": "1"},
         "claims": [{"name": "gpu"}]
       },
       "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"},
                        {"resourceName": "memory", "restartPolicy": "RestartContainer"}]},
      {"name": "sidecar-less", "image": "x", "resources": {}}
    ],
    "ephemeralContainers": [{"name": "debug", "image": "busybox", "targetContainerName": "app"}],
    "overhead": {"cpu": "250m", "memory": "120Mi"},
    "resources": {"requests": {"cpu": "4", "memory": "4Gi"}, "limits": {"cpu": "4", "memory": "4Gi"}}
  },
  "status": {
    "phase": "Running",
    "qosClass": "Guaranteed",
    "conditions": [{"type": "PodResizePending", "status": "True", "reason": "Deferred",
                    "message": "not enough cpu", "lastTransitionTime": null}],
    "containerStatuses": [
      {"name": "app", "ready": true, "allocatedResources": {"cpu": "2", "memory": "2Gi"},
       "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "2"}}}
    ],
    "initContainerStatuses": [{"name": "proxy", "resources": {"limits": {"memory": "128Mi"}}}],
    "resources": {"requests": {"cpu": "4"}},
    "allocatedResources": {"cpu": "4", "memory": "4Gi"}
  }
})";

TEST_CASE("pod: a full API-server pod parses, unknown fields ignored", "[pod][json]") {
  auto parsed = ParsePod(kFullPod);
  INFO(std::string(parsed.status().message()));
  REQUIRE(parsed.ok());
  const Pod& pod = *parsed;
  CHECK(pod.name == "web-0");
  CHECK(pod.namespace_name == "shop");
  CHECK(pod.uid == "8f2c-11");
  REQUIRE(pod.init_containers.size() == 2);
  CHECK(pod.init_containers[0].name == "setup");
  CHECK_FALSE(IsSidecar(pod.init_containers[0]));
  CHECK(IsSidecar(pod.init_containers[1]));
  REQUIRE(pod.containers.size() == 2);
  const Container& app = pod.containers[0];
  CHECK(app.resources.requests.size() == 6);
  CHECK(app.resources.requests.at("cpu") == Q("2"));
  CHECK(app.resources.requests.at("hugepages-1Gi") == Q("2Gi"));
  CHECK(app.resources.requests.at("example.com/gpu") == Q("1"));
  CHECK(app.resources.limits.size() == 5);
  // Sorted by name, so iteration order is fixed.
  CHECK(app.resources.requests.begin()->first == "cpu");
  REQUIRE(app.resize_policy.size() == 2);
  CHECK(app.resize_policy[1] == ContainerResizePolicy{"memory", "RestartContainer"});
  CHECK(pod.containers[1].resources == ResourceRequirements{});
  REQUIRE(pod.ephemeral_containers.size() == 1);
  CHECK(pod.ephemeral_containers[0].name == "debug");
  CHECK(pod.overhead.at("memory") == Q("120Mi"));
  REQUIRE(pod.resources.has_value());
  CHECK(pod.resources->limits.at("memory") == Q("4Gi"));
  CHECK(pod.status.qos_class == "Guaranteed");
  REQUIRE(pod.status.conditions.size() == 1);
  CHECK(pod.status.conditions[0].reason == "Deferred");
  REQUIRE(pod.status.container_statuses.size() == 1);
  const ContainerStatus& cs = pod.status.container_statuses[0];
  REQUIRE(cs.allocated_resources.has_value());
  CHECK(cs.allocated_resources->at("memory") == Q("2Gi"));
  REQUIRE(cs.resources_requests.has_value());
  CHECK(cs.resources_requests->at("cpu") == Q("2"));
  const ContainerStatus* proxy = FindContainerStatus(pod, "proxy");
  REQUIRE(proxy != nullptr);
  CHECK_FALSE(proxy->resources_requests.has_value());
  CHECK(proxy->resources_limits.has_value());
  CHECK(pod.status.has_resources);
  CHECK_FALSE(pod.status.resources_limits.has_value());
  CHECK(pod.status.allocated_resources->at("cpu") == Q("4"));
  CHECK(FindContainer(pod, "debug") == &pod.ephemeral_containers[0]);
  CHECK(FindContainer(pod, "nope") == nullptr);

  // The same document through the nlohmann entry point gives the same value.
  auto again = PodFromJson(nlohmann::json::parse(kFullPod));
  REQUIRE(again.ok());
  CHECK(*again == pod);
}

TEST_CASE("pod: minimal documents, nulls and numeric quantities", "[pod][json]") {
  // No apiVersion/kind/metadata/status.
  auto bare = ParsePod(R"({"spec": {"containers": [{"name": "c"}]}})");
  REQUIRE(bare.ok());
  CHECK(bare->containers.size() == 1);
  CHECK_FALSE(bare->resources.has_value());
  CHECK(ComputePodQos(*bare) == QosClass::kBestEffort);

  // null is an absent field; a null quantity is zero (Quantity.UnmarshalJSON).
  auto nulls = ParsePod(R"({"metadata": null, "spec": {"initContainers": null,
      "containers": [{"name": "c", "resources": {"requests": {"cpu": null}, "limits": null}}],
      "resources": null, "overhead": null}, "status": null})");
  REQUIRE(nulls.ok());
  CHECK(nulls->containers[0].resources.requests.at("cpu").IsZero());
  CHECK_FALSE(nulls->resources.has_value());

  // Numbers and padded strings, as the API's JSON decoding accepts them.
  auto numbers = ParsePod(R"({"spec": {"containers": [{"name": "c", "resources": {
      "requests": {"cpu": 0.5, "memory": 1073741824, "example.com/x": " 3 "}}}]}})");
  REQUIRE(numbers.ok());
  const ResourceList& r = numbers->containers[0].resources.requests;
  CHECK(r.at("cpu").MilliValue() == 500);
  CHECK(r.at("memory") == Q("1Gi"));
  CHECK(r.at("example.com/x") == Q("3"));

  // An empty spec.resources object is still "set" for QoS purposes.
  auto empty_pod_level = ParsePod(R"({"spec": {"resources": {}, "containers": [{"name": "c"}]}})");
  REQUIRE(empty_pod_level.ok());
  CHECK(empty_pod_level->resources.has_value());
}

struct BadPod {
  const char* doc;
  std::vector<std::string> mentions;  // substrings the message must contain
};

TEST_CASE("pod: priority, static and mirror markers, DRA claim mappings", "[pod][json]") {
  auto pod = ParsePod(R"({"metadata": {"name": "p", "annotations": {
        "kubernetes.io/config.source": "file", "kubernetes.io/config.mirror": "abc"}},
      "spec": {"priority": 2000001000, "containers": [{"name": "c"}]},
      "status": {"extendedResourceClaimStatus": {"resourceClaimName": "p-extended",
        "requestMappings": [{"containerName": "c", "resourceName": "example.com/gpu",
                             "requestName": "container-0-request-0"}]}}})");
  REQUIRE(pod.ok());
  CHECK(pod->priority == 2000001000);
  CHECK(pod->config_source == "file");
  CHECK(pod->mirror);
  REQUIRE(pod->status.extended_resource_request_mappings.size() == 1);
  CHECK(pod->status.extended_resource_request_mappings[0] ==
        ExtendedResourceRequestMapping{"c", "example.com/gpu", "container-0-request-0"});
  auto plain = ParsePod(R"({"spec": {"containers": [{"name": "c"}]}})");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->priority.has_value());
  CHECK(plain->config_source.empty());
  CHECK_FALSE(plain->mirror);
}

TEST_CASE("pod: malformed and invalid pod documents are errors naming path and value",
          "[pod][json]") {
  const BadPod cases[] = {
      {"", {"malformed"}},
      {"{", {"malformed"}},
      {R"({"spec": {"containers": [}})", {"malformed"}},
      {"[]", {"pod", "object"}},
      {R"("pod")", {"pod", "object"}},
      {R"({"kind": "Deployment", "spec": {"containers": [{"name": "c"}]}})", {"kind", "Deployment"}},
      {R"({"apiVersion": "apps/v1", "spec": {"containers": [{"name": "c"}]}})", {"apiVersion", "apps/v1"}},
      {R"({"kind": 3, "spec": {"containers": [{"name": "c"}]}})", {"kind", "string", "3"}},
      {R"({"metadata": [], "spec": {"containers": [{"name": "c"}]}})", {"metadata", "object"}},
      {R"({"metadata": {"name": 7}, "spec": {"containers": [{"name": "c"}]}})", {"metadata.name", "7"}},
      {R"({"metadata": {"uid": {}}, "spec": {"containers": [{"name": "c"}]}})", {"metadata.uid"}},
      {R"({"metadata": {"name": "p"}})", {"spec", "required"}},
      {R"({"spec": []})", {"spec", "object"}},
      {R"({"spec": {"priority": "high", "containers": [{"name": "c"}]}})", {"spec.priority", "32-bit"}},
      {R"({"spec": {"priority": 3000000000, "containers": [{"name": "c"}]}})", {"spec.priority"}},
      {R"({"metadata": {"annotations": []}, "spec": {"containers": [{"name": "c"}]}})",
       {"metadata.annotations", "object"}},
      {R"({"spec": {"containers": [{"name": "c"}]}, "status": {"extendedResourceClaimStatus": {"requestMappings": {}}}})",
       {"status.extendedResourceClaimStatus.requestMappings", "array"}},
      {R"({"spec": {}})", {"spec.containers", "required"}},
      {R"({"spec": {"containers": []}})", {"spec.containers", "required"}},
      {R"({"spec": {"containers": {"name": "c"}}})", {"spec.containers", "array"}},
      {R"({"spec": {"containers": ["c"]}})", {"spec.containers[0]", "object", "\"c\""}},
      {R"({"spec": {"containers": [{"image": "x"}]}})", {"spec.containers[0].name", "required"}},
      {R"({"spec": {"containers": [{"name": ""}]}})", {"spec.containers[0].name", "required"}},
      {R"({"spec": {"containers": [{"name": 1}]}})", {"spec.containers[0].name", "1"}},
      {R"({"spec": {"containers": [{"name": "a"}, {"name": "a"}]}})",
       {"spec.containers[1].name", "\"a\"", "duplicates spec.containers[0].name"}},
      {R"({"spec": {"initContainers": [{"name": "a"}], "containers": [{"name": "a"}]}})",
       {"spec.containers[0].name", "duplicates spec.initContainers[0].name"}},
      {R"({"spec": {"containers": [{"name": "a"}], "ephemeralContainers": [{"name": "a"}]}})",
       {"spec.ephemeralContainers[0].name", "duplicates"}},
      // More than 16 containers: the names are indexed rather than searched.
      {R"({"spec": {"initContainers": [{"name": "c3"}], "containers": [{"name": "c0"},
          {"name": "c1"}, {"name": "c2"}, {"name": "c4"}, {"name": "c5"}, {"name": "c6"},
          {"name": "c7"}, {"name": "c8"}, {"name": "c9"}, {"name": "c10"}, {"name": "c11"},
          {"name": "c12"}, {"name": "c13"}, {"name": "c14"}, {"name": "c15"}, {"name": "c16"},
          {"name": "c3"}]}})",
       {"spec.containers[16].name", "\"c3\"", "duplicates spec.initContainers[0].name"}},
      {R"({"spec": {"containers": [{"name": "a"}, {"name": "b", "resources": {"limits": {"cpu": "abc"}}}]}})",
       {"spec.containers[1].resources.limits.cpu", "\"abc\"", "is not a quantity"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"memory": "1GB"}}}]}})",
       {"spec.containers[0].resources.requests.memory", "\"1GB\"", "is not a quantity"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": true}}}]}})",
       {"spec.containers[0].resources.requests.cpu", "boolean", "true"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": ["1"]}}}]}})",
       {"spec.containers[0].resources.requests.cpu", "array"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": "1"}}]}})",
       {"spec.containers[0].resources.requests", "object"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": []}]}})",
       {"spec.containers[0].resources", "object"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "-1"}}}]}})",
       {"spec.containers[0].resources.requests.cpu", "\"-1\"", "greater than or equal to 0"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": -5}}}]}})",
       {"spec.containers[0].resources.limits.memory", "\"-5\"", "greater than or equal to 0"}},
      {R"({"spec": {"containers": [{"name": "a"}], "overhead": {"cpu": "-100m"}}})",
       {"spec.overhead.cpu", "\"-100m\""}},
      {R"({"spec": {"containers": [{"name": "a"}], "resources": {"requests": {"memory": "-1Gi"}}}})",
       {"spec.resources.requests.memory", "\"-1Gi\""}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "99999999999999999999"}}}]}})",
       {"spec.containers[0].resources.requests.cpu", "99999999999999999999", "out of range"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": 1e30}}}]}})",
       {"spec.containers[0].resources.limits.memory", "out of range"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]}})",
       {"spec.containers[0].resources.requests.cpu", "\"2\"", "less than or equal to cpu limit \"1\""}},
      {R"({"spec": {"containers": [{"name": "a"}], "resources": {"requests": {"cpu": "4"}, "limits": {"cpu": "2"}}}})",
       {"spec.resources.requests.cpu", "\"4\""}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"hugepages-2Mi": "2Mi"}}}]}})",
       {"spec.containers[0].resources.requests.hugepages-2Mi", "\"2Mi\"", "limit"}},
      {R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"hugepages-1Gi": "1Gi"}, "limits": {"hugepages-1Gi": "2Gi"}}}]}})",
       {"spec.containers[0].resources.requests.hugepages-1Gi", "\"1Gi\"", "equal", "\"2Gi\""}},
      {R"({"spec": {"initContainers": [{"name": "i", "restartPolicy": "Sometimes"}], "containers": [{"name": "a"}]}})",
       {"spec.initContainers[0].restartPolicy", "\"Sometimes\""}},
      {R"({"spec": {"initContainers": [{"name": "i", "restartPolicy": 1}], "containers": [{"name": "a"}]}})",
       {"spec.initContainers[0].restartPolicy", "string"}},
      {R"({"spec": {"containers": [{"name": "a", "resizePolicy": {}}]}})",
       {"spec.containers[0].resizePolicy", "array"}},
      {R"({"spec": {"containers": [{"name": "a", "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "Never"}]}]}})",
       {"spec.containers[0].resizePolicy[0].restartPolicy", "\"Never\""}},
      {R"({"spec": {"containers": [{"name": "a", "resizePolicy": [{"restartPolicy": "NotRequired"}]}]}})",
       {"spec.containers[0].resizePolicy[0].resourceName", "required"}},
      {R"({"spec": {"containers": [{"name": "a"}]}, "status": {"qosClass": "Gold"}})",
       {"status.qosClass", "\"Gold\""}},
      {R"({"spec": {"containers": [{"name": "a"}]}, "status": []})", {"status", "object"}},
      {R"({"spec": {"containers": [{"name": "a"}]}, "status": {"containerStatuses": [{"name": "a", "allocatedResources": {"cpu": "x1"}}]}})",
       {"status.containerStatuses[0].allocatedResources.cpu", "\"x1\""}},
      {R"({"spec": {"containers": [{"name": "a"}]}, "status": {"initContainerStatuses": [{"name": "a", "resources": {"limits": {"memory": "1Zi"}}}]}})",
       {"status.initContainerStatuses[0].resources.limits.memory", "\"1Zi\""}},
      {R"({"spec": {"containers": [{"name": "a"}]}, "status": {"conditions": [{"type": 5}]}})",
       {"status.conditions[0].type", "5"}},
      {R"({"spec": {"containers": [{"name": "a"}]}, "status": {"resources": {"requests": {"cpu": {}}}}})",
       {"status.resources.requests.cpu", "object"}},
  };
  int checked = 0;
  for (const BadPod& c : cases) {
    INFO("document: " << c.doc);
    auto pod = ParsePod(c.doc);
    REQUIRE_FALSE(pod.ok());
    CHECK(pod.status().code() == absl::StatusCode::kInvalidArgument);
    const std::string message(pod.status().message());
    INFO("message: " << message);
    for (const std::string& m : c.mentions) CHECK(message.find(m) != std::string::npos);
    ++checked;
  }
  CHECK(checked >= 45);
}

TEST_CASE("pod: a pod-level budget must hold its containers (validatePodResourceConsistency)",
          "[pod][json]") {
  struct Case {
    const char* doc;
    const char* error;  // "" = valid
  };
  const Case cases[] = {
      // Requests: the sidecar-aware aggregate (sidecar 1 + app 1) must fit the pod request.
      {R"({"spec": {"resources": {"requests": {"cpu": "1500m"}},
          "initContainers": [{"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}}],
          "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}})",
       "spec.resources.requests.cpu: \"1500m\" must be greater than or equal to aggregate "
       "container requests of 2"},
      // A regular init container only counts as the largest single step.
      {R"({"spec": {"resources": {"requests": {"cpu": "2"}},
          "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2"}}}],
          "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}})",
       ""},
      // Hugepage limits: the containers' aggregate must fit the pod's.
      {R"({"spec": {"resources": {"limits": {"hugepages-2Mi": "2Mi"}},
          "containers": [{"name": "a", "resources": {"limits": {"hugepages-2Mi": "2Mi"}}},
                         {"name": "b", "resources": {"limits": {"hugepages-2Mi": "2Mi"}}}]}})",
       "spec.resources.limits.hugepages-2Mi: \"2Mi\" must be greater than or equal to aggregate "
       "container limits of 4Mi"},
      // No container limit above the pod's, even when the sum fits.
      {R"({"spec": {"resources": {"requests": {"memory": "1Gi"}, "limits": {"memory": "1Gi"}},
          "containers": [{"name": "a", "resources": {"requests": {"memory": "512Mi"}, "limits": {"memory": "2Gi"}}}]}})",
       "spec.containers[0].resources.limits.memory: \"2Gi\" must be less than or equal to pod "
       "limits of 1Gi"},
      // Unbounded containers under a pod budget are the common case.
      {R"({"spec": {"resources": {"requests": {"cpu": "2", "memory": "2Gi"}, "limits": {"cpu": "4", "memory": "4Gi"}},
          "containers": [{"name": "a"}, {"name": "b", "resources": {"requests": {"cpu": "1"}}}]}})",
       ""},
  };
  for (const Case& c : cases) {
    INFO(c.doc);
    auto pod = ParsePod(c.doc);
    if (std::string(c.error).empty()) {
      CHECK(pod.ok());
      continue;
    }
    REQUIRE_FALSE(pod.ok());
    CHECK(pod.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(pod.status().message()) == c.error);
    // With the PodLevelResources gate off the API server does not apply the rule.
    PodParseOptions gate_off;
    gate_off.defaulting.pod_level_resources = false;
    CHECK(ParsePod(c.doc, gate_off).ok());
  }
}

TEST_CASE("pod: randomly damaged documents fail cleanly or parse, never crash",
          "[pod][json][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed: " << seed);
  std::mt19937_64 rng(seed);
  const std::string original = kFullPod;
  const std::string alphabet = "{}[]\",:-.0123456789eEKMGimnu \n\tabcxyz\\";
  int ok = 0;
  int failed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string doc = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % doc.size();
      switch (rng() % 3) {
        case 0: doc.erase(at, 1 + rng() % 8); break;
        case 1: doc[at] = alphabet[rng() % alphabet.size()]; break;
        default: doc = doc.substr(0, at) + alphabet[rng() % alphabet.size()] + doc.substr(at); break;
      }
      if (doc.empty()) doc = "{";
    }
    auto pod = ParsePod(doc);
    if (pod.ok()) {
      ++ok;
      continue;
    }
    ++failed;
    INFO("document: " << doc);
    CHECK(pod.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_FALSE(pod.status().message().empty());
  }
  CHECK(ok + failed == 3000);
  CHECK(failed > 0);
}

}  // namespace
}  // namespace podalloc
