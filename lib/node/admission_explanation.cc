// ExplainAdmission: the admission plan Node::Admit runs, with a recorder for its merges, under
// the same shared lock and against the same state, fit usage and version, so the decision is
// Admit's own. Unlike Admit it observes no admission duration.
#include "podalloc/admission_explanation.h"

#include "fit_usage.h"
#include "node_internal.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace internal {

struct NodeAccess {
  static absl::Status Explain(const Node& node, const Pod& pod, AdmissionExplanation& e) {
    RwReaderLock lock(&node.mu_);
    const Node::Parts& parts = *node.parts_;
    PODALLOC_ASSIGN_OR_RETURN(e.decision, PlanAdmission(parts, node.state_, node.fit_usage_.get(),
                                                        pod, node.version_, &e.merges));
    if (e.merges.empty() && parts.topology_manager.policy() == TopologyPolicy::kNone) {
      // The kubelet's none policy gives no hint: every container is allocated without one.
      e.no_merge_reason =
          "topology manager policy none: the managers allocate without NUMA hints, so nothing "
          "is merged";
    }
    return absl::OkStatus();
  }
};

}  // namespace internal

absl::StatusOr<AdmissionExplanation> ExplainAdmission(const Node& node, const Pod& pod) {
  AdmissionExplanation e;
  PODALLOC_RETURN_IF_ERROR(internal::NodeAccess::Explain(node, pod, e));
  return e;
}

}  // namespace podalloc
