// File: podalloc/hint_merge_steps.h
// The individual steps of the kubelet's hint merge (policy.go filterProvidersHints,
// HintMerger.compare, maxOfMinAffinityCounts; policy_single_numa_node.go filterSingleNumaHints)
// on explicit hint lists. MergeHints does not walk these steps (it searches masks directly);
// they are public so the kubelet's own step-level behaviour can be checked and reused.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/hint.h"
#include "podalloc/numa_info.h"

namespace podalloc {

// One list per (provider, resource) in provider order, resources in name order.
using HintLists = std::vector<std::vector<TopologyHint>>;

// filterProvidersHints: a provider without resources → [{nil, true}]; a NoPreference resource
// → [{nil, true}]; an empty list → [{nil, false}]; otherwise the list as given. Capacity
// families are expanded (ExpandHints); an oracle family is InvalidArgument here.
[[nodiscard]] absl::StatusOr<HintLists> FlattenProviderHints(
    const std::vector<ProviderHints>& providers);

// filterSingleNumaHints: keep preferred hints whose affinity is nil or has one node.
HintLists FilterSingleNumaHints(const HintLists& lists);

// maxOfMinAffinityCounts: the largest, over lists, of the popcount of the list's narrowest
// non-nil affinity (lists with only nil affinities are skipped; 0 when none count).
int MaxOfMinAffinityCounts(const HintLists& lists);

enum class CompareWinner { kCurrent, kCandidate };

// HintMerger.compare: which of the current best merged hint (nullopt = none yet) and the
// candidate the merger keeps. `use_closest`: prefer-closest-numa-nodes under a policy other
// than single-numa-node (needs distances in `numa`).
CompareWinner CompareMergedHints(const std::optional<TopologyHint>& current,
                                 const TopologyHint& candidate,
                                 int best_non_preferred_affinity_count, bool use_closest,
                                 const NumaInfo& numa);

}  // namespace podalloc
