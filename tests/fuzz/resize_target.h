// File: tests/fuzz/resize_target.h
// The body of the two resize targets (fuzz_resize_request: the desired pod JSON;
// fuzz_resize_usage: the memory usage JSON). Each input is judged on fresh nodes holding the
// fixed pods, under no managers and under the static CPU and Static memory managers: a
// preview never changes the node; a failed or not applied resize leaves state and version
// as they were; an applied one moves the version on; every decision is a JSON object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_support.h"

namespace podalloc_fuzz {

inline constexpr std::string_view kNoManagersConfig = "{}";

// A fresh node with the fixed Guaranteed and Burstable pods.
inline podalloc_node* ResizeNode(std::string_view config) {
  static podalloc_topology* machine = SmallMachine();
  podalloc_node* node = MakeNode(machine, config);
  MustAdmit(node, kFixedGuaranteed);
  MustAdmit(node, kFixedBurstable);
  return node;
}

inline void Resize(podalloc_node* node, std::string_view pod, std::string_view usage,
                   uint32_t flags) {
  const std::string before = State(node);
  const uint64_t version = podalloc_node_version(node);
  podalloc_resize_options options = PODALLOC_RESIZE_OPTIONS_INIT;
  options.flags = flags;
  options.usage_json = usage.data();
  options.usage_json_len = usage.size();
  Buffer out;
  const podalloc_status s =
      podalloc_node_resize(&out.b, node, pod.data(), pod.size(), &options, nullptr);
  CheckStatus(s, "podalloc_node_resize");
  const bool unchanged = State(node) == before && podalloc_node_version(node) == version;
  if (s != PODALLOC_OK) {
    if (out.b.data != nullptr) Violation("a failed resize wrote its output");
    if (!unchanged) Violation("a failed resize changed the node", podalloc_last_error_message());
    return;
  }
  const nlohmann::json decision = nlohmann::json::parse(out.str(), nullptr, false);
  if (decision.is_discarded() || !decision.is_object()) {
    Violation("the resize decision is not a JSON object", out.str());
  }
  const bool applied = decision.value("applied", false);
  if ((flags & PODALLOC_RESIZE_CHECK_ONLY) != 0 && (applied || !unchanged)) {
    Violation("a resize preview changed the node", out.str());
  }
  if (!applied && !unchanged)
    Violation("a resize that was not applied changed the node", out.str());
  if (applied && podalloc_node_version(node) == version) {
    Violation("an applied resize left the version as it was", out.str());
  }
}

// Preview, then resize for real, as a regular and as a static pod, on both kinds of node.
inline void ResizeEverywhere(std::string_view pod, std::string_view usage) {
  for (std::string_view config : {kNoManagersConfig, kStaticConfig}) {
    for (uint32_t static_pod : {0u, PODALLOC_RESIZE_STATIC_POD}) {
      podalloc_node* node = ResizeNode(config);
      Resize(node, pod, usage, PODALLOC_RESIZE_CHECK_ONLY | static_pod);
      Resize(node, pod, usage, static_pod);
      podalloc_node_destroy(node);
    }
  }
}

}  // namespace podalloc_fuzz
