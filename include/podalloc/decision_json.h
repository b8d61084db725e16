// File: podalloc/decision_json.h
// A Decision as JSON, the form the C ABI and the CLI hand out. Keys come in a fixed order and
// every value is derived from the decision alone, so equal decisions give byte-identical text.
// The state delta and metric counts stay inside the library.
#pragma once

#include <string>

#include "podalloc/node.h"

namespace podalloc {

// `indent` < 0: one line; otherwise pretty-printed with that many spaces. Layout:
// {"pod": {"uid", "name", "namespace"}, "admitted", "reason", "message", "qos", "scope",
//  "pod_level", "pod_hint", "pod_cpus", "pod_shared_pool", "reasons",
//  "topology_rejection": null or {"container" (null at scope pod), "policy", "merged_hint",
//      "blocking_provider" (null when none), "providers": [{"name", "admits_alone",
//      "resources": [{"resource", "no_preference", "hints": [hint] or null}]}]},
//  "insufficient_resources": [{"resource", "requested", "used", "capacity", "short_by",
//      "unresolvable"}],
//  "preemption": null or {"found", "victims": [pod key], "shortfall": [{"resource",
//      "amount"}], "victim_reason", "victim_message"},
//  "containers": [{"name", "type", "isolation", "exclusive_cpus", "cpus", "memory_nodes",
//                  "cpu_quota_disabled", "hint", "memory_blocks", "devices" ({resource:
//                  [device ID, ascending]}), "cgroup", "reasons"}],
//  "pod_cgroup", "burstable_cgroup", "base_version"}.
// Hints are {"numa_nodes": "0-1" or null for any, "preferred": bool} or null; CPU sets and NUMA
// masks use the kubelet list syntax ("" when empty); cgroup files are {file: value} objects in
// write order.
std::string DecisionToJson(const Decision& decision, int indent = -1);

}  // namespace podalloc
