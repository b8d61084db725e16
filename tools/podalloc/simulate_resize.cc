// podalloc simulate --resize: in-place resize steps after the admissions (Node::Resize).
#include "simulate_resize.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "podalloc/resize.h"
#include "podalloc/resize_json.h"
#include "text_table.h"

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
  TextTable table({"#", "CGROUP", "FILE", "VALUE"});
  for (size_t i = 0; i < d.plan.writes.size(); ++i) {
    const CgroupWrite& w = d.plan.writes[i];
    table.AddRow({std::to_string(i + 1), w.cgroup.empty() ? "(pod)" : w.cgroup, w.file, w.value});
  }
  table.Print(out, "  ");
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
