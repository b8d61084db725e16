// Resource fit pieces beyond the conformance vectors: which names count, the units and their
// rounding, the check order, requests the kubelet drops, and a node that does not state pods
// or ephemeral-storage.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "podalloc/resource_fit.h"

namespace podalloc {
namespace {

Quantity Q(const char* text) { return *Quantity::Parse(text); }

TEST_CASE("resource fit: extended and scalar resource names", "[admission][fit]") {
  auto [name, extended, scalar] = GENERATE(table<std::string, bool, bool>({
      {"example.com/foo", true, true},
      {"nvidia.com/gpu", true, true},
      {"cpu", false, false},
      {"memory", false, false},
      {"ephemeral-storage", false, false},
      {"pods", false, false},
      {"hugepages-2Mi", false, true},
      {"kubernetes.io/something", false, true},
      {"subdomain.kubernetes.io/something", false, true},
      {"deviceclass.resource.kubernetes.io/gpu", false, true},
      {"attachable-volumes-aws-ebs", false, true},
      {"requests.example.com/foo", false, false},
      {"Example.com/foo", false, false},  // the domain must be lowercase
      {"example.com/-foo", false, false},
      {"example.com/a/b", false, false},
      {"foo", false, false},
  }));
  CAPTURE(name);
  CHECK(IsExtendedResourceName(name) == extended);
  CHECK(IsScalarResourceName(name) == scalar);
}

TEST_CASE("resource fit: units round up and unknown names are ignored", "[admission][fit]") {
  const FitResources r = ToFitResources({{"cpu", Q("1100u")},
                                         {"memory", Q("500m")},
                                         {"ephemeral-storage", Q("1Ki")},
                                         {"pods", Q("7")},
                                         {"example.com/foo", Q("2")},
                                         {"foo", Q("3")}});
  CHECK(r.milli_cpu == 2);
  CHECK(r.memory == 1);
  CHECK(r.ephemeral_storage == 1024);
  CHECK(r.allowed_pods == 7);
  CHECK(r.scalar == std::map<std::string, int64_t, std::less<>>{{"example.com/foo", 2}});
  FitResources sum = r;
  sum += r;
  sum -= r;
  CHECK(sum == r);
  sum -= r;
  CHECK(sum.scalar.empty());
}

TEST_CASE("resource fit: check order and what is not checked", "[admission][fit]") {
  FitResources allocatable = ToFitResources(
      {{"cpu", Q("1")}, {"memory", Q("1Gi")}, {"pods", Q("1")}, {"example.com/b", Q("1")}});
  FitResources used = ToFitResources({{"cpu", Q("2")}, {"memory", Q("2Gi")}});
  FitResources request = ToFitResources(
      {{"memory", Q("1")}, {"example.com/b", Q("2")}, {"example.com/a", Q("1")}});
  const std::vector<InsufficientResource> got = FitsRequest(request, allocatable, used, 1);
  // pods first, no cpu (not requested, though the node is over-committed), memory, then the
  // scalars in name order.
  REQUIRE(got.size() == 4);
  CHECK(got[0] == InsufficientResource{"pods", 1, 1, 1, false});
  CHECK(got[1].resource == "memory");
  CHECK(got[2] == InsufficientResource{"example.com/a", 1, 0, 0, true});
  CHECK(got[3] == InsufficientResource{"example.com/b", 2, 0, 1, true});
  CHECK(got[3].Shortfall() == 1);
  const AdmitResult r = InsufficientResourceRejection(got[0]);
  CHECK(r.reason == "OutOfpods");
  CHECK(r.message == "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1");
  // A pod requesting nothing is only counted.
  CHECK(FitsRequest(FitResources{}, allocatable, used, 0).empty());
}

TEST_CASE("resource fit: a node without pods or ephemeral-storage sets no limit on them",
          "[admission][fit]") {
  const FitResources a = NodeFitAllocatable({{"cpu", Q("4")}});
  Pod pod;
  Container c;
  c.name = "c";
  c.resources.requests = {{"cpu", Q("1")}, {"ephemeral-storage", Q("100Gi")}};
  pod.containers.push_back(c);
  CHECK(FitsRequest(PodFitRequest(pod), a, FitResources{}, 1000).empty());
  const ResourceFitVerdict v =
      FitPodToNode({{"cpu", Q("4")}, {"ephemeral-storage", Q("10Gi")}, {"pods", Q("110")}}, pod, {});
  CHECK(v.result.reason == "OutOfephemeral-storage");
}

TEST_CASE("resource fit: requests served elsewhere are dropped, limits stay", "[admission][fit]") {
  Pod pod;
  Container c;
  c.name = "gpu-user";
  c.resources.requests = {{"cpu", Q("1")}, {"vendor.com/gpu", Q("1")}, {"example.com/nic", Q("1")}};
  c.resources.limits = {{"vendor.com/gpu", Q("1")}, {"example.com/nic", Q("1")}};
  pod.containers.push_back(c);
  pod.status.extended_resource_request_mappings.push_back({"gpu-user", "example.com/nic", "nic"});
  const ResourceList node = {{"cpu", Q("4")}, {"pods", Q("10")}, {"example.com/nic", Q("0")}};

  FitOptions dra_on;
  CHECK(HasUnservedRequests(pod, node, dra_on));
  Pod trimmed = WithoutUnservedRequests(pod, node, dra_on);
  // vendor.com/gpu: unknown to the node; example.com/nic: listed at 0 but satisfied by a claim.
  CHECK(trimmed.containers[0].resources.requests == ResourceList{{"cpu", Q("1")}});
  CHECK(trimmed.containers[0].resources.limits == c.resources.limits);
  CHECK(FitPodToNode(node, pod, {}, dra_on).result.admit);

  FitOptions dra_off;
  dra_off.dra_extended_resource = false;
  trimmed = WithoutUnservedRequests(pod, node, dra_off);
  CHECK(trimmed.containers[0].resources.requests ==
        ResourceList{{"cpu", Q("1")}, {"example.com/nic", Q("1")}});
  const ResourceFitVerdict v = FitPodToNode(node, pod, {}, dra_off);
  CHECK(v.result.reason == "OutOfexample.com/nic");

  // Nothing to drop: the pod is kept as it is.
  Pod plain;
  plain.containers.push_back(Container{"c", {{{"cpu", Q("1")}}, {}}, "", {}});
  CHECK_FALSE(HasUnservedRequests(plain, node, dra_on));
  CHECK(WithoutUnservedRequests(plain, node, dra_on) == plain);

  // Only the resources the node does not list are missing; the claimed NIC is listed.
  CHECK(MissingExtendedResources(pod, node) == std::vector<std::string>{"vendor.com/gpu"});
  CHECK(MissingExtendedResources(plain, node).empty());
}

TEST_CASE("resource fit: the request preemption reads", "[admission][fit]") {
  Pod pod;
  Container c;
  c.name = "c";
  c.resources.requests = {{"cpu", Q("500m")}};
  pod.containers.push_back(c);
  pod.overhead = {{"cpu", Q("100m")}, {"memory", Q("64Mi")}};
  CHECK(PodResourceRequest(pod, "cpu", true) == 600);
  // No memory request: overhead is not added to a zero request.
  CHECK(PodResourceRequest(pod, "memory", true) == 0);
  CHECK(PodResourceRequest(pod, "pods", true) == 1);
}

}  // namespace
}  // namespace podalloc
