// File: tests/unit/topology_manager/reference/kubelet_merge.h
// A literal, brute-force model of the kubelet's topology-manager merge (policy.go HintMerger,
// mergePermutation, filterProvidersHints; policy_*.go; numa_info.go): flatten every provider,
// walk the full cross product in odometer order and keep the compare() winner. Exponential by
// design — the oracle the fast path is checked against, for up to 8 NUMA nodes. Shares no
// code with lib/topology_manager beyond the value types.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "podalloc/hint.h"
#include "podalloc/topology_manager.h"

namespace podalloc::reference {

using Lists = std::vector<std::vector<TopologyHint>>;

// The machine as the kubelet's NUMAInfo holds it.
struct Machine {
  std::vector<int> nodes;
  std::map<int, std::vector<uint64_t>> distances;  // row per node id, indexed by node id
};

// The list a capacity family stands for, by walking IterateBitMasks over its nodes.
std::vector<TopologyHint> ListCapacityHints(const CapacityHints& family);
// The list an oracle stands for.
std::vector<TopologyHint> ListOracleHints(const HintOracle& oracle);

// filterProvidersHints (resources in map order).
Lists Flatten(const std::vector<ProviderHints>& providers);

// The kubelet's policy Merge: (best hint, admit).
MergeResult KubeletMerge(const std::vector<ProviderHints>& providers, TopologyPolicy policy,
                         const Machine& machine, bool prefer_closest);

// Number of permutations the kubelet would walk for these providers under `policy`.
double PermutationCount(const std::vector<ProviderHints>& providers, TopologyPolicy policy);

}  // namespace podalloc::reference
