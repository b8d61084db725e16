#include <string>

#include <catch2/catch.hpp>

#include "podalloc/guaranteed_cpus.h"
#include "podalloc/pod.h"
#include "podalloc/qos.h"
#include "test_pods.h"

namespace podalloc {
namespace {

Pod P(const std::string& json) { return testing::PodFrom(json); }

Container C(const std::string& resources_json) {
  Pod pod = P(R"({"spec": {"containers": [{"name": "c", "resources": )" + resources_json + "}]}}");
  return pod.containers[0];
}

Quantity Q(const std::string& text) { return testing::QuantityFrom(text); }

TEST_CASE("pod: requirement classes follow resourceQOS", "[pod][qos]") {
  using R = ResourceRequirements;
  auto qos = [](const std::string& j) { return QosClassName(RequirementsQos(C(j).resources)); };
  CHECK(qos("{}") == "BestEffort");
  CHECK(qos(R"({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}})") ==
        "Guaranteed");
  // Only cpu and memory count: hugepages alone, or explicit zeros, are best effort.
  CHECK(qos(R"({"requests": {"hugepages-2Mi": "2Mi"}, "limits": {"hugepages-2Mi": "2Mi"}})") ==
        "BestEffort");
  CHECK(qos(R"({"requests": {"cpu": "0"}})") == "BestEffort");
  CHECK(qos(R"({"requests": {"example.com/gpu": "1"}, "limits": {"example.com/gpu": "1"}})") ==
        "BestEffort");
  // memory alone with request == limit: cpu (both zero) and memory disagree.
  CHECK(qos(R"({"requests": {"memory": "1Gi"}, "limits": {"memory": "1Gi"}})") == "Burstable");
  CHECK(qos(R"({"limits": {"cpu": "1", "memory": "1Gi"}})") == "Burstable");
  CHECK(RequirementsQos(R{}) == QosClass::kBestEffort);
}

TEST_CASE("pod: pod QoS: containers, init containers, pod-level resources, status",
          "[pod][qos]") {
  const std::string guaranteed =
      R"("resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}})";
  // Ephemeral containers never count.
  Pod pod = P(R"({"spec": {"containers": [{"name": "a", )" + guaranteed +
              R"(}], "ephemeralContainers": [{"name": "dbg", "resources": {"requests": {"cpu": "1"}}}]}})");
  CHECK(ComputePodQos(pod) == QosClass::kGuaranteed);
  // A best-effort init container next to a guaranteed app container makes it Burstable.
  pod = P(R"({"spec": {"initContainers": [{"name": "i"}], "containers": [{"name": "a", )" +
          guaranteed + "}]}}");
  CHECK(ComputePodQos(pod) == QosClass::kBurstable);

  // Pod-level resources alone decide, and only while the gate is on.
  pod = P(R"({"spec": {"resources": {"requests": {"cpu": "2", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}},
              "containers": [{"name": "a"}, {"name": "b", "resources": {"requests": {"cpu": "1"}}}]}})");
  CHECK(ComputePodQos(pod) == QosClass::kGuaranteed);
  CHECK(ComputePodQos(pod, QosOptions{.pod_level_resources = false}) == QosClass::kBurstable);
  // spec.resources present but empty: still the deciding requirement (BestEffort).
  pod = P(R"({"spec": {"resources": {}, "containers": [{"name": "a", )" + guaranteed + "}]}}");
  CHECK(ComputePodQos(pod) == QosClass::kBestEffort);

  // status.qosClass is immutable once set; GetPodQos returns it.
  pod = P(R"({"spec": {"containers": [{"name": "a", )" + guaranteed +
          R"(}]}, "status": {"qosClass": "Burstable"}})");
  CHECK(ComputePodQos(pod) == QosClass::kGuaranteed);
  CHECK(GetPodQos(pod) == QosClass::kBurstable);

  CHECK(ParseQosClass("BestEffort").value() == QosClass::kBestEffort);
  auto bad = ParseQosClass("guaranteed");
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("\"guaranteed\"") != std::string::npos);
}

