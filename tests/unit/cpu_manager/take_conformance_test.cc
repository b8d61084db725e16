// Conformance: the kubelet's accumulator and take-by-topology tables, through the public API.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "kubelet_topologies.h"
#include "podalloc/cpu_assignment.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

using testing::Cpus;
using testing::KubeletTopology;

CpuSortingStrategy Strategy(const nlohmann::json& request) {
  return request.value("sorting_strategy", std::string("packed")) == "spread"
             ? CpuSortingStrategy::kSpread
             : CpuSortingStrategy::kPacked;
}

std::vector<int> Ids(const nlohmann::json& v) { return v.get<std::vector<int>>(); }

void CheckAccumulatorCase(const nlohmann::json& c) {
  const CpuLayout layout(KubeletTopology(c.at("topology")));
  const nlohmann::json& request = c.at("request");
  const std::string op = request.at("op");
  const CpuSet available = Cpus(c.at("available"));
  const nlohmann::json& expected = c.at("expected");
  const bool sorted = c.value("compare", std::string("exact_order")) == "sorted";
  auto same = [&](std::vector<int> got, std::vector<int> want) {
    if (sorted) {
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
    }
    CHECK(got == want);
  };
  if (op == "take") {
    CpuAccumulator acc(layout, available, request.at("num_cpus"));
    for (const auto& t : request.at("take")) acc.Take(Cpus(t));
    CHECK(acc.IsSatisfied() == expected.at("satisfied").get<bool>());
    CHECK(acc.IsFailed() == expected.at("failed").get<bool>());
    CHECK(acc.NumCpusNeeded() == expected.at("num_cpus_needed").get<int>());
    return;
  }
  CpuAccumulator acc(layout, available, 0, Strategy(request));
  if (op == "freeSockets") {
    same(acc.FreeSockets(), Ids(expected.at("ids")));
  } else if (op == "freeNUMANodes") {
    same(acc.FreeNumaNodes(), Ids(expected.at("ids")));
  } else if (op == "freeCores") {
    same(acc.FreeCores(), Ids(expected.at("ids")));
  } else if (op == "freeCPUs") {
    same(acc.FreeCpus(), Ids(expected.at("ids")));
  } else if (op == "freeSocketsAndNUMANodes") {
    same(acc.FreeSockets(), Ids(expected.at("free_sockets")));
    same(acc.FreeNumaNodes(), Ids(expected.at("free_numa_nodes")));
  } else {
    FAIL("unknown accumulator op " << op);
  }
}

void CheckTakeCase(const nlohmann::json& c, bool distributed) {
  const CpuLayout layout(KubeletTopology(c.at("topology")));
  const nlohmann::json& request = c.at("request");
  const CpuSet available = Cpus(c.at("available"));
  const int n = request.at("num_cpus");
  absl::StatusOr<CpuSet> got =
      distributed ? TakeByTopologyNumaDistributed(layout, available, n,
                                                  request.at("cpu_group_size"), Strategy(request))
                  : TakeByTopologyNumaPacked(layout, available, n, Strategy(request),
                                             request.value("prefer_align_by_uncore_cache", false));
  const nlohmann::json& expected = c.at("expected");
  if (expected.contains("error")) {
    REQUIRE_FALSE(got.ok());
    CHECK(std::string(got.status().message()) == expected.at("error").get<std::string>());
    return;
  }
  REQUIRE(got.ok());
  CHECK(got->ToString() == expected.at("cpuset").get<std::string>());
}

// Runs every case of a vector file that exists (held-out files may be absent here).
template <typename F>
int RunFile(const std::string& relative, F check) {
  if (!std::filesystem::exists(testing::TestDataDir() / "conformance" / relative)) return -1;
  const nlohmann::json doc = testing::LoadVectors(relative);
  int ran = 0;
  for (const auto& c : doc.at("cases")) {
    if (c.value("topology_unresolved", false)) continue;
    INFO(relative << ": " << c.at("name").get<std::string>());
    check(c);
    ++ran;
  }
  return ran;
}

TEST_CASE("cpu_manager: kubelet accumulator vectors", "[cpu_manager][conformance]") {
  CHECK(RunFile("cpumanager/accumulator.json", CheckAccumulatorCase) > 0);
}

TEST_CASE("cpu_manager: kubelet packed take vectors", "[cpu_manager][conformance]") {
  CHECK(RunFile("cpumanager/take_by_topology_packed.json",
                [](const nlohmann::json& c) { CheckTakeCase(c, false); }) > 0);
}

TEST_CASE("cpu_manager: kubelet spread take vectors", "[cpu_manager][conformance]") {
  CHECK(RunFile("cpumanager/take_by_topology_spread.json",
                [](const nlohmann::json& c) { CheckTakeCase(c, false); }) > 0);
}

TEST_CASE("cpu_manager: kubelet uncore take vectors", "[cpu_manager][conformance]") {
  const int ran = RunFile("cpumanager/uncore_cache.json",
                          [](const nlohmann::json& c) { CheckTakeCase(c, false); });
  if (ran < 0) WARN("uncore_cache.json is not in this checkout");
}

TEST_CASE("cpu_manager: kubelet distributed take vectors", "[cpu_manager][conformance]") {
  const int ran = RunFile("cpumanager/take_by_topology_distributed.json",
                          [](const nlohmann::json& c) { CheckTakeCase(c, true); });
  if (ran < 0) WARN("take_by_topology_distributed.json is not in this checkout");
}

}  // namespace
}  // namespace podalloc
