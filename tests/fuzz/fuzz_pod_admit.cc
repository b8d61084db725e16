// File: tests/fuzz/fuzz_pod_admit.cc
// Pod JSON admission against fixed nodes (static CPU and Static memory managers, container
// scope best-effort and pod scope single-numa-node, each already holding a Guaranteed and a
// Burstable pod). Planning never changes a node; a refused or failed admit-and-commit leaves
// its state and version as they were; an admitted pod, removed again, leaves the node as it
// found it; every decision is JSON.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"

namespace {

using podalloc_fuzz::Buffer;
using podalloc_fuzz::CheckStatus;
using podalloc_fuzz::Violation;

podalloc_node* FixedNode(std::string_view config) {
  static podalloc_topology* machine = podalloc_fuzz::SmallMachine();
  podalloc_node* node = podalloc_fuzz::MakeNode(machine, config);
  podalloc_fuzz::MustAdmit(node, podalloc_fuzz::kFixedGuaranteed);
  podalloc_fuzz::MustAdmit(node, podalloc_fuzz::kFixedBurstable);
  return node;
}

nlohmann::json ParseOutput(const std::string& text, std::string_view what) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) Violation(what, text);
  return parsed;
}

void Exercise(podalloc_node* node, const char* pod, size_t size) {
  const std::string before = podalloc_fuzz::State(node);
  const uint64_t version = podalloc_node_version(node);

  // Plan only.
  podalloc_decision* decision = nullptr;
  podalloc_status s = podalloc_node_admit(&decision, node, pod, size, nullptr);
  CheckStatus(s, "podalloc_node_admit");
  if (s == PODALLOC_OK) {
    Buffer json;
    podalloc_fuzz::MustSucceed(podalloc_decision_to_json(&json.b, decision, nullptr),
                               "podalloc_decision_to_json");
    ParseOutput(json.str(), "the decision is not a JSON object");
  } else if (decision != nullptr) {
    Violation("a failed admit wrote its output");
  }
  podalloc_decision_destroy(decision);
  if (podalloc_fuzz::State(node) != before || podalloc_node_version(node) != version) {
    Violation("planning an admission changed the node");
  }

  // Admit and commit, then take the pod away again.
  Buffer out;
  s = podalloc_node_admit_and_commit(&out.b, node, pod, size, nullptr);
  CheckStatus(s, "podalloc_node_admit_and_commit");
  if (s != PODALLOC_OK) {
    if (out.b.data != nullptr) Violation("a failed admit-and-commit wrote its output");
    if (podalloc_fuzz::State(node) != before || podalloc_node_version(node) != version) {
      Violation("a failed admit-and-commit changed the node", podalloc_last_error_message());
    }
    return;
  }
  const nlohmann::json decided = ParseOutput(out.str(), "the decision is not a JSON object");
  if (!decided.value("admitted", false)) {
    if (podalloc_fuzz::State(node) != before || podalloc_node_version(node) != version) {
      Violation("a refused pod changed the node", out.str());
    }
    return;
  }
  const std::string uid = decided["pod"]["uid"].get<std::string>();
  podalloc_fuzz::MustSucceed(podalloc_node_remove_pod(node, uid.data(), uid.size(), nullptr),
                             "removing the admitted pod");
  const size_t comma = before.find(',');
  if (podalloc_fuzz::StateBody(node) != before.substr(comma)) {
    Violation("admitting and removing a pod did not give the node back as it was",
              podalloc_fuzz::State(node));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static podalloc_node* container_scope = FixedNode(podalloc_fuzz::kStaticConfig);
  static podalloc_node* pod_scope = FixedNode(podalloc_fuzz::kPodScopeConfig);
  const char* pod = reinterpret_cast<const char*>(data);
  Exercise(container_scope, pod, size);
  Exercise(pod_scope, pod, size);
  return 0;
}
