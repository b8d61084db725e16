// podalloc simulate --resize: in-place resize steps after the admissions (Node::Resize).
#include "simulate_resize.h"

#include <iomanip>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "podalloc/resize.h"
#include "podalloc/resize_json.h"

namespace podalloc::cli {
namespace {

std::string Outcome(const ResizeDecision& d) {
  if (!d.feasibility.feasible) {
    std::string outcome(ResizeReasonName(d.feasibility.reason));
    if (!d.feasibility.reason_detail.empty()) {
      absl::StrAppend(&outcome, " (", d.feasibility.reason_detail, ")");
    }
    return outcome;
  }
  if (d.plan.refused) return "refused";
  return d.applied ? "accepted" : "accepted, nothing to change";
}

void PrintResize(const Pod& pod, const ResizeDecision& d, std::ostream& out) {
  out << "resize " << pod.namespace_name << "/" << pod.name << " (uid " << d.pod_uid
      << "): " << Outcome(d) << "\n";
  if (!d.feasibility.message.empty()) out << "  message: " << d.feasibility.message << "\n";
  if (d.plan.refused) out << "  refusal: " << d.plan.refusal << "\n";
  if (!d.restarted_containers.empty()) {
    out << "  restarted: " << absl::StrJoin(d.restarted_containers, ", ") << "\n";
  }
  if (d.plan.writes.empty()) return;
  // Writes in the order they must be applied; "(pod)" is the pod cgroup.
  out << "  " << std::left << std::setw(4) << "#" << std::setw(14) << "CGROUP" << std::setw(22)
      << "FILE" << "VALUE\n";
  for (size_t i = 0; i < d.plan.writes.size(); ++i) {
    const CgroupWrite& w = d.plan.writes[i];
    out << "  " << std::left << std::setw(4) << (i + 1) << std::setw(14)
        << (w.cgroup.empty() ? "(pod)" : w.cgroup) << std::setw(22) << w.file << w.value << "\n";
  }
}

}  // namespace

absl::Status RunResizes(Node& node, const std::vector<Pod>& desired, bool json,
                        std::ostream& out, std::vector<std::string>& json_docs) {
  for (const Pod& pod : desired) {
    absl::StatusOr<ResizeDecision> d = node.Resize(pod);
    if (!d.ok()) {
      return absl::Status(d.status().code(),
                          absl::StrCat("resize of pod ", pod.namespace_name, "/", pod.name, ": ",
                                       d.status().message()));
    }
    if (json) {
      json_docs.push_back(ResizeDecisionToJson(*d));
    } else {
      PrintResize(pod, *d, out);
      out << "\n";
    }
  }
  return absl::OkStatus();
}

}  // namespace podalloc::cli
