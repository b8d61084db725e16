// The API server's resource defaulting (pkg/apis/core/v1/defaults.go) as ApplyApiServerDefaults
// and the parser apply it: one case per rule, the gate and options, the interplay with
// validation, idempotence (also on random pods), and pods the defaulting must not touch.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/seed.h"
#include "podalloc/pod.h"
#include "podalloc/pod_defaults.h"
#include "podalloc/pod_json.h"
#include "podalloc/qos.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using testing::ListFrom;
using testing::PodFrom;
using testing::Show;

// Parsed with the parser's default (defaulting on).
Pod Defaulted(const std::string& json, const PodParseOptions& options = {}) {
  auto pod = ParsePod(json, options);
  INFO(json << "\n" << std::string(pod.status().message()));
  REQUIRE(pod.ok());
  return *pod;
}

Pod WithOptions(const std::string& json, const DefaultingOptions& options) {
  PodParseOptions parse;
  parse.defaulting = options;
  return Defaulted(json, parse);
}

#define CHECK_LIST(got, want_json)                                \
  do {                                                            \
    const ResourceList got_ = (got);                              \
    const ResourceList want_ = ListFrom(std::string(want_json));  \
    INFO("got " << Show(got_) << " want " << Show(want_));        \
    CHECK(got_ == want_);                                         \
  } while (0)

TEST_CASE("pod defaults: container limits become missing requests, explicit requests stay",
          "[pod][defaults]") {
  const Pod pod = Defaulted(R"({"spec": {
      "initContainers": [{"name": "i", "resources": {"limits": {"cpu": "1", "example.com/x": "2"}}},
                         {"name": "s", "restartPolicy": "Always", "resources": {"limits": {"memory": "1Gi"}}}],
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "500m"}, "limits": {"cpu": "1", "memory": "1Gi"}}},
                     {"name": "b"}]}})");
  CHECK_LIST(pod.init_containers[0].resources.requests, R"({"cpu": "1", "example.com/x": "2"})");
  CHECK_LIST(pod.init_containers[1].resources.requests, R"({"memory": "1Gi"})");
  CHECK_LIST(pod.containers[0].resources.requests, R"({"cpu": "500m", "memory": "1Gi"})");
  CHECK(pod.containers[1].resources.requests.empty());
  CHECK_FALSE(pod.resources.has_value());  // no pod-level field is invented

  // The container rule is not gated.
  DefaultingOptions gate_off;
  gate_off.pod_level_resources = false;
  const Pod ungated =
      WithOptions(R"({"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "2"}}}]}})",
                  gate_off);
  CHECK_LIST(ungated.containers[0].resources.requests, R"({"cpu": "2"})");
}

TEST_CASE("pod defaults: ApplyApiServerDefaults says whether it changed the pod",
          "[pod][defaults]") {
  // The reader validates a pod twice only when defaulting changed it, so the answer matters.
  Pod pod = PodFrom(R"({"spec": {"containers": [{"name": "a",
      "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})");
  const Pod as_written = pod;
  CHECK(ApplyApiServerDefaults(pod));
  CHECK(pod != as_written);
  const Pod defaulted = pod;
  CHECK_FALSE(ApplyApiServerDefaults(pod));
  CHECK(pod == defaulted);
  Pod empty = PodFrom(R"({"spec": {"containers": [{"name": "a"}]}})");
  CHECK_FALSE(ApplyApiServerDefaults(empty));
}

TEST_CASE("pod defaults: a container with limits only is Guaranteed, as the kubelet sees it",
          "[pod][defaults][qos]") {
  const std::string doc = R"({"spec": {"containers": [{"name": "a",
      "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})";
  CHECK(ComputePodQos(PodFrom(doc)) == QosClass::kBurstable);  // as written
  CHECK(ComputePodQos(Defaulted(doc)) == QosClass::kGuaranteed);
}

