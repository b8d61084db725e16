// File: tests/unit/topology_manager/random_hints.h
// Seeded random machines and provider hints for the property tests: explicit lists (with nil
// entries, empty masks and bits outside the machine), empty lists, capacity families (CPU- and
// memory-manager shaped, with required nodes, NUMA groups, exact-mask extras, socket rule)
// and oracles.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "podalloc/hint.h"
#include "podalloc/numa_info.h"
#include "reference/kubelet_merge.h"

namespace podalloc::testing {

struct RandomCase {
  reference::Machine machine;
  std::vector<NumaInfoNode> nodes;  // for NumaInfo::Create
  TopologyPolicy policy = TopologyPolicy::kBestEffort;
  bool prefer_closest = false;
  std::vector<ProviderHints> providers;
};

class RandomHints {
 public:
  explicit RandomHints(uint64_t seed) : rng_(seed) {}
  // min_nodes..max_nodes NUMA nodes, 1..max_providers providers. Beyond 10 nodes, families
  // span at most 8 of them so the kubelet model can still list their hints.
  RandomCase Case(int min_nodes, int max_nodes, int max_providers);
  CapacityHints Capacity(NumaMask all);
  std::mt19937_64& rng() { return rng_; }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  NumaMask SubsetOf(NumaMask all, double p);
  // `all`, or up to 8 of its nodes when it is too large to enumerate.
  NumaMask Enumerable(NumaMask all);
  ResourceHints Resource(NumaMask all);
  std::vector<TopologyHint> ExplicitList(NumaMask all);

  std::mt19937_64 rng_;
};

// A readable dump of a case, for failure messages.
std::string Describe(const RandomCase& c);

}  // namespace podalloc::testing
