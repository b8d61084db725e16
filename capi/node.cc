// File: capi/node.cc
// Node handles: creation from a topology handle and KubeletConfiguration JSON, admission
// (pod JSON in, a decision handle or decision JSON out), commit, removal, metrics.

#include <atomic>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "buffer.h"
#include "guard.h"
#include "handles.h"
#include "node_handles.h"
#include <nlohmann/json.hpp>

#include "podalloc/admission_explanation.h"
#include "podalloc/decision_json.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"

namespace podalloc::capi {
namespace {

// Node serial numbers, so a decision is never committed to a node that did not make it.
std::atomic<uint64_t> next_node_serial{1};

// The first published podalloc_node_options (struct_size, flags, swap_capacity_bytes).
constexpr size_t kNodeOptionsV0Size = sizeof(podalloc_node_options);

podalloc_node_options DefaultNodeOptions() {
  podalloc_node_options o{};
  o.struct_size = sizeof(podalloc_node_options);
  return o;
}

absl::StatusOr<Pod> PodArg(const char* data, size_t len) {
  PODALLOC_ASSIGN_OR_RETURN(std::string_view json, Text(data, len, "pod_json"));
  return ParsePod(json);
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::Guard;
using podalloc::capi::GuardNode;
using podalloc::capi::NotNull;
using podalloc::capi::Text;

extern "C" {

PODALLOC_API podalloc_status podalloc_node_create(podalloc_node** out,
                                                  const podalloc_topology* topology,
                                                  const char* config_json, size_t config_len,
                                                  podalloc_error** err) noexcept {
  return podalloc_node_create_with_options(out, topology, config_json, config_len, nullptr, err);
}

PODALLOC_API void podalloc_node_options_init(podalloc_node_options* options) noexcept {
  if (options != nullptr) *options = podalloc::capi::DefaultNodeOptions();
}

PODALLOC_API podalloc_status podalloc_node_create_with_options(
    podalloc_node** out, const podalloc_topology* topology, const char* config_json,
    size_t config_len, const podalloc_node_options* options, podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(topology, "topology"));
    PODALLOC_ASSIGN_OR_RETURN(
        const podalloc_node_options opts,
        podalloc::capi::ReadOptions(options, podalloc::capi::DefaultNodeOptions(),
                                    podalloc::capi::kNodeOptionsV0Size, "options"));
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::CheckFlags(
        opts.flags, PODALLOC_NODE_SWAP_CONTROLLER, "options->flags"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view json, Text(config_json, config_len, "config_json"));
    // No configuration at all is the kubelet's defaults (every policy none).
    PODALLOC_ASSIGN_OR_RETURN(podalloc::NodeConfig config,
                              podalloc::ParseNodeConfig(json.empty() ? "{}" : json));
    podalloc::NodeOptions node_options;
    node_options.swap.capacity_bytes = opts.swap_capacity_bytes;
    node_options.swap.controller_available = (opts.flags & PODALLOC_NODE_SWAP_CONTROLLER) != 0;
    PODALLOC_ASSIGN_OR_RETURN(
        std::unique_ptr<podalloc::Node> node,
        podalloc::Node::Create(topology->topology, std::move(config), std::move(node_options)));
    *out = new podalloc_node{std::move(node), podalloc::capi::next_node_serial.fetch_add(1)};
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_warnings(podalloc_buffer* out,
                                                    const podalloc_node* node,
                                                    podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    podalloc::capi::FillBuffer(
        out, nlohmann::json(n.Warnings()).dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace));
    return absl::OkStatus();
  });
}

PODALLOC_API void podalloc_node_destroy(podalloc_node* node) noexcept { delete node; }

PODALLOC_API uint64_t podalloc_node_version(const podalloc_node* node) noexcept {
  return node != nullptr ? node->node->version() : 0;
}

PODALLOC_API podalloc_status podalloc_node_admit(podalloc_decision** out,
                                                 const podalloc_node* node, const char* pod_json,
                                                 size_t pod_json_len,
                                                 podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Pod pod, podalloc::capi::PodArg(pod_json, pod_json_len));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Decision decision, n.Admit(pod));
    *out = new podalloc_decision{std::move(decision), node->serial};
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_explain(podalloc_buffer* out, const podalloc_node* node,
                                                   const char* pod_json, size_t pod_json_len,
                                                   podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Pod pod, podalloc::capi::PodArg(pod_json, pod_json_len));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::AdmissionExplanation explanation,
                              podalloc::ExplainAdmission(n, pod));
    podalloc::capi::FillBuffer(out, podalloc::AdmissionExplanationToJson(explanation));
    return absl::OkStatus();
  });
}

PODALLOC_API void podalloc_decision_destroy(podalloc_decision* decision) noexcept {
  delete decision;
}

PODALLOC_API int32_t podalloc_decision_admitted(const podalloc_decision* decision) noexcept {
  return decision != nullptr && decision->decision.admitted ? 1 : 0;
}

PODALLOC_API podalloc_status podalloc_decision_to_json(podalloc_buffer* out,
                                                       const podalloc_decision* decision,
                                                       podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
    podalloc::capi::FillBuffer(out, podalloc::DecisionToJson(decision->decision));
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_commit(podalloc_node* node,
                                                  const podalloc_decision* decision,
                                                  podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
    if (decision->made_by != node->serial) {
      return absl::InvalidArgumentError(
          "the decision was made by another node; admit the pod on this node first");
    }
    return n.Commit(decision->decision);
  });
}

PODALLOC_API podalloc_status podalloc_node_admit_and_commit(podalloc_buffer* out,
                                                            podalloc_node* node,
                                                            const char* pod_json,
                                                            size_t pod_json_len,
                                                            podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Pod pod, podalloc::capi::PodArg(pod_json, pod_json_len));
    // One exclusive lock, so concurrent callers never see "state changed since admission".
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Decision decision, n.AdmitAndCommit(pod));
    try {
      podalloc::capi::FillBuffer(out, podalloc::DecisionToJson(decision));
    } catch (const std::bad_alloc&) {
      // Out of memory after the commit: take the pod back out so the call changes nothing.
      if (decision.admitted) n.RemovePod(decision.pod_uid).IgnoreError();
      throw;
    }
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_remove_container(podalloc_node* node,
                                                            const char* pod_uid,
                                                            size_t pod_uid_len,
                                                            const char* container,
                                                            size_t container_len,
                                                            podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_ASSIGN_OR_RETURN(std::string_view uid, Text(pod_uid, pod_uid_len, "pod_uid"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view name, Text(container, container_len, "container"));
    return n.RemoveContainer(uid, name);
  });
}

PODALLOC_API podalloc_status podalloc_node_remove_pod(podalloc_node* node, const char* pod_uid,
                                                      size_t pod_uid_len,
                                                      podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_ASSIGN_OR_RETURN(std::string_view uid, Text(pod_uid, pod_uid_len, "pod_uid"));
    return n.RemovePod(uid);
  });
}

PODALLOC_API podalloc_status podalloc_node_metrics(podalloc_buffer* out,
                                                   const podalloc_node* node,
                                                   podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    podalloc::capi::FillBuffer(out, n.MetricsText());
    return absl::OkStatus();
  });
}

}  // extern "C"
