// File: podalloc/resize_json.h
// A ResizeDecision as JSON, the form the C ABI and the CLI hand out for Node::Resize and
// Node::CheckResize. Keys come in a fixed order and every value is derived from the decision
// alone, so equal decisions give byte-identical text (as DecisionToJson does for admission).
#pragma once

#include <string>

#include "podalloc/node.h"

namespace podalloc {

// `indent` < 0: one line; otherwise pretty-printed with that many spaces. Layout:
// {"pod": {"uid"}, "feasible", "reason" ("" | "Infeasible" | "Deferred"), "message",
//  "reason_detail", "applied", "plan": {"refused", "refusal",
//  "writes": [{"cgroup", "file", "value"}]}, "restarted_containers": [names],
//  "base_version"}.
// `cgroup` is relative to the pod cgroup: "" is the pod cgroup itself, else a container name;
// writes are in the order they must be applied.
std::string ResizeDecisionToJson(const ResizeDecision& decision, int indent = -1);

}  // namespace podalloc
