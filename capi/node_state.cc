// File: capi/node_state.cc
// A node's state through the C ABI: the kubelet's checkpoint files (cpu_manager_state,
// memory_manager_state) out and back in, and one JSON view of the whole state.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "buffer.h"
#include "guard.h"
#include "node_handles.h"
#include "podalloc/cpu_checkpoint.h"
#include "podalloc/memory_checkpoint.h"
#include "podalloc/pod_json.h"

namespace podalloc::capi {
namespace {

using OrderedJson = nlohmann::ordered_json;

CpuCheckpoint CpuCheckpointOf(const Node& node, const NodeState& state) {
  return CpuCheckpointFromState(state.cpu, node.config().cpu_manager_policy);
}

MemoryCheckpoint MemoryCheckpointOf(const Node& node, const NodeState& state) {
  MemoryCheckpoint checkpoint;
  checkpoint.policy_name = node.config().memory_manager_policy;
  checkpoint.machine_state = state.memory.machine;
  checkpoint.entries = state.memory.assignments;
  checkpoint.pod_entries = state.memory.pod_assignments;
  return checkpoint;
}

// The "data" member of a current checkpoint file: the state itself, without checksums.
absl::StatusOr<OrderedJson> CheckpointData(const std::string& file) {
  OrderedJson doc = OrderedJson::parse(file);
  return OrderedJson::parse(doc.at("data").get<std::string>());
}

absl::StatusOr<std::string> StateJson(const Node& node) {
  const NodeState state = node.State();
  PODALLOC_ASSIGN_OR_RETURN(std::string cpu_file,
                            EncodeCpuCheckpoint(CpuCheckpointOf(node, state)));
  OrderedJson doc;
  doc["version"] = node.version();
  PODALLOC_ASSIGN_OR_RETURN(doc["cpu_manager"], CheckpointData(cpu_file));
  PODALLOC_ASSIGN_OR_RETURN(
      doc["memory_manager"],
      CheckpointData(EncodeMemoryCheckpoint(MemoryCheckpointOf(node, state))));
  OrderedJson pods = OrderedJson::array();
  for (const auto& [uid, record] : state.pods) {
    OrderedJson pod;
    pod["uid"] = uid;
    pod["name"] = record.pod.name;
    pod["namespace"] = record.pod.namespace_name;
    pod["containers"] = record.containers;
    pods.push_back(std::move(pod));
  }
  doc["pods"] = std::move(pods);
  return doc.dump();
}

// Pods as a JSON array of v1 Pods or a v1 PodList ({"items": [...]}).
absl::StatusOr<std::vector<Pod>> PodsFromJson(std::string_view text) {
  if (text.empty()) return std::vector<Pod>();
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("pods_json: not valid JSON");
  const bool list = doc.is_object() && doc.contains("items");
  const nlohmann::json& items = list ? doc.at("items") : doc;
  const std::string where = list ? "pods_json.items" : "pods_json";
  if (!items.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": want an array of pods or a PodList"));
  }
  std::vector<Pod> pods;
  for (size_t i = 0; i < items.size(); ++i) {
    absl::StatusOr<Pod> pod = PodFromJson(items[i]);
    if (!pod.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "[", i, "]: ", std::string(pod.status().message())));
    }
    pods.push_back(*std::move(pod));
  }
  return pods;
}

// A missing checkpoint (empty text) is an empty state, as when the kubelet finds no file.
absl::StatusOr<CpuManagerState> CpuStateArg(const Node& node, std::string_view text) {
  if (text.empty()) return CpuManagerState();
  PODALLOC_ASSIGN_OR_RETURN(DecodedCpuCheckpoint decoded, DecodeCpuCheckpoint(text));
  return CpuStateFromCheckpoint(decoded.checkpoint, node.config().cpu_manager_policy);
}

absl::StatusOr<MemoryManagerState> MemoryStateArg(const Node& node, std::string_view text) {
  MemoryManagerState state;
  if (text.empty()) return state;
  PODALLOC_ASSIGN_OR_RETURN(DecodedMemoryCheckpoint decoded, DecodeMemoryCheckpoint(text));
  PODALLOC_RETURN_IF_ERROR(
      CheckMemoryCheckpointPolicy(decoded.checkpoint, node.config().memory_manager_policy));
  state.machine = std::move(decoded.checkpoint.machine_state);
  state.assignments = std::move(decoded.checkpoint.entries);
  state.pod_assignments = std::move(decoded.checkpoint.pod_entries);
  return state;
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::Guard;
using podalloc::capi::NotNull;
using podalloc::capi::Text;

extern "C" {

PODALLOC_API podalloc_status podalloc_node_checkpoint_save(podalloc_buffer* out,
                                                           const podalloc_node* node,
                                                           int32_t kind,
                                                           podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(node, "node"));
    const podalloc::NodeState state = node->node->State();
    std::string file;
    if (kind == PODALLOC_CHECKPOINT_CPU_MANAGER) {
      PODALLOC_ASSIGN_OR_RETURN(file, podalloc::EncodeCpuCheckpoint(
                                          podalloc::capi::CpuCheckpointOf(*node->node, state)));
    } else if (kind == PODALLOC_CHECKPOINT_MEMORY_MANAGER) {
      file = podalloc::EncodeMemoryCheckpoint(
          podalloc::capi::MemoryCheckpointOf(*node->node, state));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("kind is ", kind, "; expected a PODALLOC_CHECKPOINT_* value"));
    }
    podalloc::capi::FillBuffer(out, file);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_checkpoint_restore(
    podalloc_node* node, const char* cpu_checkpoint, size_t cpu_checkpoint_len,
    const char* memory_checkpoint, size_t memory_checkpoint_len, const char* pods_json,
    size_t pods_json_len, podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(node, "node"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view cpu_text,
                              Text(cpu_checkpoint, cpu_checkpoint_len, "cpu_checkpoint"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view memory_text,
                              Text(memory_checkpoint, memory_checkpoint_len, "memory_checkpoint"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view pods_text,
                              Text(pods_json, pods_json_len, "pods_json"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::CpuManagerState cpu,
                              podalloc::capi::CpuStateArg(*node->node, cpu_text));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::MemoryManagerState memory,
                              podalloc::capi::MemoryStateArg(*node->node, memory_text));
    PODALLOC_ASSIGN_OR_RETURN(std::vector<podalloc::Pod> pods,
                              podalloc::capi::PodsFromJson(pods_text));
    return node->node->Restore(std::move(cpu), std::move(memory), std::move(pods));
  });
}

PODALLOC_API podalloc_status podalloc_node_state(podalloc_buffer* out, const podalloc_node* node,
                                                 podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(node, "node"));
    PODALLOC_ASSIGN_OR_RETURN(std::string json, podalloc::capi::StateJson(*node->node));
    podalloc::capi::FillBuffer(out, json);
    return absl::OkStatus();
  });
}

}  // extern "C"
