// A node's state to and from the kubelet's checkpoint files. The files carry only the managers'
// states; the pods come separately, as a restarted kubelet gets them from its pod manager.
#include "podalloc/node_checkpoint.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "podalloc/cpu_checkpoint.h"
#include "podalloc/device_checkpoint.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/memory_checkpoint.h"
#include "podalloc/pod_json.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

absl::StatusOr<std::string> EncodeCpu(const Node& node, const CpuManagerState& state) {
  return EncodeCpuCheckpoint(CpuCheckpointFromState(state, node.config().cpu_manager_policy));
}

std::string EncodeMemory(const Node& node, const MemoryManagerState& state) {
  MemoryCheckpoint checkpoint;
  checkpoint.policy_name = node.config().memory_manager_policy;
  checkpoint.machine_state = state.machine;
  checkpoint.entries = state.assignments;
  checkpoint.pod_entries = state.pod_assignments;
  return EncodeMemoryCheckpoint(checkpoint);
}

// restoreState of the CPU manager's checkpoint state: the file's policy must be the node's.
absl::StatusOr<CpuManagerState> CpuStateOf(const Node& node, std::string_view file) {
  if (file.empty()) return CpuManagerState();
  PODALLOC_ASSIGN_OR_RETURN(DecodedCpuCheckpoint decoded, DecodeCpuCheckpoint(file));
  return CpuStateFromCheckpoint(decoded.checkpoint, node.config().cpu_manager_policy);
}

// The memory manager's restoreState. The reusable-memory bookkeeping of init containers is
// not part of the file, as in the kubelet, and starts empty.
absl::StatusOr<MemoryManagerState> MemoryStateOf(const Node& node, std::string_view file) {
  MemoryManagerState state;
  if (file.empty()) return state;
  PODALLOC_ASSIGN_OR_RETURN(DecodedMemoryCheckpoint decoded, DecodeMemoryCheckpoint(file));
  PODALLOC_RETURN_IF_ERROR(
      CheckMemoryCheckpointPolicy(decoded.checkpoint, node.config().memory_manager_policy));
  state.machine = std::move(decoded.checkpoint.machine_state);
  state.assignments = std::move(decoded.checkpoint.entries);
  state.pod_assignments = std::move(decoded.checkpoint.pod_entries);
  return state;
}

// kRemovedContainersAnnotation of one pod document, split at commas (blanks around a name
// are dropped); empty when the pod has none. PodFromJson has checked the document's shape.
absl::StatusOr<std::set<std::string>> RemovedAnnotation(const nlohmann::json& pod,
                                                        const std::string& where) {
  std::set<std::string> names;
  const auto metadata = pod.find("metadata");
  if (metadata == pod.end() || !metadata->is_object()) return names;
  const auto annotations = metadata->find("annotations");
  if (annotations == metadata->end() || !annotations->is_object()) return names;
  const auto value = annotations->find(kRemovedContainersAnnotation);
  if (value == annotations->end()) return names;
  const std::string path = absl::StrCat(where, ".metadata.annotations[\"",
                                        kRemovedContainersAnnotation, "\"]");
  if (!value->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": want a string"));
  }
  for (absl::string_view part : absl::StrSplit(value->get_ref<const std::string&>(), ',')) {
    const absl::string_view container = absl::StripAsciiWhitespace(part);
    if (container.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": an empty container name in a comma-separated list"));
    }
    names.emplace(std::string(container));
  }
  return names;
}

}  // namespace

absl::StatusOr<std::string> SaveCpuManagerCheckpoint(const Node& node) {
  return EncodeCpu(node, node.State().cpu);
}

absl::StatusOr<std::string> SaveMemoryManagerCheckpoint(const Node& node) {
  return EncodeMemory(node, node.State().memory);
}

std::string SaveDeviceManagerCheckpoint(const Node& node) {
  return WriteDeviceCheckpoint(DeviceCheckpointDataOf(node.State().devices));
}

