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
#include "podalloc/internal/json_input.h"
#include "podalloc/node_checkpoint.h"

namespace podalloc::capi {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The "data" member of a current checkpoint file: the state itself, without checksums.
absl::StatusOr<OrderedJson> CheckpointData(const std::string& file) {
  PODALLOC_ASSIGN_OR_RETURN(const OrderedJson outer, internal::ParseOrderedJson(file));
  const auto data = outer.find("data");
  if (data == outer.end() || !data->is_string()) {
    return absl::InternalError("a saved checkpoint has no data member");
  }
  return internal::ParseOrderedJson(data->get_ref<const std::string&>());
}

absl::StatusOr<std::string> StateJson(const Node& node) {
  // The files and the pods of one state.
  const NodeSnapshot snapshot = node.Snapshot();
  PODALLOC_ASSIGN_OR_RETURN(NodeCheckpoints files, SaveCheckpoints(node, snapshot));
  const NodeState& state = snapshot.state;
  OrderedJson doc;
  doc["version"] = files.version;
  PODALLOC_ASSIGN_OR_RETURN(doc["cpu_manager"], CheckpointData(files.cpu_manager));
  PODALLOC_ASSIGN_OR_RETURN(doc["memory_manager"], CheckpointData(files.memory_manager));
  PODALLOC_ASSIGN_OR_RETURN(const OrderedJson devices,
                            internal::ParseOrderedJson(files.device_manager));
  doc["device_manager"] = devices.at("Data");
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

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::GuardNode;
using podalloc::capi::NotNull;
using podalloc::capi::Text;

extern "C" {

PODALLOC_API podalloc_status podalloc_node_checkpoint_save(podalloc_buffer* out,
                                                           const podalloc_node* node,
                                                           int32_t kind,
                                                           podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    std::string file;
    if (kind == PODALLOC_CHECKPOINT_CPU_MANAGER) {
      PODALLOC_ASSIGN_OR_RETURN(file, podalloc::SaveCpuManagerCheckpoint(n));
    } else if (kind == PODALLOC_CHECKPOINT_MEMORY_MANAGER) {
      PODALLOC_ASSIGN_OR_RETURN(file, podalloc::SaveMemoryManagerCheckpoint(n));
    } else if (kind == PODALLOC_CHECKPOINT_DEVICE_MANAGER) {
      file = podalloc::SaveDeviceManagerCheckpoint(n);
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
  return podalloc_node_checkpoint_restore_with_devices(
      node, cpu_checkpoint, cpu_checkpoint_len, memory_checkpoint, memory_checkpoint_len, "", 0,
      pods_json, pods_json_len, err);
}

PODALLOC_API podalloc_status podalloc_node_checkpoint_restore_with_devices(
    podalloc_node* node, const char* cpu_checkpoint, size_t cpu_checkpoint_len,
    const char* memory_checkpoint, size_t memory_checkpoint_len, const char* device_checkpoint,
    size_t device_checkpoint_len, const char* pods_json, size_t pods_json_len,
    podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_ASSIGN_OR_RETURN(std::string_view cpu_text,
                              Text(cpu_checkpoint, cpu_checkpoint_len, "cpu_checkpoint"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view memory_text,
                              Text(memory_checkpoint, memory_checkpoint_len, "memory_checkpoint"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view device_text,
                              Text(device_checkpoint, device_checkpoint_len, "device_checkpoint"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view pods_text,
                              Text(pods_json, pods_json_len, "pods_json"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::PodsToRestore pods,
                              podalloc::ParsePodsToRestore(pods_text, "pods_json"));
    return podalloc::RestoreFromCheckpoints(n, cpu_text, memory_text, device_text,
                                            std::move(pods.pods), pods.removed);
  });
}

PODALLOC_API podalloc_status podalloc_node_state(podalloc_buffer* out, const podalloc_node* node,
                                                 podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(std::string json, podalloc::capi::StateJson(n));
    podalloc::capi::FillBuffer(out, json);
    return absl::OkStatus();
  });
}

}  // extern "C"
