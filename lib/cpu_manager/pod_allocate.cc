// AllocatePod (KEP-5526): one CPU set for a pod with pod-level resources, partitioned among
// its containers into exclusive slices and the pod shared pool (policy_static.go).
#include <set>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

using internal::QuoteInput;

// The payload key static_policy.cc uses for SMTAlignmentError: one key for every admission
// reason the CPU manager reports.
constexpr char kReasonPayload[] = "type.podalloc.dev/cpu-manager-reason";
constexpr char kEmptyPodSharedPoolReason[] = "EmptyPodSharedPoolError";

absl::Status CheckPodRequest(const PodCpuRequest& pod) {
  if (!pod.pod_level_resources) {
    return absl::InvalidArgumentError(
        absl::StrCat("pod ", pod.pod_uid,
                     ": pod_level_resources is false; AllocatePod is for pods with "
                     "pod-level resources"));
  }
  if (pod.containers.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("pod ", pod.pod_uid, ": containers is empty"));
  }
  std::set<std::string_view> names;
  for (const ContainerCpuDemand& c : pod.containers) {
    if (c.exclusive_cpus < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pod ", QuoteInput(pod.pod_uid), " container ", QuoteInput(c.name), ": exclusive_cpus ",
          c.exclusive_cpus, " is negative"));
    }
    if (!names.insert(c.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("pod ", QuoteInput(pod.pod_uid), ": container name ", QuoteInput(c.name),
                       " is repeated"));
    }
  }
  return absl::OkStatus();
}

// Sidecars and app containers hold their slices for the pod's whole life; a regular init
// container's slice is handed out again once it has finished.
bool HoldsSliceForLife(const ContainerCpuDemand& c) {
  return c.exclusive_cpus > 0 && c.kind != CpuContainerKind::kInit;
}

}  // namespace

bool IsEmptyPodSharedPoolError(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonPayload);
  return payload.has_value() && *payload == kEmptyPodSharedPoolReason;
}