absl::StatusOr<NodeCheckpoints> SaveCheckpoints(const Node& node) {
  return SaveCheckpoints(node, node.Snapshot());
}

absl::StatusOr<NodeCheckpoints> SaveCheckpoints(const Node& node, const NodeSnapshot& snapshot) {
  NodeCheckpoints files;
  PODALLOC_ASSIGN_OR_RETURN(files.cpu_manager, EncodeCpu(node, snapshot.state.cpu));
  files.memory_manager = EncodeMemory(node, snapshot.state.memory);
  files.device_manager = WriteDeviceCheckpoint(DeviceCheckpointDataOf(snapshot.state.devices));
  files.version = snapshot.version;
  return files;
}

RemovedContainers RemovedContainersOf(const NodeState& state) {
  RemovedContainers removed;
  for (const auto& [key, record] : state.pods) {
    for (const auto* list : {&record.pod.init_containers, &record.pod.containers}) {
      for (const Container& c : *list) {
        if (!record.containers.contains(c.name)) removed[key].insert(c.name);
      }
    }
  }
  return removed;
}

absl::Status RestoreFromCheckpoints(Node& node, std::string_view cpu_file,
                                    std::string_view memory_file, std::vector<Pod> pods,
                                    const RemovedContainers& removed) {
  PODALLOC_ASSIGN_OR_RETURN(CpuManagerState cpu, CpuStateOf(node, cpu_file));
  PODALLOC_ASSIGN_OR_RETURN(MemoryManagerState memory, MemoryStateOf(node, memory_file));
  return node.Restore(std::move(cpu), std::move(memory), std::move(pods), removed);
}

absl::Status RestoreFromCheckpoints(Node& node, std::string_view cpu_file,
                                    std::string_view memory_file, std::string_view device_file,
                                    std::vector<Pod> pods, const RemovedContainers& removed) {
  PODALLOC_ASSIGN_OR_RETURN(CpuManagerState cpu, CpuStateOf(node, cpu_file));
  PODALLOC_ASSIGN_OR_RETURN(MemoryManagerState memory, MemoryStateOf(node, memory_file));
  DeviceCheckpointData devices;
  if (!device_file.empty()) {
    PODALLOC_ASSIGN_OR_RETURN(DeviceCheckpoint read, ReadDeviceCheckpoint(device_file));
    devices = std::move(read.data);
  }
  return node.Restore(std::move(cpu), std::move(memory), devices, std::move(pods), removed);
}

absl::StatusOr<std::vector<Pod>> ParsePodList(std::string_view json, std::string_view name) {
  PODALLOC_ASSIGN_OR_RETURN(PodsToRestore parsed, ParsePodsToRestore(json, name));
  return std::move(parsed.pods);
}

absl::StatusOr<PodsToRestore> ParsePodsToRestore(std::string_view json, std::string_view name) {
  if (json.empty()) return PodsToRestore();
  absl::StatusOr<nlohmann::json> parsed =
      internal::ParseJson(json, internal::JsonPathStyle::kDotted);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), ": not valid JSON: ", parsed.status().message()));
  }
  const nlohmann::json& doc = *parsed;
  const bool pod_list = doc.is_object() && doc.contains("items");
  const nlohmann::json& items = pod_list ? doc.at("items") : doc;
  const std::string where = std::string(name) + (pod_list ? ".items" : "");
  if (!items.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": want an array of pods or a PodList"));
  }
  PodsToRestore out;
  out.pods.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string at = absl::StrCat(where, "[", i, "]");
    absl::StatusOr<Pod> pod = PodFromJson(items[i]);
    if (!pod.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, ": ", std::string(pod.status().message())));
    }
    PODALLOC_ASSIGN_OR_RETURN(std::set<std::string> removed, RemovedAnnotation(items[i], at));
    if (!removed.empty()) out.removed[PodStateKey(*pod)].merge(removed);
    out.pods.push_back(*std::move(pod));
  }
  return out;
}

}  // namespace podalloc
