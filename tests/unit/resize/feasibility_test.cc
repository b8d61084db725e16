// A table of resize decisions beside the vectors: each static-policy constraint, pod-level
// budgets with inheriting containers, the admit-handler inputs and the early rejections.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "podalloc/resize.h"

namespace podalloc {
namespace {

Quantity Q(const char* text) { return *Quantity::Parse(text); }

Container Make(const char* name, const char* cpu, const char* mem, bool guaranteed) {
  Container c;
  c.name = name;
  if (cpu) c.resources.requests["cpu"] = Q(cpu);
  if (mem) c.resources.requests["memory"] = Q(mem);
  if (guaranteed) c.resources.limits = c.resources.requests;
  return c;
}

ResizeFeasibilityInputs Base() {
  ResizeFeasibilityInputs in;
  in.node_allocatable = {{"cpu", Q("8")}, {"memory", Q("8Gi")}, {"pods", Q("110")}};
  in.pod.uid = "p";
  return in;
}

void Allocate(ResizeFeasibilityInputs& in, const Container& c) {
  in.allocation.containers[c.name] = c.resources;
}

TEST_CASE("resize: static CPU manager blocks Guaranteed CPU changes unless the gate allows",
          "[resize][static]") {
  auto in = Base();
  in.config.cpu_manager_static = true;
  Allocate(in, Make("app", "1", "1Gi", true));
  in.pod.containers = {Make("app", "2", "1Gi", true)};
  auto got = CanResizePod(in);
  CHECK_FALSE(got.feasible);
  CHECK(got.reason == ResizeReason::kInfeasible);
  CHECK(got.reason_detail == "guaranteed_pod_cpu_manager_static_policy");

  in.config.in_place_pod_vertical_scaling_exclusive_cpus = true;
  CHECK(CanResizePod(in).feasible);

  SECTION("a Burstable pod is not constrained") {
    in.config.in_place_pod_vertical_scaling_exclusive_cpus = false;
    in.pod.containers = {Make("app", "2", "1Gi", false)};
    CHECK(CanResizePod(in).feasible);
  }
}

TEST_CASE("resize: sidecars count for the static constraints, regular init containers do not",
          "[resize][static]") {
  auto in = Base();
  in.config.cpu_manager_static = true;
  Container init = Make("init", "3", "1Gi", true);
  Container app = Make("app", "1", "1Gi", true);
  Allocate(in, app);
  in.pod.containers = {app};
  in.pod.init_containers = {init};  // never allocated: not resizable, so ignored
  CHECK(CanResizePod(in).feasible);

  init.restart_policy = "Always";
  in.pod.init_containers = {init};
  Container old_init = Make("init", "2", "1Gi", true);
  old_init.restart_policy = "Always";
  Allocate(in, old_init);
  auto got = CanResizePod(in);
  CHECK(got.reason_detail == "guaranteed_pod_cpu_manager_static_policy");
}

TEST_CASE("resize: Static memory manager needs the MemoryManager gate", "[resize][static]") {
  auto in = Base();
  in.config.memory_manager_static = true;
  Allocate(in, Make("app", "1", "1Gi", true));
  in.pod.containers = {Make("app", "1", "2Gi", true)};
  CHECK(CanResizePod(in).reason_detail == "guaranteed_pod_memory_manager_static_policy");
  in.config.memory_manager = false;
  CHECK(CanResizePod(in).feasible);
  in.config.memory_manager = true;
  in.config.in_place_pod_vertical_scaling_exclusive_memory = true;
  CHECK(CanResizePod(in).feasible);
}

TEST_CASE("resize: node allocatable is Infeasible, other pods make it Deferred",
          "[resize][capacity]") {
  auto in = Base();
  Allocate(in, Make("app", "1", nullptr, false));
  in.pod.containers = {Make("app", "9", nullptr, false)};
  auto got = CanResizePod(in);
  CHECK(got.reason == ResizeReason::kInfeasible);
  CHECK(got.message == "Node didn't have enough capacity: cpu, requested: 9000, capacity: 8000");
  CHECK(got.reason_detail == "insufficient_node_allocatable");

  Pod other;
  other.uid = "o";
  other.containers = {Make("c", "3", nullptr, false)};
  in.other_pods = {other};
  in.pod.containers = {Make("app", "6", nullptr, false)};
  got = CanResizePod(in);
  CHECK(got.reason == ResizeReason::kDeferred);
  CHECK(got.message ==
        "Node didn't have enough resource: cpu, requested: 6000, used: 3000, capacity: 8000");
  CHECK(got.reason_detail.empty());

  SECTION("the resized pod itself is not among the others") {
    Pod self = in.pod;
    in.other_pods.push_back(self);
    in.pod.containers = {Make("app", "5", nullptr, false)};
    CHECK(CanResizePod(in).feasible);
  }
  SECTION("a precomputed admission answer replaces the handlers") {
    in.admit_result = AdmitResult{false, "UnexpectedAdmissionError", "topology said no"};
    in.pod.containers = {Make("app", "2", nullptr, false)};
    got = CanResizePod(in);
    CHECK(got.reason == ResizeReason::kDeferred);
    CHECK(got.message == "topology said no");
  }
  SECTION("a callback gets the other pods") {
    size_t seen = 0;
    in.admit = [&](const Pod&, std::span<const Pod> others) {
      seen = others.size();
      return AdmitResult{};
    };
    CHECK(CanResizePod(in).feasible);
    CHECK(seen == 1);
  }
}

TEST_CASE("resize: pod-level budget growth and shrink carry inheriting containers",
          "[resize][pod_level]") {
  auto in = Base();
  // Two containers with no requests of their own inherit the pod budget.
  Container a = Make("a", nullptr, nullptr, false);
  Container b = Make("b", nullptr, nullptr, false);
  in.pod.containers = {a, b};
  Allocate(in, a);
  Allocate(in, b);
  in.allocation.pod_level = ResourceRequirements{{{"cpu", Q("2")}, {"memory", Q("2Gi")}},
                                                 {{"cpu", Q("2")}, {"memory", Q("2Gi")}}};
  Pod other;
  other.uid = "o";
  other.containers = {Make("c", "4", "4Gi", false)};
  in.other_pods = {other};

  SECTION("growth that fits") {
    in.pod.resources = ResourceRequirements{{{"cpu", Q("4")}, {"memory", Q("4Gi")}},
                                            {{"cpu", Q("4")}, {"memory", Q("4Gi")}}};
    CHECK(CanResizePod(in).feasible);
  }
  SECTION("growth beyond what the other pods leave is Deferred") {
    in.pod.resources = ResourceRequirements{{{"cpu", Q("5")}, {"memory", Q("4Gi")}},
                                            {{"cpu", Q("5")}, {"memory", Q("4Gi")}}};
    auto got = CanResizePod(in);
    CHECK(got.reason == ResizeReason::kDeferred);
    CHECK(got.message.rfind("Node didn't have enough resource: cpu, requested: 5000", 0) == 0);
  }
  SECTION("growth beyond allocatable is Infeasible, memory named first") {
    in.pod.resources = ResourceRequirements{{{"cpu", Q("9")}, {"memory", Q("9Gi")}},
                                            {{"cpu", Q("9")}, {"memory", Q("9Gi")}}};
    CHECK(CanResizePod(in).message ==
          "Node didn't have enough capacity: memory, requested: 9663676416, capacity: 8589934592");
  }
  SECTION("shrink is accepted even on a full node") {
    in.other_pods[0].containers = {Make("c", "6", "6Gi", false)};
    in.pod.resources = ResourceRequirements{{{"cpu", Q("1")}, {"memory", Q("1Gi")}},
                                            {{"cpu", Q("1")}, {"memory", Q("1Gi")}}};
    CHECK(CanResizePod(in).feasible);
  }
  SECTION("overhead is added to a non-zero pod-level request") {
    in.pod.overhead = {{"memory", Q("1Gi")}};
    in.pod.resources = ResourceRequirements{{{"memory", Q("7Gi") + Q("512Mi")}}, {}};
    CHECK(PodResourceRequest(in.pod, "memory", true) == (8LL << 30) + (512LL << 20));
    CHECK(PodResourceRequest(in.pod, "cpu", true) == 0);
    CHECK(CanResizePod(in).reason == ResizeReason::kInfeasible);
  }
}

TEST_CASE("resize: gate off and static pods are Infeasible before any check",
          "[resize][early]") {
  auto in = Base();
  in.pod.containers = {Make("app", "1", nullptr, false)};
  in.static_pod = true;
  CHECK(CanResizePod(in).message == "In-place resize of static-pods is not supported");
  CHECK(CanResizePod(in).reason_detail == "static_pod");
  in.config.in_place_pod_vertical_scaling = false;
  CHECK(CanResizePod(in).message == "InPlacePodVerticalScaling is disabled");
  CHECK(CanResizePod(in).reason_detail == "feature_gate_off");
}

TEST_CASE("resize: a pod-level change needs InPlacePodLevelResourcesVerticalScaling",
          "[resize][early][pod_level]") {
  auto in = Base();
  Container a = Make("a", nullptr, nullptr, false);
  in.pod.containers = {a};
  Allocate(in, a);
  const ResourceRequirements two{{{"cpu", Q("2")}}, {{"cpu", Q("2")}}};
  in.allocation.pod_level = two;
  in.pod.resources = ResourceRequirements{{{"cpu", Q("3")}}, {{"cpu", Q("3")}}};
  CHECK(ResizeNodeConfig{}.in_place_pod_level_resources_vertical_scaling);  // v1.36 default
  CHECK(CanResizePod(in).feasible);
  in.config.in_place_pod_level_resources_vertical_scaling = false;
  auto got = CanResizePod(in);
  CHECK(got.reason == ResizeReason::kInfeasible);
  CHECK(got.message == "InPlacePodLevelResourcesVerticalScaling is disabled");
  CHECK(got.reason_detail == "feature_gate_off");
  // Unchanged pod-level resources do not need the gate.
  in.pod.resources = two;
  CHECK(CanResizePod(in).feasible);
}

TEST_CASE("resize: resizePolicy decides restart versus in place", "[resize][policy]") {
  Container old_c = Make("app", "1", "1Gi", false);
  Container new_c = Make("app", "2", "1Gi", false);
  CHECK_FALSE(ResizeRestartsContainer(old_c, new_c));
  new_c.resize_policy = {{"memory", "RestartContainer"}};
  CHECK_FALSE(ResizeRestartsContainer(old_c, new_c));  // only cpu changed
  new_c.resize_policy = {{"cpu", "RestartContainer"}};
  CHECK(ResizeRestartsContainer(old_c, new_c));
}

TEST_CASE("resize: pod count comes first in the resource fit", "[resize][capacity]") {
  ResourceList alloc = {{"cpu", Q("1")}, {"pods", Q("1")}};
  Pod pod;
  pod.containers = {Make("a", "2", nullptr, false)};
  Pod other;
  auto got = AdmitByResourceFit(alloc, pod, std::span<const Pod>(&other, 1));
  CHECK(got.reason == "OutOfpods");
  CHECK(got.message == "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1");
}

}  // namespace
}  // namespace podalloc
