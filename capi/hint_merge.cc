// File: capi/hint_merge.cc
// The typed hint merge: the kubelet's list of hint lists in plain C arrays, merged by
// podalloc/topology_manager.h under one policy.

#include <utility>
#include <vector>

#include "guard.h"
#include "handles.h"
#include "podalloc/topology_manager.h"

namespace podalloc::capi {
namespace {

constexpr uint32_t kHintFlags = PODALLOC_HINT_PREFERRED | PODALLOC_HINT_ANY_NUMA;
constexpr uint32_t kMergeFlags = PODALLOC_MERGE_PREFER_CLOSEST_NUMA;
constexpr size_t kMergeOptionsV0Size = sizeof(podalloc_merge_options);

podalloc_merge_options DefaultMergeOptions() {
  return podalloc_merge_options PODALLOC_MERGE_OPTIONS_INIT;
}

absl::StatusOr<TopologyPolicy> PolicyOf(int32_t policy) {
  switch (policy) {
    case PODALLOC_POLICY_NONE: return TopologyPolicy::kNone;
    case PODALLOC_POLICY_BEST_EFFORT: return TopologyPolicy::kBestEffort;
    case PODALLOC_POLICY_RESTRICTED: return TopologyPolicy::kRestricted;
    case PODALLOC_POLICY_SINGLE_NUMA_NODE: return TopologyPolicy::kSingleNumaNode;
    default:
      return absl::InvalidArgumentError(absl::StrCat("options->policy is ", policy,
                                                     "; expected a PODALLOC_POLICY_* value"));
  }
}

absl::StatusOr<TopologyHint> HintOf(const podalloc_hint& hint, NumaMask nodes, size_t index) {
  if ((hint.flags & ~kHintFlags) != 0) {
    return CheckFlags(hint.flags, kHintFlags, absl::StrCat("hints[", index, "].flags").c_str());
  }
  const bool preferred = (hint.flags & PODALLOC_HINT_PREFERRED) != 0;
  if ((hint.flags & PODALLOC_HINT_ANY_NUMA) != 0) return TopologyHint::Any(preferred);
  const NumaMask mask = NumaMask::FromBits(hint.affinity);
  if (!mask.IsSubsetOf(nodes)) {
    return absl::InvalidArgumentError(absl::StrCat("hints[", index, "].affinity ",
                                                   mask.ToList(), " names NUMA nodes outside ",
                                                   nodes.ToList()));
  }
  return TopologyHint::Of(mask, preferred);
}

// One provider per list, with one resource holding it, so the merge sees the same lists
// the kubelet's filterProvidersHints would build.
absl::StatusOr<std::vector<ProviderHints>> ProvidersOf(const podalloc_hint* hints,
                                                       const size_t* list_sizes,
                                                       size_t num_lists, NumaMask nodes) {
  if (num_lists > 0) PODALLOC_RETURN_IF_ERROR(NotNull(list_sizes, "list_sizes"));
  size_t total = 0;
  for (size_t i = 0; i < num_lists; ++i) total += list_sizes[i];
  if (total > 0) PODALLOC_RETURN_IF_ERROR(NotNull(hints, "hints"));
  std::vector<ProviderHints> providers(num_lists);
  size_t next = 0;
  for (size_t i = 0; i < num_lists; ++i) {
    std::vector<TopologyHint> list;
    list.reserve(list_sizes[i]);
    for (size_t k = 0; k < list_sizes[i]; ++k, ++next) {
      PODALLOC_ASSIGN_OR_RETURN(TopologyHint hint, HintOf(hints[next], nodes, next));
      list.push_back(hint);
    }
    providers[i].resources.emplace("list", ResourceHints::List(std::move(list)));
  }
  return providers;
}

podalloc_hint ToC(const TopologyHint& hint) {
  podalloc_hint out{};
  out.flags = hint.preferred ? PODALLOC_HINT_PREFERRED : 0u;
  if (hint.affinity) {
    out.affinity = hint.affinity->bits();
  } else {
    out.flags |= PODALLOC_HINT_ANY_NUMA;
  }
  return out;
}

}  // namespace

}  // namespace podalloc::capi

extern "C" {

PODALLOC_API void podalloc_merge_options_init(podalloc_merge_options* options) noexcept {
  if (options != nullptr) *options = podalloc::capi::DefaultMergeOptions();
}

PODALLOC_API podalloc_status podalloc_hints_merge(podalloc_merge_result* out,
                                                  const podalloc_topology* topology,
                                                  const podalloc_hint* hints,
                                                  const size_t* list_sizes, size_t num_lists,
                                                  const podalloc_merge_options* options,
                                                  podalloc_error** err) noexcept {
  using namespace podalloc::capi;
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(topology, "topology"));
    PODALLOC_ASSIGN_OR_RETURN(
        const podalloc_merge_options opts,
        ReadOptions(options, DefaultMergeOptions(), kMergeOptionsV0Size, "options"));
    PODALLOC_RETURN_IF_ERROR(CheckFlags(opts.flags, kMergeFlags, "options->flags"));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc::TopologyPolicy policy, PolicyOf(opts.policy));
    podalloc::TopologyPolicyOptions policy_options;
    policy_options.prefer_closest_numa = (opts.flags & PODALLOC_MERGE_PREFER_CLOSEST_NUMA) != 0;
    const podalloc::NumaInfo* numa = &topology->merge_numa;
    if (policy_options.prefer_closest_numa) {
      if (!topology->merge_numa_distances) {
        return absl::FailedPreconditionError(
            "prefer-closest-numa-nodes needs NUMA distances; the topology has none");
      }
      numa = &*topology->merge_numa_distances;
    }
    PODALLOC_ASSIGN_OR_RETURN(
        const std::vector<podalloc::ProviderHints> providers,
        ProvidersOf(hints, list_sizes, num_lists, numa->default_affinity()));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc::MergeResult merged,
                              podalloc::MergeHints(providers, policy, *numa, policy_options));
    out->hint = ToC(merged.hint);
    out->admit = merged.admit ? 1 : 0;
    return absl::OkStatus();
  });
}

}  // extern "C"