absl::StatusOr<PodCpuAllocation> CpuStaticPolicy::AllocatePod(
    CpuManagerState& state, const PodCpuRequest& pod, std::optional<NumaMask> affinity) const {
  const int total = pod.exclusive_cpus;
  if (total < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("pod ", pod.pod_uid, ": exclusive_cpus ", total, " is negative"));
  }
  if (total == 0) return PodCpuAllocation{};
  PODALLOC_RETURN_IF_ERROR(CheckPodRequest(pod));
  if (!pod_level_resource_managers_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "pod ", pod.pod_uid, ": pod-level CPU allocation needs the PodLevelResourceManagers gate"));
  }

  // The kubelet keeps the validation's text and only changes the admission reason.
  if (absl::Status invalid = ValidatePodScopeCpus(pod); !invalid.ok()) {
    invalid.SetPayload(kReasonPayload, absl::Cord(kEmptyPodSharedPoolReason));
    return invalid;
  }
  PODALLOC_RETURN_IF_ERROR(EnforceSmtAlignment(state, total));

  PodCpuAllocation out;
  out.allocated = true;
  out.containers.reserve(pod.containers.size());

  if (auto recorded = state.pod_assignments.find(pod.pod_uid);
      recorded != state.pod_assignments.end()) {
    out.existing = true;
    out.pod_cpus = recorded->second;
    out.pod_shared_pool = recorded->second;
    for (const ContainerCpuDemand& c : pod.containers) {
      const CpuSet* cpus = state.Find(pod.pod_uid, c.name);
      if (cpus == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "pod ", QuoteInput(pod.pod_uid), " has the pod-level CPU set \"",
            recorded->second.ToString(), "\" but container ", QuoteInput(c.name),
            " has no assignment"));
      }
      out.containers.push_back(PodContainerCpus{
          .name = c.name, .kind = c.kind, .exclusive = c.exclusive_cpus > 0, .cpus = *cpus});
      if (HoldsSliceForLife(c)) out.pod_shared_pool -= *cpus;
    }
    return out;
  }

  // The kubelet would overwrite such entries and lose track of their CPUs.
  if (auto held = state.assignments.find(pod.pod_uid);
      held != state.assignments.end() && !held->second.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "pod ", QuoteInput(pod.pod_uid), " already has container assignments (",
        QuoteInput(held->second.begin()->first), ": \"", held->second.begin()->second.ToString(),
        "\") but no pod-level CPU set"));
  }

  // The pod's set: allocateCPUs with the pod's affinity and no init-container reuse.
  const CpuSet free_pool = AvailableCpus(state);
  PODALLOC_ASSIGN_OR_RETURN(const CpuSet pod_cpus, ChooseCpus(free_pool, total, affinity));
  if (!pod_cpus.IsSubsetOf(free_pool) || pod_cpus.Size() != total) {
    return absl::InternalError(
        absl::StrCat("pod ", QuoteInput(pod.pod_uid), ": the topology walk chose \"",
                     pod_cpus.ToString(),
                     "\" for ", total, " CPUs from the free pool \"", free_pool.ToString(), "\""));
  }
  PODALLOC_RETURN_IF_ERROR(KeepSharedPool(state, pod_cpus, absl::StrCat("pod ", pod.pod_uid)));

  // Slices are taken by topology inside the pod's set, as the kubelet's takeByTopology.
  auto take_slice = [&](const CpuSet& from, const ContainerCpuDemand& c) -> absl::StatusOr<CpuSet> {
    PODALLOC_ASSIGN_OR_RETURN(CpuSet slice, TakeByTopology(from, c.exclusive_cpus));
    if (!slice.IsSubsetOf(from) || slice.Size() != c.exclusive_cpus) {
      return absl::InternalError(absl::StrCat(
          "pod ", QuoteInput(pod.pod_uid), " container ", QuoteInput(c.name),
          ": the topology walk chose \"",
          slice.ToString(), "\" for ", c.exclusive_cpus, " CPUs from \"", from.ToString(), "\""));
    }
    return slice;
  };

  // Init containers first: each sees the pod's set minus the sidecar slices started before it.
  // A sidecar without CPUs waits for the final pod shared pool.
  std::vector<std::optional<PodContainerCpus>> parts(pod.containers.size());
  CpuSet sidecar_cpus;
  for (size_t i = 0; i < pod.containers.size(); ++i) {
    const ContainerCpuDemand& c = pod.containers[i];
    if (c.kind == CpuContainerKind::kApp) continue;
    const CpuSet runnable = pod_cpus - sidecar_cpus;
    if (c.exclusive_cpus > 0) {
      PODALLOC_ASSIGN_OR_RETURN(CpuSet slice, take_slice(runnable, c));
      if (c.kind == CpuContainerKind::kSidecar) sidecar_cpus |= slice;
      parts[i] = PodContainerCpus{.name = c.name, .kind = c.kind, .exclusive = true, .cpus = slice};
    } else if (c.kind == CpuContainerKind::kInit) {
      parts[i] =
          PodContainerCpus{.name = c.name, .kind = c.kind, .exclusive = false, .cpus = runnable};
    }
  }
  // Regular init containers have finished before the app containers start, so the whole set
  // minus the sidecar slices is partitioned again.
  CpuSet shared_pool = pod_cpus - sidecar_cpus;
  for (size_t i = 0; i < pod.containers.size(); ++i) {
    const ContainerCpuDemand& c = pod.containers[i];
    if (c.kind != CpuContainerKind::kApp || c.exclusive_cpus == 0) continue;
    PODALLOC_ASSIGN_OR_RETURN(CpuSet slice, take_slice(shared_pool, c));
    shared_pool -= slice;
    parts[i] = PodContainerCpus{.name = c.name, .kind = c.kind, .exclusive = true, .cpus = slice};
  }

  out.pod_cpus = pod_cpus;
  out.pod_shared_pool = shared_pool;
  for (size_t i = 0; i < pod.containers.size(); ++i) {
    const ContainerCpuDemand& c = pod.containers[i];
    out.containers.push_back(
        parts[i].has_value()
            ? std::move(*parts[i])
            : PodContainerCpus{
                  .name = c.name, .kind = c.kind, .exclusive = false, .cpus = shared_pool});
  }

  // Nothing above touched the state: record everything at once.
  state.default_cpu_set -= pod_cpus;
  state.pod_assignments[pod.pod_uid] = pod_cpus;
  auto& entries = state.assignments[pod.pod_uid];
  for (const PodContainerCpus& c : out.containers) entries[c.name] = c.cpus;
  return out;
}

}  // namespace podalloc