TEST_CASE("pod: equivalent-Guaranteed containers and exclusive-slice eligibility",
          "[pod][qos]") {
  const Container whole = C(R"({"requests": {"cpu": "2", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}})");
  CHECK(IsContainerEquivalentGuaranteed(whole));
  CHECK(IsExclusiveEligible(whole));
  const Container fractional = C(R"({"requests": {"cpu": "1500m", "memory": "2Gi"}, "limits": {"cpu": "1500m", "memory": "2Gi"}})");
  CHECK(IsContainerEquivalentGuaranteed(fractional));
  CHECK_FALSE(IsExclusiveEligible(fractional));
  const Container cpu_only = C(R"({"requests": {"cpu": "2"}, "limits": {"cpu": "2"}})");
  CHECK_FALSE(IsContainerEquivalentGuaranteed(cpu_only));
  CHECK_FALSE(IsExclusiveEligible(cpu_only));
  const Container unequal = C(R"({"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": "3", "memory": "1Gi"}})");
  CHECK_FALSE(IsExclusiveEligible(unequal));
  const Container zero = C(R"({"requests": {"cpu": "0", "memory": "1Gi"}, "limits": {"cpu": "0", "memory": "1Gi"}})");
  CHECK_FALSE(IsExclusiveEligible(zero));
  CHECK_FALSE(IsExclusiveEligible(C("{}")));
}

TEST_CASE("pod: guaranteed CPUs with and without the pod-level resource managers gate",
          "[pod][guaranteed_cpus]") {
  // KEP-5526: budget 4 CPU / 4Gi; container-1 2 CPU / 2Gi Guaranteed, two others nothing.
  const Pod pod = P(R"({"spec": {
      "resources": {"requests": {"cpu": "4", "memory": "4Gi"}, "limits": {"cpu": "4", "memory": "4Gi"}},
      "containers": [
        {"name": "c1", "resources": {"requests": {"cpu": "2", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}}},
        {"name": "c2"},
        {"name": "c3", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "1Gi"}}}]}})");
  const GuaranteedCpusOptions on{.pod_level_resources = true, .pod_level_resource_managers = true};
  CHECK(PodGuaranteedCpus(pod, on) == 4);
  CHECK(GuaranteedCpus(pod, pod.containers[0], on) == 2);
  CHECK(GuaranteedCpus(pod, pod.containers[1], on) == 0);
  CHECK(GuaranteedCpus(pod, pod.containers[2], on) == 0);  // request != limit
  // Gate off: the pod is still Guaranteed (pod-level QoS), containers count on their own.
  const GuaranteedCpusOptions off;
  CHECK(GuaranteedCpus(pod, pod.containers[2], off) == 1);
  CHECK(PodGuaranteedCpus(pod, off) == 3);  // c2 has no cpu request key and is skipped

  const Pod fractional = P(R"({"spec": {
      "resources": {"requests": {"cpu": "4500m", "memory": "4Gi"}, "limits": {"cpu": "4500m", "memory": "4Gi"}},
      "containers": [{"name": "c"}]}})");
  CHECK(PodGuaranteedCpus(fractional, on) == 0);
  const Pod burstable = P(R"({"spec": {
      "resources": {"requests": {"cpu": "4", "memory": "4Gi"}, "limits": {"cpu": "8", "memory": "4Gi"}},
      "containers": [{"name": "c"}]}})");
  CHECK(PodGuaranteedCpus(burstable, on) == 0);
  // A recorded Burstable class wins over a Guaranteed-looking spec.
  const Pod recorded = P(R"({"spec": {"containers": [{"name": "c", "resources":
      {"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "1Gi"}}}]},
      "status": {"qosClass": "Burstable"}})");
  CHECK(PodGuaranteedCpus(recorded) == 0);
}

TEST_CASE("pod: integral CPU amounts use the kubelet's rounding test", "[pod][guaranteed_cpus]") {
  CHECK(IsIntegralCpuAmount(Q("2")));
  CHECK(IsIntegralCpuAmount(Q("2000m")));
  CHECK(IsIntegralCpuAmount(Q("0")));
  CHECK_FALSE(IsIntegralCpuAmount(Q("1500m")));
  CHECK_FALSE(IsIntegralCpuAmount(Q("1001m")));
  // Value() and MilliValue() both round up, so 1999.5m passes as 2 CPUs in the kubelet too.
  CHECK(IsIntegralCpuAmount(Q("1999.5m")));
  CHECK_FALSE(IsIntegralCpuAmount(Q("1E")));
}

TEST_CASE("pod: limits default requests like SetDefaults_Pod", "[pod]") {
  Pod pod = P(R"({"spec": {"initContainers": [{"name": "i", "resources": {"limits": {"cpu": "1"}}}],
      "containers": [{"name": "a", "resources": {"requests": {"cpu": "500m"}, "limits": {"cpu": "1", "memory": "1Gi"}}}]}})");
  CHECK(ComputePodQos(pod) == QosClass::kBurstable);
  DefaultContainerRequests(pod);
  CHECK(pod.init_containers[0].resources.requests.at("cpu") == Q("1"));
  CHECK(pod.containers[0].resources.requests.at("cpu") == Q("500m"));  // explicit request kept
  CHECK(pod.containers[0].resources.requests.at("memory") == Q("1Gi"));
}

}  // namespace
}  // namespace podalloc
