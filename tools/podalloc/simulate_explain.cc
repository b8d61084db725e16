#include "simulate_explain.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "merge_text.h"

namespace podalloc::cli {
namespace {

void PrintTopology(const TopologyRejection& r, std::ostream& out) {
  const MergeExplanation& m = r.merge;
  out << "  topology manager (" << TopologyPolicyName(m.policy) << ")"
      << (r.container.empty() ? std::string(", pod scope")
                              : absl::StrCat(", container ", r.container))
      << ": merged hint NUMA " << HintWord(m.merged)
      << (m.merged.preferred ? " (preferred)" : " (not preferred)") << ", not admitted\n";
  if (!m.blocking_provider.empty()) {
    out << "    no admissible merge once " << m.blocking_provider << "'s hints are added\n";
  }
  PrintProviderHints(m, "    ", out);
}

}  // namespace

void PrintFitShortfall(const Decision& d, std::ostream& out) {
  if (!d.insufficient_resources.empty()) {
    out << "  resource fit against node allocatable:\n";
    for (const InsufficientResource& f : d.insufficient_resources) {
      auto amount = [&f](int64_t v) { return FitAmountText(f.resource, v); };
      out << "    " << f.resource << ": short by " << amount(f.Shortfall()) << " (requested "
          << amount(f.requested) << ", used " << amount(f.used) << ", allocatable "
          << amount(f.capacity) << (f.unresolvable ? "; more than the node has" : "") << ")\n";
    }
  }
  if (d.preemption.has_value()) {
    const PreemptionPlan& p = *d.preemption;
    std::vector<std::string> needs;
    for (const PreemptionNeed& n : p.shortfall) {
      needs.push_back(absl::StrCat(n.resource, " ", FitAmountText(n.resource, n.amount)));
    }
    out << "  critical pod, the kubelet's preemption path (to free " << absl::StrJoin(needs, ", ")
        << "): "
        << (p.found ? absl::StrCat("evict ", absl::StrJoin(p.victims, ", "), " (reason ",
                                   kPreemptingReason, ")")
                    : std::string("no set of admitted pods frees enough"))
        << "\n";
  }
}

void PrintWhy(const Decision& d, std::ostream& out) {
  if (d.topology_rejection.has_value()) PrintTopology(*d.topology_rejection, out);
  PrintFitShortfall(d, out);
}

}  // namespace podalloc::cli