TEST_CASE("pod defaults: pod-level limits alone become pod-level requests and the pod Guaranteed",
          "[pod][defaults][qos]") {
  // Containers with nothing, or with limits whose sum equals the pod's: Guaranteed.
  for (const std::string containers :
       {R"([{"name": "a"}, {"name": "b"}])",
        R"([{"name": "a", "resources": {"limits": {"cpu": "2", "memory": "2Gi"}}},
            {"name": "b", "resources": {"limits": {"cpu": "2", "memory": "2Gi"}}}])"}) {
    const std::string doc = R"({"spec": {"resources": {"limits": {"cpu": "4", "memory": "4Gi"}},
        "containers": )" + containers + "}}";
    CAPTURE(doc);
    CHECK(ComputePodQos(PodFrom(doc)) == QosClass::kBurstable);
    const Pod pod = Defaulted(doc);
    CHECK_LIST(pod.resources->requests, R"({"cpu": "4", "memory": "4Gi"})");
    CHECK_LIST(pod.resources->limits, R"({"cpu": "4", "memory": "4Gi"})");
    CHECK(ComputePodQos(pod) == QosClass::kGuaranteed);
  }
  // A container requesting less: the pod-level request follows the containers, Burstable.
  const Pod partial = Defaulted(R"({"spec": {"resources": {"limits": {"cpu": "4", "memory": "4Gi"}},
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}})");
  CHECK_LIST(partial.resources->requests, R"({"cpu": "1", "memory": "4Gi"})");
  CHECK(ComputePodQos(partial) == QosClass::kBurstable);

  // Gate off: spec.resources is left as written (and QoS ignores it).
  DefaultingOptions gate_off;
  gate_off.pod_level_resources = false;
  const Pod ungated = WithOptions(R"({"spec": {"resources": {"limits": {"cpu": "4", "memory": "4Gi"}},
      "containers": [{"name": "a"}]}})", gate_off);
  CHECK(ungated.resources->requests.empty());
}

TEST_CASE("pod defaults: pod-level requests follow the containers' aggregate when they request",
          "[pod][defaults]") {
  // cpu: app 1 + sidecar 500m = 1500m running, init i alone needs 2 -> 2. memory: 1Gi from
  // the app, not the pod limit. hugepages never come from the aggregate: the pod limit.
  // ephemeral-storage is not a pod-level resource.
  const Pod pod = Defaulted(R"({"spec": {
      "resources": {"limits": {"cpu": "4", "memory": "4Gi", "hugepages-2Mi": "8Mi"}},
      "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2"}}},
                         {"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "500m"}}}],
      "containers": [{"name": "a", "resources": {
          "requests": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "1Gi"},
          "limits": {"hugepages-2Mi": "4Mi"}}}]}})");
  CHECK_LIST(pod.resources->requests, R"({"cpu": "2", "memory": "1Gi", "hugepages-2Mi": "8Mi"})");

  // Explicit pod-level requests are kept; only missing keys are filled.
  const Pod kept = Defaulted(R"({"spec": {
      "resources": {"requests": {"cpu": "3"}, "limits": {"cpu": "4", "memory": "4Gi"}},
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}})");
  CHECK_LIST(kept.resources->requests, R"({"cpu": "3", "memory": "4Gi"})");

  // Go tests the limits map's length, not whether it holds supported keys: a pod-level limit
  // on an unsupported resource still pulls in the containers' cpu and memory requests,
  // while the unsupported key itself is not copied.
  DefaultingOptions no_limits_rule;
  no_limits_rule.pod_limits_from_containers = false;
  Pod odd = PodFrom(R"({"spec": {"resources": {"limits": {"ephemeral-storage": "1Gi"}},
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}})");
  ApplyApiServerDefaults(odd, no_limits_rule);
  CHECK_LIST(odd.resources->requests, R"({"cpu": "1", "memory": "1Gi"})");
}

