// File: tests/fuzz/resize_target.h
// The body of the two resize targets (fuzz_resize_request: the desired pod JSON;
// fuzz_resize_usage: the memory usage JSON). Each input is judged on nodes holding the fixed
// pods, under no managers and under the static CPU and Static memory managers: a
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

// A node holding the fixed Guaranteed and Burstable pods, kept for the whole run; after a
// resize that was applied it is put back from its own checkpoints.
class ResizeNode {
 public:
  explicit ResizeNode(std::string_view config) {
    static podalloc_topology* machine = SmallMachine();
    node_ = MakeNode(machine, config);
    MustAdmit(node_, kFixedGuaranteed);
    MustAdmit(node_, kFixedBurstable);
    cpu_ = Save(PODALLOC_CHECKPOINT_CPU_MANAGER);
    memory_ = Save(PODALLOC_CHECKPOINT_MEMORY_MANAGER);
    pods_ = "[" + std::string(kFixedGuaranteed) + "," + std::string(kFixedBurstable) + "]";
    state_ = StateBody(node_);
  }
  podalloc_node* get() { return node_; }
  void Reset() {
    MustSucceed(
        podalloc_node_checkpoint_restore(node_, cpu_.data(), cpu_.size(), memory_.data(),
                                         memory_.size(), pods_.data(), pods_.size(), nullptr),
        "putting the node back");
    if (StateBody(node_) != state_)
      Violation("the node's own checkpoints restore to another state");
  }

 private:
  std::string Save(int32_t kind) {
    Buffer out;
    MustSucceed(podalloc_node_checkpoint_save(&out.b, node_, kind, nullptr), "checkpoint save");
    return out.str();
  }
  podalloc_node* node_ = nullptr;
  std::string cpu_, memory_, pods_, state_;
};

// Whether the resize was applied.
inline bool Resize(podalloc_node* node, std::string_view pod, std::string_view usage,
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
    return false;
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
  return applied;
}

// Preview, then resize for real, as a regular and as a static pod, on both kinds of node.
inline void ResizeEverywhere(std::string_view pod, std::string_view usage) {
  static ResizeNode nodes[] = {ResizeNode(kNoManagersConfig), ResizeNode(kStaticConfig)};
  for (ResizeNode& node : nodes) {
    for (uint32_t static_pod : {0u, PODALLOC_RESIZE_STATIC_POD}) {
      Resize(node.get(), pod, usage, PODALLOC_RESIZE_CHECK_ONLY | static_pod);
      if (Resize(node.get(), pod, usage, static_pod)) node.Reset();
    }
  }
}

}  // namespace podalloc_fuzz
