// PlanResize: which files change and in what order, and the memory-usage refusal.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "podalloc/resize.h"

namespace podalloc {
namespace {

Quantity Q(const char* text) { return *Quantity::Parse(text); }

Container Burstable(const char* name, const char* cpu_req, const char* cpu_lim,
                    const char* mem_req, const char* mem_lim) {
  Container c;
  c.name = name;
  c.resources.requests = {{"cpu", Q(cpu_req)}, {"memory", Q(mem_req)}};
  c.resources.limits = {{"cpu", Q(cpu_lim)}, {"memory", Q(mem_lim)}};
  return c;
}

std::string Show(const std::vector<CgroupWrite>& writes) {
  std::ostringstream out;
  for (const CgroupWrite& w : writes) {
    out << (w.cgroup.empty() ? "<pod>" : w.cgroup) << "/" << w.file << "=" << w.value << "\n";
  }
  return out.str();
}

ResizePlanSettings Settings() {
  ResizePlanSettings s;
  s.cgroup.node_memory_capacity = 16LL << 30;
  return s;
}

TEST_CASE("resize plan: an increase raises the pod cgroup before the container",
          "[resize][plan]") {
  Pod old_pod;
  old_pod.containers = {Burstable("a", "1", "2", "1Gi", "2Gi"),
                        Burstable("b", "1", "2", "1Gi", "2Gi")};
  Pod new_pod = old_pod;
  new_pod.containers[0] = Burstable("a", "1", "3", "1Gi", "3Gi");
  auto plan = PlanResize(old_pod, new_pod, nullptr, Settings());
  REQUIRE(plan.ok());
  CHECK_FALSE(plan->refused);
  INFO(Show(plan->writes));
  const std::vector<CgroupWrite> want = {
      {"", "memory.max", "5368709120"},
      {"a", "memory.max", "3221225472"},
      {"", "cpu.max", "500000 100000"},
      {"a", "cpu.max", "300000 100000"},
  };
  CHECK(plan->writes == want);
}

TEST_CASE("resize plan: a decrease lowers containers before the pod cgroup", "[resize][plan]") {
  Pod old_pod;
  old_pod.containers = {Burstable("a", "1", "3", "1Gi", "3Gi"),
                        Burstable("b", "1", "2", "1Gi", "2Gi")};
  Pod new_pod = old_pod;
  new_pod.containers[0] = Burstable("a", "1", "2", "1Gi", "2Gi");
  auto plan = PlanResize(old_pod, new_pod, nullptr, Settings());
  REQUIRE(plan.ok());
  INFO(Show(plan->writes));
  const std::vector<CgroupWrite> want = {
      {"a", "memory.max", "2147483648"},
      {"", "memory.max", "4294967296"},
      {"a", "cpu.max", "200000 100000"},
      {"", "cpu.max", "400000 100000"},
  };
  CHECK(plan->writes == want);
}

TEST_CASE("resize plan: mixed changes keep pod-grow, container-shrink, pod-shrink, "
          "container-grow per resource",
          "[resize][plan]") {
  Pod old_pod;
  old_pod.containers = {Burstable("a", "1", "2", "1Gi", "2Gi"),
                        Burstable("b", "1", "2", "1Gi", "2Gi")};
  Pod new_pod = old_pod;
  // a grows by 2 CPUs, b shrinks by 1: the pod grows overall.
  new_pod.containers[0] = Burstable("a", "1", "4", "1Gi", "2Gi");
  new_pod.containers[1] = Burstable("b", "1", "1", "1Gi", "2Gi");
  auto plan = PlanResize(old_pod, new_pod, nullptr, Settings());
  REQUIRE(plan.ok());
  INFO(Show(plan->writes));
  const std::vector<CgroupWrite> want = {
      {"", "cpu.max", "500000 100000"},
      {"b", "cpu.max", "100000 100000"},
      {"a", "cpu.max", "400000 100000"},
  };
  CHECK(plan->writes == want);
}

TEST_CASE("resize plan: nothing changes, nothing is written", "[resize][plan]") {
  Pod pod;
  pod.containers = {Burstable("a", "1", "2", "1Gi", "2Gi")};
  auto plan = PlanResize(pod, pod, nullptr, Settings());
  REQUIRE(plan.ok());
  CHECK(plan->writes.empty());
}

TEST_CASE("resize plan: memory limits at or below usage are refused, nothing planned",
          "[resize][plan]") {
  Pod old_pod;
  old_pod.containers = {Burstable("a", "1", "2", "1Gi", "3Gi")};
  Pod new_pod = old_pod;
  new_pod.containers[0] = Burstable("a", "1", "2", "1Gi", "2Gi");
  ResizeUsage usage;
  SECTION("container usage") {
    usage.container_memory["a"] = 2LL << 30;
    auto plan = PlanResize(old_pod, new_pod, &usage, Settings());
    REQUIRE(plan.ok());
    CHECK(plan->refused);
    CHECK(plan->writes.empty());
    CHECK(plan->refusal ==
          "container \"a\": new memory limit 2147483648 is not above current usage 2147483648");
  }
  SECTION("pod usage") {
    usage.pod_memory = (2LL << 30) + 1;
    auto plan = PlanResize(old_pod, new_pod, &usage, Settings());
    REQUIRE(plan.ok());
    CHECK(plan->refused);
    CHECK(plan->refusal.rfind("pod cgroup: new memory limit 2147483648", 0) == 0);
  }
  SECTION("usage below the new limit plans normally") {
    usage.pod_memory = 1LL << 30;
    usage.container_memory["a"] = 1LL << 30;
    auto plan = PlanResize(old_pod, new_pod, &usage, Settings());
    REQUIRE(plan.ok());
    CHECK_FALSE(plan->refused);
    CHECK(plan->writes.size() == 2);
  }
}

TEST_CASE("resize plan: pod-level budget change carries inheriting containers",
          "[resize][plan][pod_level]") {
  Pod old_pod;
  Container a;
  a.name = "a";
  old_pod.containers = {a};
  old_pod.resources = ResourceRequirements{{{"cpu", Q("1")}, {"memory", Q("1Gi")}},
                                           {{"cpu", Q("2")}, {"memory", Q("2Gi")}}};
  Pod grown = old_pod;
  grown.resources->limits = {{"cpu", Q("4")}, {"memory", Q("4Gi")}};
  auto plan = PlanResize(old_pod, grown, nullptr, Settings());
  REQUIRE(plan.ok());
  INFO(Show(plan->writes));
  REQUIRE(plan->writes.size() >= 2);
  CHECK(plan->writes.front() == CgroupWrite{"", "memory.max", "4294967296"});
  CHECK(std::find(plan->writes.begin(), plan->writes.end(),
                  CgroupWrite{"a", "memory.max", "4294967296"}) != plan->writes.end());

  auto shrunk = PlanResize(grown, old_pod, nullptr, Settings());
  REQUIRE(shrunk.ok());
  INFO(Show(shrunk->writes));
  REQUIRE(shrunk->writes.size() >= 2);
  CHECK(shrunk->writes[0] == CgroupWrite{"a", "memory.max", "2147483648"});
  CHECK(shrunk->writes[1] == CgroupWrite{"", "memory.max", "2147483648"});
}

TEST_CASE("resize plan: containers must match by name", "[resize][plan]") {
  Pod old_pod;
  old_pod.containers = {Burstable("a", "1", "2", "1Gi", "2Gi")};
  Pod new_pod;
  new_pod.containers = {Burstable("b", "1", "2", "1Gi", "2Gi")};
  CHECK(PlanResize(old_pod, new_pod, nullptr, Settings()).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace podalloc