TEST_CASE("pod defaults: container hugepage limits become pod-level hugepage limits",
          "[pod][defaults]") {
  // Init i needs 6Mi alone; the app 2Mi: the aggregate is 6Mi. The request rule then copies
  // the new limit into the requests.
  const Pod pod = Defaulted(R"({"spec": {"resources": {"requests": {"cpu": "1"}},
      "initContainers": [{"name": "i", "resources": {"limits": {"hugepages-2Mi": "6Mi"}}}],
      "containers": [{"name": "a", "resources": {"limits": {"hugepages-2Mi": "2Mi", "hugepages-1Gi": "1Gi"}}}]}})");
  CHECK_LIST(pod.resources->limits, R"({"hugepages-2Mi": "6Mi", "hugepages-1Gi": "1Gi"})");
  CHECK_LIST(pod.resources->requests,
             R"({"cpu": "1", "hugepages-2Mi": "6Mi", "hugepages-1Gi": "1Gi"})");

  // A pod-level hugepage request without a limit is left for validation to reject.
  Pod requested = PodFrom(R"({"spec": {"containers": [{"name": "a",
      "resources": {"limits": {"hugepages-2Mi": "2Mi"}}}]}})");
  requested.resources = ResourceRequirements{};
  requested.resources->requests.emplace("hugepages-2Mi", testing::QuantityFrom("2Mi"));
  ApplyApiServerDefaults(requested);
  CHECK(requested.resources->limits.empty());

  // No spec.resources, or an empty one: nothing at pod level.
  for (const std::string pod_level : {"", R"("resources": {},)"}) {
    const Pod untouched = Defaulted(R"({"spec": {)" + pod_level + R"(
        "containers": [{"name": "a", "resources": {"limits": {"hugepages-2Mi": "2Mi"}}}]}})");
    CHECK((!untouched.resources || untouched.resources->limits.empty()));
  }
}

TEST_CASE("pod defaults: pod-level limits from container limits when every container has one",
          "[pod][defaults]") {
  const std::string doc = R"({"spec": {"resources": {"requests": {"cpu": "2500m", "memory": "1Gi"}},
      "initContainers": [{"name": "s", "restartPolicy": "Always", "resources": {"limits": {"cpu": "1"}}}],
      "containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}},
                     {"name": "b", "resources": {"limits": {"cpu": "500m"}}}]}})";
  // cpu: every container limits it (sidecar 1 + 1 + 500m); memory: b leaves it unbounded.
  const Pod pod = Defaulted(doc);
  CHECK_LIST(pod.resources->limits, R"({"cpu": "2500m"})");
  CHECK_LIST(pod.resources->requests, R"({"cpu": "2500m", "memory": "1Gi"})");

  DefaultingOptions older;
  older.pod_limits_from_containers = false;
  CHECK(WithOptions(doc, older).resources->limits.empty());

  // Pod-level limits already set (any supported key): no other key is defaulted.
  const Pod limited = Defaulted(R"({"spec": {"resources": {"requests": {"cpu": "1"}, "limits": {"memory": "2Gi"}},
      "containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})");
  CHECK_LIST(limited.resources->limits, R"({"memory": "2Gi"})");
}

TEST_CASE("pod defaults: a limit defaulted by the last rule feeds the request rule on re-read",
          "[pod][defaults]") {
  // Pass one: no pod-level limits, so the request rule does nothing, then the limits rule
  // sets cpu. The API server defaults again when it reads the stored pod: now the request
  // rule runs and adds memory from the containers. The kubelet is served that second form.
  Pod pod = PodFrom(R"({"spec": {"resources": {"requests": {"cpu": "2"}},
      "containers": [{"name": "a", "resources": {"requests": {"memory": "1Gi"}, "limits": {"cpu": "1"}}},
                     {"name": "b", "resources": {"limits": {"cpu": "1"}}}]}})");
  ApplyApiServerDefaults(pod);
  CHECK_LIST(pod.resources->limits, R"({"cpu": "2"})");
  CHECK_LIST(pod.resources->requests, R"({"cpu": "2", "memory": "1Gi"})");
  const Pod once = pod;
  ApplyApiServerDefaults(pod);
  CHECK(pod == once);
}

