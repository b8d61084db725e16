// Restoring a node from manager states read from checkpoints: the managers' Start validation
// runs on copies, so a state they refuse leaves the node as it was.
#include "absl/strings/str_cat.h"
#include "fit_usage.h"
#include "node_internal.h"
#include "podalloc/status_macros.h"

namespace podalloc {

absl::Status Node::Restore(CpuManagerState cpu, MemoryManagerState memory, std::vector<Pod> pods) {
  NodeState next;
  next.cpu = std::move(cpu);
  next.memory = std::move(memory);
  if (parts_->cpu.has_value()) PODALLOC_RETURN_IF_ERROR(parts_->cpu->Start(next.cpu));
  if (parts_->memory.has_value()) {
    PODALLOC_RETURN_IF_ERROR(StartMemoryManager(*parts_->memory, next.memory));
  }
  for (Pod& pod : pods) {
    DefaultContainerRequests(pod);
    const std::string uid = PodStateKey(pod);
    if (next.pods.contains(uid)) {
      return absl::InvalidArgumentError(absl::StrCat("pod \"", uid, "\" is listed twice"));
    }
    PodRecord record;
    for (const auto* list : {&pod.init_containers, &pod.containers}) {
      for (const Container& c : *list) record.containers.insert(c.name);
    }
    record.pod = std::move(pod);
    next.pods.emplace(uid, std::move(record));
  }
  // Every pod the managers hold must be one of the listed pods, or it could never be removed.
  for (const auto& [uid, containers] : next.cpu.assignments) {
    if (!next.pods.contains(uid)) {
      return absl::InvalidArgumentError(
          absl::StrCat("cpu manager state names pod \"", uid, "\", which is not listed"));
    }
  }
  for (const auto& [uid, containers] : next.memory.assignments) {
    if (!next.pods.contains(uid)) {
      return absl::InvalidArgumentError(
          absl::StrCat("memory manager state names pod \"", uid, "\", which is not listed"));
    }
  }
  internal::RwWriterLock lock(&mu_);
  state_ = std::move(next);
  fit_usage_->Reset(state_, parts_->fit_options);
  ++version_;
  return absl::OkStatus();
}

}  // namespace podalloc
