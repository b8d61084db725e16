// File: podalloc/node_checkpoint.h
// A node's state as the kubelet's own checkpoint files: `cpu_manager_state` and
// `memory_manager_state` out, and a node restored from them and the pods they belong to, as a
// restarted kubelet rebuilds its managers (pkg/kubelet/cm/cpumanager/state/state_checkpoint.go
// and pkg/kubelet/cm/memorymanager/state/state_checkpoint.go, restoreState).
//
// These functions only convert: they read no file and write none (cpu_checkpoint.h and
// memory_checkpoint.h have the atomic file readers and writers). They are as thread-safe as
// the Node they are given.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/node.h"
#include "podalloc/pod.h"

namespace podalloc {

// The bytes the current kubelet writes to `cpu_manager_state` (V4: the fields, "data" and
// "dataChecksum") for the node's CPU manager state, under the configured policy name.
[[nodiscard]] absl::StatusOr<std::string> SaveCpuManagerCheckpoint(const Node& node);
// The bytes the current kubelet writes to `memory_manager_state` (V3).
[[nodiscard]] absl::StatusOr<std::string> SaveMemoryManagerCheckpoint(const Node& node);
// The bytes the kubelet's device manager writes to `kubelet_internal_checkpoint`
// (device_checkpoint.h: entries by pod, container and resource, healthy IDs ascending).
std::string SaveDeviceManagerCheckpoint(const Node& node);

// The three files for one state of the node, and that state's version: the node may be
// changed by other threads meanwhile, and separate Save calls could describe two states.
struct NodeCheckpoints {
  std::string cpu_manager;
  std::string memory_manager;
  std::string device_manager;  // kubelet_internal_checkpoint
  uint64_t version = 0;  // Node::version() of the state the files hold
};
[[nodiscard]] absl::StatusOr<NodeCheckpoints> SaveCheckpoints(const Node& node);
// The files of a snapshot taken earlier (Node::Snapshot), with the node's policy names.
[[nodiscard]] absl::StatusOr<NodeCheckpoints> SaveCheckpoints(const Node& node,
                                                              const NodeSnapshot& snapshot);

// The containers of each admitted pod that RemoveContainer has released: what Restore's
// `removed` takes to give the same state back (the files do not say which shared-pool
// containers are gone).
[[nodiscard]] RemovedContainers RemovedContainersOf(const NodeState& state);

// Replaces the node's state with the one the two files hold, as Node::Restore does with
// decoded states (its checks and errors apply; `removed` as there). An empty text is a
// missing file: the manager starts from an empty state, as the kubelet does when it finds
// none. Every layout the kubelet reads is accepted
// (cpu_manager_state V1 to V4, memory_manager_state V1 to V3), but a CPU V1 file with entries
// is refused (FailedPrecondition): its keys are runtime container ids, which a Pod lacks.
// Errors, all leaving the node exactly as it was:
//  - InvalidArgument: malformed JSON or a field of the wrong type (naming the JSON path); a
//    pod listed twice; an entry of a file naming a pod that `pods` does not list or a
//    container the pod lacks (it could never be removed), and the rest of Node::Restore's;
//  - DataLoss: a checksum mismatch (the kubelet's "checkpoint is corrupted");
//  - FailedPrecondition: a file written under another policy than the node's
//    (`configured policy "static" differs from state checkpoint policy "none"`); a CPU held
//    twice, reserved, or missing from the machine; whatever the managers' Start validation
//    returns for a state it refuses (e.g. "default cpuset cannot be empty").
[[nodiscard]] absl::Status RestoreFromCheckpoints(Node& node, std::string_view cpu_file,
                                                  std::string_view memory_file,
                                                  std::vector<Pod> pods,
                                                  const RemovedContainers& removed = {});
// The same with the device manager's `kubelet_internal_checkpoint` too (an empty text is a
// missing file: no device entries). The file is read as the kubelet reads it
// (ReadDeviceCheckpoint: InvalidArgument naming the field, DataLoss on a checksum mismatch);
// its entries go through Node::Restore's device checks. Registered resources come back
// without devices: each plugin registers again (Node::SetDeviceResource) before its devices
// can be allocated, as after a kubelet restart.
[[nodiscard]] absl::Status RestoreFromCheckpoints(Node& node, std::string_view cpu_file,
                                                  std::string_view memory_file,
                                                  std::string_view device_file,
                                                  std::vector<Pod> pods,
                                                  const RemovedContainers& removed = {});

// The annotation of a pod to restore that lists, comma-separated, its containers already
// removed (e.g. "podalloc.dev/removed-containers": "init,sidecar"); RemovedContainersOf in
// JSON form.
inline constexpr char kRemovedContainersAnnotation[] = "podalloc.dev/removed-containers";

// The pods to restore with and the containers of theirs already removed.
struct PodsToRestore {
  std::vector<Pod> pods;
  RemovedContainers removed;  // from each pod's kRemovedContainersAnnotation
};

// The pods to restore with, as JSON: an array of v1 Pods or a v1 PodList ({"items": [...]}).
// The empty text is no pods. Errors are InvalidArgument naming the JSON path from `name`,
// e.g. "pods.items[2]: spec.containers: ...", or
// `pods[0].metadata.annotations["podalloc.dev/removed-containers"]: ...` for an annotation
// that is not a string or names an empty container.
[[nodiscard]] absl::StatusOr<PodsToRestore> ParsePodsToRestore(std::string_view json,
                                                               std::string_view name = "pods");
// ParsePodsToRestore's pods alone.
[[nodiscard]] absl::StatusOr<std::vector<Pod>> ParsePodList(std::string_view json,
                                                            std::string_view name = "pods");

}  // namespace podalloc
