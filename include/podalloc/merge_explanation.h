// File: podalloc/merge_explanation.h
// Why a merge was refused: every hint provider's hints (CPU manager, memory manager, and any
// later provider such as devices), and which provider left the policy no hint to admit. The
// kubelet only logs "Resources cannot be allocated with Topology locality"; this is
// podalloc's account of the same merge (pkg/kubelet/cm/topologymanager policy*.go).
//
// Pure functions over values (reentrant). Only worth calling once a merge was refused: it
// merges again, once per provider.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/hint.h"
#include "podalloc/numa_info.h"
#include "podalloc/topology_manager.h"

namespace podalloc {

// One resource of one provider.
struct ResourceHintSummary {
  std::string resource;
  // The kubelet's nil list: any NUMA node will do.
  bool no_preference = false;
  // The kubelet's hint list (an empty list: no alignment possible); nullopt when the
  // provider's NUMA nodes are too many to list (more than ExplainMerge's limit).
  std::optional<std::vector<TopologyHint>> hints;
  friend bool operator==(const ResourceHintSummary&, const ResourceHintSummary&) = default;
};

struct ProviderHintSummary {
  std::string provider;
  // Empty: the provider has no preference for any resource.
  std::vector<ResourceHintSummary> resources;
  // Merged on their own, this provider's hints give a hint the policy admits.
  bool admits_alone = true;
  friend bool operator==(const ProviderHintSummary&, const ProviderHintSummary&) = default;
};

struct MergeExplanation {
  TopologyPolicy policy = TopologyPolicy::kNone;
  std::vector<ProviderHintSummary> providers;  // in registration order
  TopologyHint merged;                          // the merge of every provider
  bool admitted = true;
  // The first provider whose hints, merged with those of the providers before it, leave no
  // hint the policy admits; "" when the merge is admitted.
  std::string blocking_provider;
  friend bool operator==(const MergeExplanation&, const MergeExplanation&) = default;
};

// Explains the merge of `providers` (named by `names`, same order) under `policy`. Hint lists
// are written out for providers of at most `max_listed_numa_nodes` NUMA nodes. Errors are
// MergeHints' and InvalidArgument when the name count differs from the provider count.
[[nodiscard]] absl::StatusOr<MergeExplanation> ExplainMerge(
    const std::vector<ProviderHints>& providers, const std::vector<std::string>& names,
    TopologyPolicy policy, const NumaInfo& numa, const TopologyPolicyOptions& options,
    int max_listed_numa_nodes = 8);

}  // namespace podalloc
