// The fit report on the spec's worked examples (§7.2-7.4): largest per resource under the
// configured and what-if policies, per NUMA zone, the next refusal's reason, and shapes.
#include <string>

#include <catch2/catch.hpp>

#include "examples.h"
#include "podalloc/fit_report.h"

namespace podalloc {
namespace {

constexpr int64_t kGi = int64_t{1} << 30;

const PolicyFit& Under(const FitReport& report, const std::string& policy,
                       const std::string& scope = "container") {
  for (const PolicyFit& p : report.results) {
    if (p.policy == policy && p.scope == scope) return p;
  }
  FAIL("no result for " << policy << "/" << scope);
  return report.results.front();
}

const ResourceFit& Of(const PolicyFit& fit, const std::string& name) {
  for (const ResourceFit& r : fit.resources) {
    if (r.name == name) return r;
  }
  FAIL("no resource " << name);
  return fit.resources.front();
}

std::vector<int64_t> Zones(const ResourceFit& r) {
  std::vector<int64_t> out;
  for (const ZoneFit& z : r.zones) out.push_back(z.largest);
  return out;
}

TEST_CASE("Example 1: CPUs under memory policy None (the memory floor is not aligned)",
          "[nrt][fits]") {
  std::unique_ptr<Node> node = testing::Example1();
  absl::StatusOr<FitReport> report = WhatStillFits(*node, FitQuery{});
  REQUIRE(report.ok());
  const ResourceFit& cpu = Of(report->results.front(), "cpu");
  CHECK(cpu.largest == 11);
  CHECK(cpu.numa_affinity == NumaMask{0});
  CHECK(Zones(cpu) == std::vector<int64_t>{11, 10});
  // No zone lists memory (policy None), and every Guaranteed pod requests memory: the
  // plugin lets nothing through.
  REQUIRE(cpu.plugin.has_value());
  CHECK(cpu.plugin->largest == 0);
  CHECK_FALSE(cpu.plugin->agrees);
}

TEST_CASE("Example 4: admission is not monotone, the largest is 10 CPUs", "[nrt][fits]") {
  std::unique_ptr<Node> node = testing::Example4();
  const NodeState before = node->State();
  FitQuery query;
  query.all_policies = true;
  absl::StatusOr<FitReport> report = WhatStillFits(*node, query);
  REQUIRE(report.ok());
  CHECK(node->State() == before);
  REQUIRE(report->results.size() == 8);
  const PolicyFit& restricted = report->results.front();
  CHECK(restricted.configured);
  CHECK(restricted.policy == "restricted");
  const ResourceFit& cpu = Of(restricted, "cpu");
  CHECK(cpu.available == 10);
  CHECK(cpu.largest == 10);
  CHECK(cpu.numa_affinity == NumaMask{0, 1});
  REQUIRE(cpu.next.has_value());
  CHECK(cpu.next->value == 11);
  CHECK_FALSE(cpu.next->admitted);
  CHECK(Zones(cpu) == std::vector<int64_t>{5, 5});
  // restricted: no Filter, so the plugin would send 6-8 CPU pods the kubelet refuses.
  REQUIRE(cpu.plugin.has_value());
  CHECK(cpu.plugin->largest == 10);
  CHECK_FALSE(cpu.plugin->agrees);
  CHECK_FALSE(Of(Under(*report, "single-numa-node"), "cpu").plugin.has_value());
  CHECK(Of(Under(*report, "single-numa-node"), "cpu").largest == 5);
  CHECK(Of(Under(*report, "best-effort"), "cpu").largest == 10);
  CHECK(Of(Under(*report, "none"), "cpu").largest == 10);
  CHECK_FALSE(Under(*report, "none").configured);
}

TEST_CASE("Example 2: CPUs, memory and huge pages per policy and zone", "[nrt][fits]") {
  std::unique_ptr<Node> node = testing::Example2();
  FitQuery query;
  query.all_policies = true;
  absl::StatusOr<FitReport> report = WhatStillFits(*node, query);
  REQUIRE(report.ok());
  const PolicyFit& snn = report->results.front();
  CHECK(snn.policy == "single-numa-node");
  const ResourceFit& cpu = Of(snn, "cpu");
  CHECK(cpu.largest == 14);
  CHECK(cpu.numa_affinity == NumaMask{0});
  REQUIRE(cpu.next.has_value());
  CHECK(cpu.next->value == 15);
  CHECK(cpu.next->reason == "TopologyAffinityError");
  CHECK(Zones(cpu) == std::vector<int64_t>{14, 12});
  const ResourceFit& memory = Of(snn, "memory");
  CHECK(memory.largest == 55 * kGi);
  CHECK(memory.numa_affinity == NumaMask{0});
  CHECK(Zones(memory) == std::vector<int64_t>{55 * kGi, 47 * kGi});
  const ResourceFit& huge = Of(snn, "hugepages-1Gi");
  CHECK(huge.largest == 8 * kGi);
  CHECK(Zones(huge) == std::vector<int64_t>{8 * kGi, 6 * kGi});
  for (const ResourceFit& r : snn.resources) {
    INFO(r.name);
    REQUIRE(r.plugin.has_value());
    CHECK(r.plugin->largest == r.largest);
    CHECK(r.plugin->agrees);
  }
  CHECK(Of(Under(*report, "restricted"), "cpu").largest == 14);
  CHECK(Of(Under(*report, "best-effort"), "cpu").largest == 25);
  CHECK(Of(Under(*report, "none"), "cpu").largest == 25);
  for (const char* policy : {"restricted", "best-effort", "none"}) {
    INFO(policy);
    CHECK(Of(Under(*report, policy), "memory").largest == 55 * kGi);
    CHECK(Of(Under(*report, policy), "hugepages-1Gi").largest == 8 * kGi);
  }
}

TEST_CASE("Example 3: a NUMA memory group leaves nothing under restricted", "[nrt][fits]") {
  std::unique_ptr<Node> node = testing::Example3();
  FitQuery query;
  query.what_if = {{"best-effort", "container"}, {"none", "container"},
                   {"single-numa-node", "container"}};
  absl::StatusOr<FitReport> report = WhatStillFits(*node, query);
  REQUIRE(report.ok());
  const PolicyFit& restricted = report->results.front();
  CHECK(Of(restricted, "cpu").largest == 0);
  CHECK(Of(restricted, "memory").largest == 0);
  CHECK(Zones(Of(restricted, "cpu")) == std::vector<int64_t>{0, 0});
  CHECK(Zones(Of(restricted, "memory")) == std::vector<int64_t>{0, 0});
  CHECK(Of(Under(*report, "single-numa-node"), "cpu").largest == 0);
  // restricted has no Filter: the plugin sends pods up to the predicate's 6 CPUs, which the
  // kubelet refuses.
  CHECK(Of(restricted, "cpu").plugin->largest == 6);
  CHECK_FALSE(Of(restricted, "cpu").plugin->agrees);
  CHECK_FALSE(Of(restricted, "memory").plugin->agrees);
  for (const char* policy : {"best-effort", "none"}) {
    INFO(policy);
    CHECK(Of(Under(*report, policy), "cpu").largest == 6);
    CHECK(Of(Under(*report, policy), "memory").largest == 6 * kGi);
  }
}

TEST_CASE("shapes say whether they fit, where, and why not", "[nrt][fits]") {
  std::unique_ptr<Node> node = testing::Example4();
  absl::StatusOr<FitQuery> query = ParseFitQuery(R"({"zones": false, "shapes": [
    {"metadata": {"name": "seven", "namespace": "default"},
     "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "7", "memory": "1Gi"}}}]}},
    {"metadata": {"name": "nine", "namespace": "default"},
     "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "9", "memory": "1Gi"}}}]}}
  ]})");
  REQUIRE(query.ok());
  absl::StatusOr<FitReport> report = WhatStillFits(*node, *query);
  REQUIRE(report.ok());
  REQUIRE(report->shapes.size() == 2);
  CHECK(report->shapes[0].pod == "default/seven");
  CHECK_FALSE(report->shapes[0].admitted);
  CHECK(report->shapes[0].reason == "TopologyAffinityError");
  CHECK(report->shapes[1].admitted);
  REQUIRE(report->shapes[1].containers.size() == 1);
  CHECK(report->shapes[1].containers[0].cpus.Size() == 9);
  CHECK(Of(report->results.front(), "cpu").zones.empty());
  const std::string json = FitReportToJson(*report, *query);
  CHECK(json.find(R"("name":"cpu","nrtAvailable":"10","overall":{"largest":"10","numaAffinity":[0,1])") !=
        std::string::npos);
}

TEST_CASE("fit queries are checked", "[nrt][fits]") {
  for (const char* bad : {R"({"cpuFloor": 1})", R"({"memoryFloor": "lots"})",
                          R"({"whatIf": [{"scope": "pod"}]})", R"({"shapes": [{"spec": 1}]})",
                          R"({"zone": true})"}) {
    INFO(bad);
    CHECK(ParseFitQuery(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }
  std::unique_ptr<Node> node = testing::Example4();
  FitQuery query;
  query.cpu_floor = Quantity::FromValue(0);
  CHECK(WhatStillFits(*node, query).status().code() == absl::StatusCode::kInvalidArgument);
  query = FitQuery{};
  query.what_if = {{"sometimes", "container"}};
  absl::StatusOr<FitReport> r = WhatStillFits(*node, query);
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(r.status().message().find("sometimes") != std::string::npos);
}

}  // namespace
}  // namespace podalloc
