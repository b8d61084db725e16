// Restoring a node from manager states read from checkpoints: the pods' records first, then
// every entry checked against them and the machine (restore_checks.cc), then the managers'
// Start validation, all on copies, so a state that is refused leaves the node as it was.
#include "absl/strings/str_cat.h"
#include "fit_usage.h"
#include "node_internal.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

// The record of a restored pod: its init and app containers but those already removed.
absl::StatusOr<PodRecord> RestoredRecord(Pod pod, const std::string& key,
                                         const RemovedContainers& removed) {
  PodRecord record;
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) record.containers.insert(c.name);
  }
  if (auto gone = removed.find(key); gone != removed.end()) {
    for (const std::string& name : gone->second) {
      if (record.containers.erase(name) == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "pod \"", key, "\": removed container \"", name,
            "\" is not one of its init or app containers"));
      }
    }
    if (record.containers.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pod \"", key, "\": every container is removed, so the pod is no longer admitted; "
          "leave it out of the pods to restore"));
    }
  }
  record.pod = std::move(pod);
  return record;
}

}  // namespace

absl::Status Node::Restore(CpuManagerState cpu, MemoryManagerState memory, std::vector<Pod> pods,
                           const RemovedContainers& removed) {
  return Restore(std::move(cpu), std::move(memory), DeviceCheckpointData(), std::move(pods),
                 removed);
}

absl::Status Node::Restore(CpuManagerState cpu, MemoryManagerState memory,
                           const DeviceCheckpointData& devices, std::vector<Pod> pods,
                           const RemovedContainers& removed) {
  NodeState next;
  next.devices = DeviceManager(parts_->topology.NumaIds());
  // The endpoints of restored resources count as stopped; the node has no clock and never
  // asks for capacity by grace period, so their stop time is 0.
  const std::vector<std::string> left_out = RestoreDeviceCheckpoint(next.devices, devices, 0);
  if (!left_out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("device checkpoint: ", left_out.front()));
  }
  next.cpu = std::move(cpu);
  next.memory = std::move(memory);
  for (Pod& pod : pods) {
    DefaultContainerRequests(pod);
    std::string key = PodStateKey(pod);
    if (next.pods.contains(key)) {
      return absl::InvalidArgumentError(absl::StrCat("pod \"", key, "\" is listed twice"));
    }
    PODALLOC_ASSIGN_OR_RETURN(PodRecord record, RestoredRecord(std::move(pod), key, removed));
    next.pods.emplace(std::move(key), std::move(record));
  }
  for (const auto& [key, names] : removed) {
    if (!next.pods.contains(key)) {
      return absl::InvalidArgumentError(
          absl::StrCat("removed containers are given for pod \"", key, "\", which is not listed"));
    }
  }
  // Entries for pods or containers that are not there could never be removed, and their CPUs
  // and memory would be lost to the node for good.
  PODALLOC_RETURN_IF_ERROR(internal::CheckRestoredEntries(next));
  PODALLOC_RETURN_IF_ERROR(internal::CheckRestoredCpus(*parts_, next));
  if (parts_->cpu.has_value()) PODALLOC_RETURN_IF_ERROR(parts_->cpu->Start(next.cpu));
  if (parts_->memory.has_value()) {
    PODALLOC_RETURN_IF_ERROR(StartMemoryManager(*parts_->memory, next.memory));
  }
  internal::RwWriterLock lock(&mu_);
  state_ = std::move(next);
  fit_usage_->Reset(state_, parts_->fit_options);
  ++version_;
  return absl::OkStatus();
}

}  // namespace podalloc
