#include "cpu_test_support.h"

#include <catch2/catch.hpp>
#include <utility>

namespace podalloc::testing {

CpuStaticPolicy MakeStaticPolicy(const Topology& topology, int reserved, PolicyOptions options,
                                 bool pod_level_gate) {
  CpuStaticPolicyConfig config;
  config.num_reserved_cpus = reserved;
  config.options = std::move(options);
  config.gates = {.alpha_options = true, .beta_options = true};
  config.pod_level_resource_managers = pod_level_gate;
  auto policy = CpuStaticPolicy::Create(topology, config);
  if (!policy.ok()) FAIL(policy.status().ToString());
  return *std::move(policy);
}

CpuManagerState StartedState(const CpuStaticPolicy& policy) {
  CpuManagerState state;
  const absl::Status started = policy.Start(state);
  if (!started.ok()) FAIL(started.ToString());
  return state;
}

std::vector<PolicyOptions> PropertyOptionSets() {
  return {
      {},
      {{kFullPcpusOnlyOption, "true"}},
      {{kStrictCpuReservationOption, "true"}, {kFullPcpusOnlyOption, "true"}},
      {{kDistributeCpusAcrossNumaOption, "true"}},
      {{kDistributeCpusAcrossCoresOption, "true"}},
      {{kPreferAlignByUncoreCacheOption, "true"}},
  };
}

int Pick(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

}  // namespace podalloc::testing