TEST_CASE("pod defaults: quantities are rounded up to 1m, as SetDefaults_ResourceList does",
          "[pod][defaults]") {
  const std::string doc = R"({"spec": {"overhead": {"cpu": "0.1m"},
      "resources": {"requests": {"memory": "1.5001"}, "limits": {"memory": "9223372036854775807"}},
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "0.5m", "memory": "1.5"},
          "limits": {"cpu": "1.0001", "memory": "9223372036854775807"}}}]},
      "status": {"containerStatuses": [{"name": "a", "allocatedResources": {"cpu": "1999.5m"}}]}})";
  const Pod pod = Defaulted(doc);
  const auto& c = pod.containers[0].resources;
  CHECK(c.requests.at("cpu") == Quantity::FromMilli(1));
  CHECK(c.requests.at("memory") == Quantity::FromMilli(1500));  // already whole milli
  CHECK(c.limits.at("cpu") == Quantity::FromMilli(1001));
  CHECK(c.limits.at("memory") == Quantity::FromValue(INT64_MAX));
  CHECK(pod.overhead.at("cpu") == Quantity::FromMilli(1));
  CHECK(pod.resources->requests.at("memory") == Quantity::FromMilli(1501));
  CHECK(pod.status.container_statuses[0].allocated_resources->at("cpu") == Quantity::FromValue(2));

  DefaultingOptions exact;
  exact.round_to_milli = false;
  CHECK(WithOptions(doc, exact).containers[0].resources.requests.at("cpu") ==
        testing::QuantityFrom("0.5m"));

  // Validation sees rounded values: 1.0006 and 1.0004 are both 1001m.
  const std::string close = R"({"spec": {"containers": [{"name": "a",
      "resources": {"requests": {"cpu": "1.0006"}, "limits": {"cpu": "1.0004"}}}]}})";
  CHECK(ParsePod(close).ok());
  PodParseOptions as_written;
  as_written.apply_api_server_defaults = false;
  CHECK(ParsePod(close, as_written).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("pod defaults: the parser validates the defaulted pod, naming the written field",
          "[pod][defaults]") {
  // The container asks for more than the pod-level limit allows once it is the pod request.
  auto over = ParsePod(R"({"spec": {"resources": {"limits": {"cpu": "1"}},
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "2"}}}]}})");
  REQUIRE_FALSE(over.ok());
  CHECK(std::string(over.status().message()) ==
        "spec.resources.requests.cpu: \"2\" must be less than or equal to cpu limit \"1\" "
        "(after the API server's defaulting)");
  // A bad value the author wrote is reported where it was written, not at its defaulted copy.
  auto negative = ParsePod(R"({"spec": {"containers": [{"name": "a",
      "resources": {"limits": {"memory": "-5"}}}]}})");
  REQUIRE_FALSE(negative.ok());
  CHECK_THAT(std::string(negative.status().message()),
             Catch::Matchers::StartsWith("spec.containers[0].resources.limits.memory"));

  // PodFromJson takes the same options.
  const auto doc = nlohmann::json::parse(R"({"spec": {"containers": [{"name": "a",
      "resources": {"limits": {"cpu": "1"}}}]}})");
  PodParseOptions off;
  off.apply_api_server_defaults = false;
  CHECK(PodFromJson(doc)->containers[0].resources.requests.size() == 1);
  CHECK(PodFromJson(doc, off)->containers[0].resources.requests.empty());
}

TEST_CASE("pod defaults: pods already complete are unchanged", "[pod][defaults]") {
  for (const std::string doc : {
           R"({"spec": {"containers": [{"name": "a"}]}})",
           R"({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "100m"}}}]}})",
           R"({"spec": {"containers": [{"name": "a", "resources": {
               "requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "1Gi"}}}],
               "ephemeralContainers": [{"name": "e"}], "overhead": {"cpu": "250m"}}})",
           R"({"spec": {"resources": {"requests": {"cpu": "2", "memory": "2Gi"},
               "limits": {"cpu": "4", "memory": "2Gi"}},
               "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}})",
           R"({"spec": {"resources": {"requests": {"cpu": "1"}},
               "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}})",
       }) {
    CAPTURE(doc);
    CHECK(Defaulted(doc) == PodFrom(doc));
  }
}

