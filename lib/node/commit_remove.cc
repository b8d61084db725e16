// Applying a decision and removing containers. A commit is accepted only against the state the
// decision was planned on (the version Admit read); removal follows the kubelet's
// RemoveContainer on the CPU manager, then the memory manager.
#include "absl/strings/str_cat.h"
#include "fit_usage.h"
#include "node_internal.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {

absl::Status Node::CommitLocked(const Decision& decision) {
  if (decision.base_version != version_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "state changed since admission (decision for pod ", internal::QuoteInput(decision.pod_uid),
        " was planned on version ", decision.base_version, ", the node is at ", version_, ")"));
  }
  for (const auto& [series, n] : decision.metrics) metrics_[series] += n;
  if (!decision.admitted) return absl::OkStatus();
  internal::ApplyDelta(decision.delta, decision.pod_uid, state_);
  fit_usage_->Set(decision.pod_uid, decision.delta.fit_request);
  ++version_;
  return absl::OkStatus();
}

absl::Status Node::RemoveContainerLocked(std::string_view pod_uid, std::string_view container) {
  auto pod = state_.pods.find(pod_uid);
  if (pod == state_.pods.end()) {
    return absl::NotFoundError(
        absl::StrCat("pod ", internal::QuoteInput(pod_uid), " is not admitted"));
  }
  auto it = pod->second.containers.find(std::string(container));
  if (it == pod->second.containers.end()) {
    return absl::NotFoundError(absl::StrCat("pod ", internal::QuoteInput(pod_uid),
                                            " has no container ",
                                            internal::QuoteInput(container)));
  }
  if (parts_->cpu.has_value()) parts_->cpu->RemoveContainer(state_.cpu, pod_uid, container);
  if (parts_->memory.has_value()) {
    RemoveMemoryContainer(*parts_->memory, pod_uid, container, state_.memory);
  }
  pod->second.containers.erase(it);
  if (pod->second.containers.empty()) {
    fit_usage_->Erase(pod_uid);
    state_.pods.erase(pod);
    // The reuse bookkeeping only ever concerns the pod being admitted; a removed pod's entry
    // would otherwise linger until the next admission.
    if (state_.cpu.reuse_pod_uid == pod_uid) {
      state_.cpu.reuse_pod_uid.clear();
      state_.cpu.reusable_cpus = CpuSet();
    }
    if (auto r = state_.memory.reusable.find(pod_uid); r != state_.memory.reusable.end()) {
      state_.memory.reusable.erase(r);
    }
    // The device manager frees a pod's devices once the pod is no longer active.
    state_.devices.RemovePod(std::string(pod_uid));
  }
  ++version_;
  return absl::OkStatus();
}

absl::Status Node::RemoveContainer(std::string_view pod_uid, std::string_view container) {
  internal::RwWriterLock lock(&mu_);
  return RemoveContainerLocked(pod_uid, container);
}

absl::Status Node::RemovePod(std::string_view pod_uid) {
  internal::RwWriterLock lock(&mu_);
  auto pod = state_.pods.find(pod_uid);
  if (pod == state_.pods.end()) {
    return absl::NotFoundError(
        absl::StrCat("pod ", internal::QuoteInput(pod_uid), " is not admitted"));
  }
  // Init containers first, then app containers, as the pod declares them.
  std::vector<std::string> order;
  const Pod& spec = pod->second.pod;
  for (const auto* list : {&spec.init_containers, &spec.containers}) {
    for (const Container& c : *list) {
      if (pod->second.containers.contains(c.name)) order.push_back(c.name);
    }
  }
  const std::string uid(pod_uid);
  for (const std::string& name : order) {
    absl::Status s = RemoveContainerLocked(uid, name);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace podalloc
