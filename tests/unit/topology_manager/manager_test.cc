// TopologyManager construction, options and admission beyond the conformance vectors.
#include <catch2/catch.hpp>

#include "podalloc/topology_manager.h"

namespace podalloc {
namespace {

std::vector<NumaInfoNode> Machine(int n, bool distances) {
  std::vector<NumaInfoNode> nodes;
  for (int i = 0; i < n; ++i) {
    NumaInfoNode node{i, std::nullopt};
    if (distances) {
      node.distances = std::vector<uint64_t>(n, 20);
      (*node.distances)[i] = 10;
    }
    nodes.push_back(node);
  }
  return nodes;
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST_CASE("topology_manager: the NUMA-node limit and max-allowable-numa-nodes",
          "[topology_manager][manager]") {
  auto m = TopologyManager::Create(Machine(9, false), "restricted", "container", {});
  REQUIRE_FALSE(m.ok());
  CHECK(Message(m.status()) == "unsupported on machines with more than 8 NUMA Nodes");
  CHECK(TopologyManager::Create(Machine(8, false), "restricted", "container", {}).ok());
  m = TopologyManager::Create(Machine(64, false), "best-effort", "pod",
                              {{"max-allowable-numa-nodes", "64"}});
  REQUIRE(m.ok());
  CHECK(m->policy() == TopologyPolicy::kBestEffort);
  CHECK(m->scope() == TopologyScope::kPod);
  CHECK(m->numa().num_nodes() == 64);
  CHECK(m->options().max_allowable_numa_nodes == 64);
  m = TopologyManager::Create(Machine(64, false), "best-effort", "pod",
                              {{"max-allowable-numa-nodes", "63"}});
  CHECK(Message(m.status()) == "unsupported on machines with more than 63 NUMA Nodes");
  m = TopologyManager::Create(Machine(8, false), "best-effort", "pod",
                              {{"max-allowable-numa-nodes", "7"}});
  CHECK(Message(m.status()) ==
        "the minimum value of \"max-allowable-numa-nodes\" should not be less than 8");
}

TEST_CASE("topology_manager: NewManager's order of checks", "[topology_manager][manager]") {
  // none validates nothing else.
  auto m = TopologyManager::Create(Machine(36, false), "none", "bogus",
                                   {{"bogus-option", "x"}});
  REQUIRE(m.ok());
  CHECK(m->policy() == TopologyPolicy::kNone);
  // Options before NUMA info, NUMA info before the limit, the limit before names.
  m = TopologyManager::Create(Machine(9, false), "bogus", "bogus", {{"bogus-option", "x"}});
  CHECK(Message(m.status()) == "unknown Topology Manager Policy option: \"bogus-option\"");
  m = TopologyManager::Create(Machine(9, false), "bogus", "bogus",
                              {{"prefer-closest-numa-nodes", "true"}});
  CHECK(Message(m.status()) ==
        "cannot discover NUMA topology: error getting NUMA distances from cadvisor");
  m = TopologyManager::Create(Machine(9, true), "bogus", "bogus",
                              {{"prefer-closest-numa-nodes", "true"}});
  CHECK(Message(m.status()) == "unsupported on machines with more than 8 NUMA Nodes");
  m = TopologyManager::Create(Machine(2, false), "bogus", "bogus", {});
  CHECK(Message(m.status()) == "unknown policy: \"bogus\"");
  m = TopologyManager::Create(Machine(2, false), "single-numa-node", "bogus", {});
  CHECK(Message(m.status()) == "unknown scope: \"bogus\"");
}

TEST_CASE("topology_manager: option value syntax follows Go strconv",
          "[topology_manager][options]") {
  for (const char* v : {"1", "t", "T", "TRUE", "true", "True"}) {
    auto o = ParseTopologyPolicyOptions({{"prefer-closest-numa-nodes", v}});
    REQUIRE(o.ok());
    CHECK(o->prefer_closest_numa);
  }
  auto o = ParseTopologyPolicyOptions({{"prefer-closest-numa-nodes", "tRuE"}});
  CHECK(Message(o.status()) ==
        "bad value for option \"prefer-closest-numa-nodes\": strconv.ParseBool: parsing "
        "\"tRuE\": invalid syntax");
  o = ParseTopologyPolicyOptions({{"max-allowable-numa-nodes", "+12"}});
  REQUIRE(o.ok());
  CHECK(o->max_allowable_numa_nodes == 12);
  o = ParseTopologyPolicyOptions({{"max-allowable-numa-nodes", "99999999999999999999"}});
  CHECK(Message(o.status()) ==
        "unable to convert policy option to integer \"max-allowable-numa-nodes\": strconv.Atoi: "
        "parsing \"99999999999999999999\": value out of range");
  o = ParseTopologyPolicyOptions({{"max-allowable-numa-nodes", ""}});
  CHECK(Message(o.status()).find("invalid syntax") != std::string::npos);
}

TEST_CASE("topology_manager: admission results", "[topology_manager][admission]") {
  CHECK(Admitted().admit);
  const AdmitResult r = TopologyAffinityRejection();
  CHECK_FALSE(r.admit);
  CHECK(r.reason == "TopologyAffinityError");
  CHECK(r.message == "Resources cannot be allocated with Topology locality");
  const AdmitResult a = AllocateFailure("not enough cpus available to satisfy request");
  CHECK(a.reason == "UnexpectedAdmissionError");
  CHECK(a.message ==
        "Allocate failed due to not enough cpus available to satisfy request, which is "
        "unexpected");
  CHECK(PolicyAdmits(TopologyPolicy::kBestEffort, TopologyHint::Any(false)));
  CHECK_FALSE(PolicyAdmits(TopologyPolicy::kRestricted, TopologyHint::Of(NumaMask{0}, false)));
  CHECK(PolicyAdmits(TopologyPolicy::kSingleNumaNode, TopologyHint::Any(true)));
}

TEST_CASE("topology_manager: merge input errors", "[topology_manager][merge]") {
  auto numa = NumaInfo::Create(Machine(2, false), false);
  REQUIRE(numa.ok());
  CapacityHints f;
  f.nodes = NumaMask{0, 5};
  ProviderHints p;
  p.resources["cpu"] = ResourceHints::Capacity(f);
  auto r = MergeHints({p}, TopologyPolicy::kRestricted, *numa, {});
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  TopologyPolicyOptions closest;
  closest.prefer_closest_numa = true;
  r = MergeHints({}, TopologyPolicy::kBestEffort, *numa, closest);
  CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
  // Ignored under single-numa-node, as in the kubelet.
  r = MergeHints({}, TopologyPolicy::kSingleNumaNode, *numa, closest);
  REQUIRE(r.ok());
  CHECK(r->hint == TopologyHint::Any(true));
}

}  // namespace
}  // namespace podalloc
