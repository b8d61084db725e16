// File: lib/topology_manager/merge_lists.h
// The merger's normalised view of the kubelet's flattened hint lists (policy.go
// filterProvidersHints): per list, whether it offers a nil affinity (preferred or not), its
// explicit masks, or a family answering by rule. A permutation picks one option per list.
#pragma once

#include <optional>
#include <vector>

#include "mask_family.h"
#include "mask_search.h"
#include "podalloc/bitmask.h"
#include "podalloc/numa_info.h"

namespace podalloc::internal {

struct MergeList {
  bool nil_preferred = false;
  bool nil_not_preferred = false;
  std::vector<NumaMask> masks;            // explicit affinities as given, sorted, distinct
  std::vector<NumaMask> preferred_masks;  // those offered with preferred = true
  const MaskFamily* family = nullptr;     // instead of masks

  bool has_nil() const { return nil_preferred || nil_not_preferred; }
};

// The machine and the tie-break in force for one merge.
struct MergeContext {
  const NumaInfo* numa = nullptr;
  NumaMask all;              // the default affinity
  bool use_closest = false;  // prefer-closest-numa-nodes, not under single-numa-node
  const IncomingOrder* incoming = nullptr;  // with use_closest
  SearchBudget* budget = nullptr;            // null = unlimited

  bool Spend() const { return budget == nullptr || budget->Spend(); }

  // The merger's fitter order: fewer nodes, then (closest) smaller distance sum, then the
  // numerically smaller mask. True when a is strictly better than b.
  bool Better(NumaMask a, NumaMask b) const;
};

// The best merged affinity over permutations whose hints are all preferred and agree, or
// nullopt when every such permutation merges to an empty mask (or none exists).
std::optional<NumaMask> BestPreferredMerge(const std::vector<MergeList>& lists,
                                           const MergeContext& ctx);

// The best merged affinity over all permutations under the merger's non-preferred ranking
// around best_non_preferred_affinity_count, or nullopt when every permutation merges to an
// empty mask.
std::optional<NumaMask> BestReachableMerge(const std::vector<MergeList>& lists,
                                           const MergeContext& ctx);

}  // namespace podalloc::internal
