// Conformance: option parsing, availability, machine validation and the SMT error texts.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "kubelet_topologies.h"
#include "podalloc/cpu_manager.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

// The vectors' gate map; a gate the case does not name is on (README: "assume all option
// gates are on unless feature_gates says otherwise").
CpuPolicyOptionGates Gates(const nlohmann::json& c) {
  CpuPolicyOptionGates gates{.alpha_options = true, .beta_options = true};
  const nlohmann::json fg = c.value("feature_gates", nlohmann::json::object());
  if (fg.contains("CPUManagerPolicyAlphaOptions")) {
    gates.alpha_options = fg["CPUManagerPolicyAlphaOptions"].get<bool>();
  }
  if (fg.contains("CPUManagerPolicyBetaOptions")) {
    gates.beta_options = fg["CPUManagerPolicyBetaOptions"].get<bool>();
  }
  return gates;
}

std::map<std::string, std::string> Options(const nlohmann::json& c) {
  std::map<std::string, std::string> out;
  if (!c.contains("options") || c["options"].is_null()) return out;
  for (const auto& [k, v] : c["options"].items()) out[k] = v.get<std::string>();
  return out;
}

std::map<std::string, bool> Fields(const CpuPolicyOptions& o) {
  return {{"FullPhysicalCPUsOnly", o.full_physical_cpus_only},
          {"DistributeCPUsAcrossNUMA", o.distribute_cpus_across_numa},
          {"AlignBySocket", o.align_by_socket},
          {"DistributeCPUsAcrossCores", o.distribute_cpus_across_cores},
          {"StrictCPUReservation", o.strict_cpu_reservation},
          {"PreferAlignByUncoreCacheOption", o.prefer_align_by_uncore_cache}};
}

TEST_CASE("cpu_manager: kubelet option vectors", "[cpu_manager][conformance]") {
  const nlohmann::json doc = testing::LoadVectors("cpumanager/options_validation.json");
  int ran = 0;
  for (const auto& c : doc.at("cases")) {
    INFO(c.at("name").get<std::string>() << " (" << c.value("kubelet_test", "") << ")");
    const nlohmann::json& expected = c.at("expected");
    const std::string op = c.value("op", std::string("NewStaticPolicyOptions"));
    ++ran;
    if (op == "CheckPolicyOptionAvailable") {
      CHECK(CheckCpuPolicyOptionAvailable(c.at("option").get<std::string>(), Gates(c)).ok() ==
            expected.at("available").get<bool>());
    } else if (op == "ValidateStaticPolicyOptions") {
      // The kubelet test ignores the parse error and validates what was parsed.
      auto parsed = ParseCpuPolicyOptions(Options(c), Gates(c));
      const CpuPolicyOptions opts = parsed.ok() ? *parsed : CpuPolicyOptions{};
      const Topology topo = testing::KubeletTopology(c.at("topology"));
      const absl::Status s = ValidateCpuPolicyOptions(
          opts, topo, c.at("topology_manager_policy_effective").get<std::string>());
      CHECK(!s.ok() == expected.at("error").get<bool>());
    } else {
      auto parsed = ParseCpuPolicyOptions(Options(c), Gates(c));
      CHECK(!parsed.ok() == expected.at("error").get<bool>());
      if (parsed.ok() && expected.contains("value")) {
        std::map<std::string, bool> want = Fields(CpuPolicyOptions{});
        for (const auto& [k, v] : expected["value"].items()) {
          REQUIRE(want.count(k) == 1);
          want[k] = v.get<bool>();
        }
        CHECK(Fields(*parsed) == want);
      }
    }
  }
  CHECK(ran == static_cast<int>(doc.at("cases").size()));
}

TEST_CASE("cpu_manager: kubelet SMT alignment error texts", "[cpu_manager][conformance]") {
  const nlohmann::json doc = testing::LoadVectors("cpumanager/error_text.json");
  REQUIRE_FALSE(doc.at("cases").empty());
  for (const auto& c : doc.at("cases")) {
    INFO(c.at("name").get<std::string>());
    const nlohmann::json& e = c.at("error");
    const int requested = e.at("RequestedCPUs");
    const int per_core = e.at("CpusPerCore");
    const std::string text = e.value("CausedByPhysicalCPUs", false)
                                 ? SmtAlignmentPhysicalErrorText(
                                       requested, per_core, e.value("AvailablePhysicalCPUs", 0))
                                 : SmtAlignmentErrorText(requested, per_core);
    CHECK(text == c.at("expected").at("text").get<std::string>());
  }
}

TEST_CASE("cpu_manager: option errors carry the kubelet texts", "[cpu_manager][options]") {
  auto bad = ParseCpuPolicyOptions({{"full-pcpus-only", "enabled!"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()) ==
        "bad value for option \"full-pcpus-only\": strconv.ParseBool: parsing \"enabled!\": "
        "invalid syntax");
  auto unknown = ParseCpuPolicyOptions({{"badValue1", ""}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(std::string(unknown.status().message()) ==
        "unknown CPU Manager Policy option: \"badValue1\"");
  auto alpha = ParseCpuPolicyOptions({{"align-by-socket", "true"}});
  REQUIRE_FALSE(alpha.ok());
  CHECK(std::string(alpha.status().message()) ==
        "CPU Manager Policy Alpha-level Options not enabled, but option \"align-by-socket\" "
        "provided");
  auto pair = ParseCpuPolicyOptions(
      {{"full-pcpus-only", "true"}, {"distribute-cpus-across-cores", "true"}}, {true, true});
  REQUIRE_FALSE(pair.ok());
  CHECK(std::string(pair.status().message()) ==
        "static policy options full-pcpus-only and distribute-cpus-across-cores can not be "
        "used at the same time");
  auto numa_uncore = ParseCpuPolicyOptions(
      {{"prefer-align-cpus-by-uncorecache", "1"}, {"distribute-cpus-across-numa", "T"}});
  REQUIRE_FALSE(numa_uncore.ok());
  CHECK(std::string(numa_uncore.status().message()) ==
        "static policy options prefer-align-cpus-by-uncorecache and "
        "distribute-cpus-across-numa can not be used at the same time");
  auto ok = ParseCpuPolicyOptions({{"strict-cpu-reservation", "True"}});
  REQUIRE(ok.ok());
  CHECK(ok->strict_cpu_reservation);
}

}  // namespace
}  // namespace podalloc
