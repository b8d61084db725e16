// File: podalloc/admission_explanation.h
// One admission explained: the Decision Node::Admit would return, and every topology manager
// merge the admission performed with each hint provider's hints (device manager, CPU manager,
// memory manager, in registration order), the merged hint and whether the policy admitted it.
// The kubelet only logs each provider's hints ("TopologyHints") and the best hint as it merges
// (topologymanager scope_container.go, scope_pod.go); this is podalloc's account of the same
// merges, for an admitted pod as for a refused one.
//
// Pure and read-only: the node is not changed and no metric is observed.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/merge_explanation.h"
#include "podalloc/node.h"
#include "podalloc/pod.h"

namespace podalloc {

// One merge of the topology manager.
struct MergeRecord {
  // The container merged (scope container); empty for the pod's one merge (scope pod, which
  // pod-level resource managers share).
  std::string container;
  MergeExplanation merge;
  friend bool operator==(const MergeRecord&, const MergeRecord&) = default;
};

struct AdmissionExplanation {
  // Exactly what Node::Admit returns for the same pod and state.
  Decision decision;
  // In the order the admission merged. Scope container: one per init (sidecars included) then
  // app container, up to the container whose merge or allocation ended the admission; scope
  // pod: one for the pod. Ephemeral containers are never merged.
  std::vector<MergeRecord> merges;
  // Why `merges` is empty (topology manager policy none); "" otherwise.
  std::string no_merge_reason;
  friend bool operator==(const AdmissionExplanation&, const AdmissionExplanation&) = default;
};

// Plans the admission of `pod` on `node` as Node::Admit does, recording each merge. Errors are
// Admit's (AlreadyExists for an admitted pod, InvalidArgument for a pod without containers or
// with bad inputs). Thread-safe as Admit is (shared lock).
[[nodiscard]] absl::StatusOr<AdmissionExplanation> ExplainAdmission(const Node& node,
                                                                    const Pod& pod);

// The explanation as JSON, keys in a fixed order (`indent` as DecisionToJson):
// {"decision": DecisionToJson's object,
//  "merges": [{"container" (null at scope pod), "policy", "merged_hint", "admitted",
//              "blocking_provider" (null when none), "providers": [{"name", "admits_alone",
//              "resources": [{"resource", "no_preference", "hints": [hint] or null}]}]}],
//  "no_merge_reason": string or null}.
std::string AdmissionExplanationToJson(const AdmissionExplanation& explanation, int indent = -1);

}  // namespace podalloc
