#include "simulate_explain.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace podalloc::cli {
namespace {

std::string HintWord(const TopologyHint& h) {
  return h.affinity.has_value() ? h.affinity->ToList() : "any";
}

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
  for (const ProviderHintSummary& p : m.providers) {
    out << "    " << p.provider << (p.admits_alone ? "" : " (refused even alone)") << ":";
    if (p.resources.empty()) out << " no preference";
    out << "\n";
    for (const ResourceHintSummary& res : p.resources) {
      out << "      " << res.resource << ": ";
      if (res.no_preference) {
        out << "no preference\n";
      } else if (!res.hints.has_value()) {
        out << "(too many NUMA nodes to list)\n";
      } else if (res.hints->empty()) {
        out << "no hint (no NUMA placement fits)\n";
      } else {
        // Grouped by preference, each hint as its NUMA set: "preferred {0} {1}; not ...".
        std::vector<std::string> preferred, other;
        for (const TopologyHint& h : *res.hints) {
          (h.preferred ? preferred : other).push_back(absl::StrCat("{", HintWord(h), "}"));
        }
        std::vector<std::string> groups;
        if (!preferred.empty()) groups.push_back("preferred " + absl::StrJoin(preferred, " "));
        if (!other.empty()) groups.push_back("not preferred " + absl::StrJoin(other, " "));
        out << absl::StrJoin(groups, "; ") << "\n";
      }
    }
  }
}

}  // namespace

void PrintWhy(const Decision& d, std::ostream& out) {
  if (d.topology_rejection.has_value()) PrintTopology(*d.topology_rejection, out);
  if (!d.insufficient_resources.empty()) {
    out << "  resource fit against node allocatable:\n";
    for (const InsufficientResource& f : d.insufficient_resources) {
      out << "    " << f.resource << ": short by " << f.Shortfall() << " (requested "
          << f.requested << ", used " << f.used << ", allocatable " << f.capacity
          << (f.unresolvable ? "; more than the node has" : "") << ")\n";
    }
  }
  if (d.preemption.has_value()) {
    const PreemptionPlan& p = *d.preemption;
    std::vector<std::string> needs;
    for (const PreemptionNeed& n : p.shortfall) needs.push_back(absl::StrCat(n.resource, " ", n.amount));
    out << "  critical pod, the kubelet's preemption path (to free " << absl::StrJoin(needs, ", ")
        << "): "
        << (p.found ? absl::StrCat("evict ", absl::StrJoin(p.victims, ", "), " (reason ",
                                   kPreemptingReason, ")")
                    : std::string("no set of admitted pods frees enough"))
        << "\n";
  }
}

}  // namespace podalloc::cli
