// ExplainMerge: the hint lists it reports per provider and the provider it blames.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "podalloc/merge_explanation.h"

namespace podalloc {
namespace {

NumaInfo FourNodes() {
  std::vector<NumaInfoNode> nodes;
  for (int id = 0; id < 4; ++id) nodes.push_back(NumaInfoNode{id, std::nullopt});
  auto numa = NumaInfo::Create(nodes, false);
  REQUIRE(numa.ok());
  return *numa;
}

ProviderHints Listed(const std::string& resource, std::vector<TopologyHint> hints) {
  ProviderHints p;
  p.resources.emplace(resource, ResourceHints::List(std::move(hints)));
  return p;
}

TEST_CASE("merge explanation: the provider that closes the last door", "[topology_manager][explain]") {
  const NumaInfo numa = FourNodes();
  // CPU fits any single node (preferred); memory only fits nodes 2 and 3 together.
  const ProviderHints cpu = Listed("cpu", {TopologyHint::Of(NumaMask{0}, true),
                                           TopologyHint::Of(NumaMask{2}, true),
                                           TopologyHint::Of(NumaMask{2, 3}, false)});
  const ProviderHints memory = Listed("memory", {TopologyHint::Of(NumaMask{2, 3}, true)});
  auto e = ExplainMerge({cpu, memory}, {"cpu_manager", "memory_manager"},
                        TopologyPolicy::kRestricted, numa, {});
  REQUIRE(e.ok());
  CHECK_FALSE(e->admitted);
  CHECK(e->merged == TopologyHint::Of(NumaMask{2, 3}, false));
  CHECK(e->blocking_provider == "memory_manager");
  REQUIRE(e->providers.size() == 2);
  CHECK(e->providers[0].admits_alone);
  CHECK(e->providers[1].admits_alone);
  REQUIRE(e->providers[1].resources.size() == 1);
  CHECK(e->providers[1].resources[0].resource == "memory");
  CHECK(*e->providers[1].resources[0].hints ==
        std::vector<TopologyHint>{TopologyHint::Of(NumaMask{2, 3}, true)});

  // In the other order the CPU manager's hints are the ones that leave nothing.
  e = ExplainMerge({memory, cpu}, {"memory_manager", "cpu_manager"}, TopologyPolicy::kRestricted,
                   numa, {});
  REQUIRE(e.ok());
  CHECK(e->blocking_provider == "cpu_manager");

  // Best-effort admits it: nobody is blamed.
  e = ExplainMerge({cpu, memory}, {"cpu_manager", "memory_manager"},
                   TopologyPolicy::kBestEffort, numa, {});
  REQUIRE(e.ok());
  CHECK(e->admitted);
  CHECK(e->blocking_provider.empty());
}

TEST_CASE("merge explanation: empty lists, no preference and capacity families",
          "[topology_manager][explain]") {
  const NumaInfo numa = FourNodes();
  const ProviderHints none = Listed("cpu", {});  // no alignment possible at all
  ProviderHints any;
  any.resources.emplace("memory", ResourceHints::NoPreference());
  CapacityHints family;
  family.nodes = NumaMask{0, 1, 2, 3};
  family.demands.push_back(CapacityDemand{{4, 4, 4, 4}, 6, 0, {}});
  family.preferred_size = 2;
  ProviderHints wide;
  wide.resources.emplace("hugepages-1Gi", ResourceHints::Capacity(family));
  auto e = ExplainMerge({none, any, wide}, {"a", "b", "c"}, TopologyPolicy::kSingleNumaNode, numa,
                        {});
  REQUIRE(e.ok());
  CHECK_FALSE(e->admitted);
  CHECK(e->blocking_provider == "a");
  CHECK_FALSE(e->providers[0].admits_alone);
  CHECK(e->providers[0].resources[0].hints->empty());
  CHECK(e->providers[1].resources[0].no_preference);
  CHECK_FALSE(e->providers[1].resources[0].hints.has_value());
  // Pairs and larger: 6 pairs (preferred), 4 triples, the whole machine.
  const auto& listed = *e->providers[2].resources[0].hints;
  CHECK(listed.size() == 11);
  CHECK(listed.front() == TopologyHint::Of(NumaMask{0, 1}, true));
  CHECK_FALSE(e->providers[2].admits_alone);  // single-numa-node wants one node

  // Too many nodes to list: the family is described, not written out.
  e = ExplainMerge({wide}, {"c"}, TopologyPolicy::kRestricted, numa, {}, 2);
  REQUIRE(e.ok());
  CHECK_FALSE(e->providers[0].resources[0].hints.has_value());

  CHECK_FALSE(ExplainMerge({wide}, {}, TopologyPolicy::kRestricted, numa, {}).ok());
}

}  // namespace
}  // namespace podalloc