// A random pod over cpu, memory, a hugepage size and an extended resource, with sub-milli
// values now and then, sidecars, ephemeral containers and pod-level fields. It need not be
// valid: defaulting runs before validation.
Pod RandomPod(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto list = [&]() {
    ResourceList l;
    for (const char* name : {"cpu", "memory", "hugepages-2Mi", "example.com/x"}) {
      if (pick(3) != 0) continue;
      l.emplace(name,
                pick(5) == 0 ? Quantity::FromMilli(pick(4000)) : Quantity::FromValue(pick(4)));
    }
    if (pick(6) == 0) l["cpu"] = *Quantity::Parse("0.0005");  // below 1m
    return l;
  };
  auto container = [&](const std::string& name) {
    Container c;
    c.name = name;
    c.resources.requests = list();
    c.resources.limits = list();
    return c;
  };
  Pod pod;
  for (int i = pick(3); i > 0; --i) {
    Container c = container("i" + std::to_string(i));
    if (pick(2) == 0) c.restart_policy = "Always";
    pod.init_containers.push_back(c);
  }
  for (int i = 1 + pick(3); i > 0; --i) {
    pod.containers.push_back(container("a" + std::to_string(i)));
  }
  if (pick(4) == 0) pod.ephemeral_containers.push_back(container("e"));
  if (pick(3) != 0) pod.resources = ResourceRequirements{list(), list()};
  if (pick(4) == 0) pod.overhead = list();
  return pod;
}

TEST_CASE("pod defaults: random pods: idempotent, only adds keys, rounds by less than 1m",
          "[pod][defaults][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const Quantity one_milli = Quantity::FromMilli(1);
  // Every value of `before` is in `after`, rounded up by less than 1m.
  auto kept = [&](const ResourceList& before, const ResourceList& after) {
    for (const auto& [name, q] : before) {
      auto it = after.find(name);
      if (it == after.end() || it->second < q || it->second - q >= one_milli) return false;
    }
    return true;
  };
  for (int round = 0; round < 3000; ++round) {
    const Pod original = RandomPod(rng);
    for (bool gate : {true, false}) {
      DefaultingOptions options;
      options.pod_level_resources = gate;
      Pod pod = original;
      ApplyApiServerDefaults(pod, options);
      Pod again = pod;
      ApplyApiServerDefaults(again, options);
      INFO("round " << round << " gate " << gate);
      REQUIRE(again == pod);
      for (size_t i = 0; i < pod.containers.size(); ++i) {
        const ResourceRequirements& was = original.containers[i].resources;
        CHECK(kept(was.requests, pod.containers[i].resources.requests));
        for (const auto& [name, limit] : original.containers[i].resources.limits) {
          CHECK(pod.containers[i].resources.requests.contains(name));
        }
        CHECK(kept(original.containers[i].resources.limits, pod.containers[i].resources.limits));
      }
      for (size_t i = 0; i < pod.ephemeral_containers.size(); ++i) {
        CHECK(pod.ephemeral_containers[i].resources.requests.size() ==
              original.ephemeral_containers[i].resources.requests.size());
      }
      if (original.resources) {
        CHECK(kept(original.resources->requests, pod.resources->requests));
        CHECK(kept(original.resources->limits, pod.resources->limits));
        if (!gate) {
          CHECK(pod.resources->requests.size() == original.resources->requests.size());
          CHECK(pod.resources->limits.size() == original.resources->limits.size());
        }
      } else {
        CHECK_FALSE(pod.resources.has_value());
      }
    }
  }
}

}  // namespace
}  // namespace podalloc
