// Explaining a refused merge: each provider's hint lists as the kubelet would hold them, and the
// first provider after which the policy has nothing left to admit.
#include "podalloc/merge_explanation.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "podalloc/bitmask.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

// The kubelet's list for one resource, or nullopt when it has too many masks to write out.
std::optional<std::vector<TopologyHint>> ListOf(const ResourceHints& hints, int max_nodes) {
  if (const std::vector<TopologyHint>* list = hints.list()) return *list;
  if (const CapacityHints* family = hints.capacity()) {
    if (family->nodes.Count() > max_nodes) return std::nullopt;
    absl::StatusOr<std::vector<TopologyHint>> expanded = ExpandHints(*family);
    if (!expanded.ok()) return std::nullopt;
    return *std::move(expanded);
  }
  if (const HintOracle* oracle = hints.oracle()) {
    const NumaMask nodes = oracle->nodes();
    if (nodes.Count() > max_nodes) return std::nullopt;
    std::vector<TopologyHint> out;
    IterateBitMasks(nodes.GetBits(), [&](NumaMask m) {
      if (oracle->IsHint(m)) out.push_back(TopologyHint::Of(m, oracle->IsPreferred(m)));
    });
    return out;
  }
  return std::vector<TopologyHint>();
}

}  // namespace

absl::StatusOr<MergeExplanation> ExplainMerge(const std::vector<ProviderHints>& providers,
                                              const std::vector<std::string>& names,
                                              TopologyPolicy policy, const NumaInfo& numa,
                                              const TopologyPolicyOptions& options,
                                              int max_listed_numa_nodes) {
  if (names.size() != providers.size()) {
    return absl::InvalidArgumentError(absl::StrCat("ExplainMerge: ", names.size(),
                                                   " names for ", providers.size(),
                                                   " providers"));
  }
  MergeExplanation e;
  e.policy = policy;
  for (size_t i = 0; i < providers.size(); ++i) {
    ProviderHintSummary p;
    p.provider = names[i];
    for (const auto& [resource, hints] : providers[i].resources) {
      ResourceHintSummary r;
      r.resource = resource;
      r.no_preference = hints.is_no_preference();
      if (!r.no_preference) r.hints = ListOf(hints, max_listed_numa_nodes);
      p.resources.push_back(std::move(r));
    }
    PODALLOC_ASSIGN_OR_RETURN(MergeResult alone, MergeHints({providers[i]}, policy, numa, options));
    p.admits_alone = alone.admit;
    e.providers.push_back(std::move(p));
  }
  PODALLOC_ASSIGN_OR_RETURN(MergeResult all, MergeHints(providers, policy, numa, options));
  e.merged = all.hint;
  e.admitted = all.admit;
  if (e.admitted) return e;
  // The whole merge is refused, so some prefix of the providers is: the first refused prefix
  // ends with the provider whose hints took away the last hint the policy would admit.
  std::vector<ProviderHints> prefix;
  for (size_t i = 0; i < providers.size(); ++i) {
    prefix.push_back(providers[i]);
    PODALLOC_ASSIGN_OR_RETURN(MergeResult partial, MergeHints(prefix, policy, numa, options));
    if (!partial.admit) {
      e.blocking_provider = names[i];
      break;
    }
  }
  return e;
}

}  // namespace podalloc
