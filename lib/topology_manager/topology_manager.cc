// Manager construction in the kubelet's order of checks (topology_manager.go NewManager), the
// policies' admit rules and the admission results the scopes produce.
#include "podalloc/topology_manager.h"

#include "absl/strings/str_cat.h"
#include "podalloc/status_macros.h"

namespace podalloc {

bool PolicyAdmits(TopologyPolicy policy, const TopologyHint& hint) {
  switch (policy) {
    case TopologyPolicy::kNone:
    case TopologyPolicy::kBestEffort:
      return true;
    case TopologyPolicy::kRestricted:
    case TopologyPolicy::kSingleNumaNode:
      return hint.preferred;
  }
  return true;
}

absl::StatusOr<TopologyManager> TopologyManager::Create(
    const std::vector<NumaInfoNode>& topology, std::string_view policy, std::string_view scope,
    const std::map<std::string, std::string>& policy_options,
    const OptionAvailability& availability) {
  TopologyManager m;
  // Policy none builds a no-op scope before anything else is looked at.
  if (policy == TopologyPolicyName(TopologyPolicy::kNone)) return m;

  PODALLOC_ASSIGN_OR_RETURN(m.options_, ParseTopologyPolicyOptions(policy_options, availability));
  absl::StatusOr<NumaInfo> numa = NumaInfo::Create(topology, m.options_.prefer_closest_numa);
  if (!numa.ok()) {
    return absl::Status(numa.status().code(), absl::StrCat("cannot discover NUMA topology: ",
                                                           numa.status().message()));
  }
  m.numa_ = *std::move(numa);
  if (m.numa_.num_nodes() > m.options_.max_allowable_numa_nodes) {
    return absl::FailedPreconditionError(
        absl::StrCat("unsupported on machines with more than ",
                     m.options_.max_allowable_numa_nodes, " NUMA Nodes"));
  }
  PODALLOC_ASSIGN_OR_RETURN(m.policy_, ParseTopologyPolicy(policy));
  PODALLOC_ASSIGN_OR_RETURN(m.scope_, ParseTopologyScope(scope));
  return m;
}

AdmitResult TopologyAffinityRejection() {
  return AdmitResult{false, kTopologyAffinityErrorReason, kTopologyAffinityErrorMessage};
}

AdmitResult AllocateFailure(std::string_view error) {
  return AdmitResult{false, kUnexpectedAdmissionErrorReason,
                     absl::StrCat("Allocate failed due to ",
                                  absl::string_view(error.data(), error.size()),
                                  ", which is unexpected")};
}

}  // namespace podalloc
