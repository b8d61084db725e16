// File: tools/podalloc/simulate_resize.h
// The resize steps of `podalloc simulate --resize`: desired pods applied in order after the
// admissions, each answered as the kubelet would (accepted, Deferred, Infeasible) with the
// cgroup writes that carry an accepted one out.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "podalloc/node.h"
#include "podalloc/pod.h"

namespace podalloc::cli {

// Resizes each pod on `node` in order. Prints a table per resize to `out`, or, with `json`,
// appends one ResizeDecisionToJson document per resize to `json_docs`. The first error
// (a pod not admitted, containers that differ, a resize not modelled) stops the run.
absl::Status RunResizes(Node& node, const std::vector<Pod>& desired, bool json,
                        std::ostream& out, std::vector<std::string>& json_docs);

}  // namespace podalloc::cli
