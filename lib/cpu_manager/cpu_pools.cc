// Moving CPUs between the shared pool and exclusive assignments: Allocate, RemoveContainer
// and the init-container reuse bookkeeping (policy_static.go).
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/status_macros.h"

namespace podalloc {

const CpuSet* CpuManagerState::Find(std::string_view pod_uid, std::string_view container) const {
  auto pod = assignments.find(pod_uid);
  if (pod == assignments.end()) return nullptr;
  auto it = pod->second.find(container);
  return it == pod->second.end() ? nullptr : &it->second;
}

CpuSet CpuStaticPolicy::ReusableFor(const CpuManagerState& state, std::string_view pod_uid) const {
  return state.reuse_pod_uid == pod_uid ? state.reusable_cpus : CpuSet();
}

void CpuStaticPolicy::UpdateReuse(CpuManagerState& state, std::string_view pod_uid,
                                  CpuContainerKind kind, const CpuSet& cpus) {
  // Only the pod being processed keeps reusable CPUs.
  if (state.reuse_pod_uid != pod_uid) {
    state.reuse_pod_uid = std::string(pod_uid);
    state.reusable_cpus = CpuSet();
  }
  // A regular init container has finished before the next container starts, so its CPUs may
  // be handed out again; a sidecar keeps running next to the app containers, so its CPUs are
  // not, and app containers consume what they were given.
  if (kind == CpuContainerKind::kInit) {
    state.reusable_cpus |= cpus;
  } else {
    state.reusable_cpus -= cpus;
  }
}

absl::Status CpuStaticPolicy::KeepSharedPool(const CpuManagerState& state, const CpuSet& cpus,
                                             std::string_view who) const {
  // strict-cpu-reservation keeps the reserved CPUs out of the shared pool, so exclusive
  // allocations alone can empty it. The kubelet lets that happen and then cannot start again
  // from its own checkpoint: validateState reads an empty default set beside assignments as
  // corrupt ("default cpuset cannot be empty", kubernetes/kubernetes#141196), and shared
  // containers are left with no CPU to run on. The allocation that would empty the pool is
  // refused instead, as the fix proposed upstream does (kubernetes/kubernetes#141197), so
  // every state this policy builds is one Start accepts.
  if (!options_.strict_cpu_reservation || !state.default_cpu_set.IsSubsetOf(cpus)) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      std::string(who), ": taking \"", cpus.ToString(), "\" would leave the shared pool empty (",
      kStrictCpuReservationOption, " keeps the reserved CPUs \"", reserved_.ToString(),
      "\" out of it)"));
}

absl::StatusOr<CpuAllocation> CpuStaticPolicy::Allocate(CpuManagerState& state,
                                                        const ContainerCpuRequest& request) const {
  const int n = request.exclusive_cpus;
  if (n < 0) {
    return absl::InvalidArgumentError(absl::StrCat("pod ", request.pod_uid, " container ",
                                                   request.container_name, ": exclusive_cpus ", n,
                                                   " is negative"));
  }
  if (n == 0) return CpuAllocation{};
  // Checked before the already-allocated short cut, as in the kubelet.
  PODALLOC_RETURN_IF_ERROR(EnforceSmtAlignment(state, n));

  if (const CpuSet* existing = state.Find(request.pod_uid, request.container_name)) {
    CpuAllocation out{.exclusive = true, .existing = true, .cpus = *existing};
    UpdateReuse(state, request.pod_uid, request.kind, out.cpus);
    return out;
  }

  CpuSet pool = AvailableCpus(state);
  if (state.reuse_pod_uid == request.pod_uid) pool |= state.reusable_cpus;
  PODALLOC_ASSIGN_OR_RETURN(CpuSet cpus, ChooseCpus(pool, n, request.affinity));
  if (!cpus.IsSubsetOf(pool) || cpus.Size() != n) {
    // Two kubelet quirks on uneven machines, refused here instead of corrupting the state:
    // a whole socket/core is taken when its free count matches the header average, busy
    // threads included (the kubelet would assign them twice); an uncore cache straddling NUMA
    // nodes is listed once per node and counted twice (the kubelet would assign too few).
    return absl::InternalError(absl::StrCat("pod ", internal::QuoteInput(request.pod_uid),
                                            " container ",
                                            internal::QuoteInput(request.container_name),
                                            ": the topology walk chose \"",
                                            cpus.ToString(), "\" for ", n,
                                            " CPUs from the free pool \"", pool.ToString(), "\""));
  }
  PODALLOC_RETURN_IF_ERROR(KeepSharedPool(
      state, cpus, absl::StrCat("pod ", request.pod_uid, " container ", request.container_name)));
  state.assignments[request.pod_uid][request.container_name] = cpus;
  state.default_cpu_set -= cpus;
  UpdateReuse(state, request.pod_uid, request.kind, cpus);
  return CpuAllocation{.exclusive = true, .existing = false, .cpus = cpus};
}

void CpuStaticPolicy::RemoveContainer(CpuManagerState& state, std::string_view pod_uid,
                                      std::string_view container_name) const {
  auto pod = state.assignments.find(pod_uid);
  if (pod == state.assignments.end()) return;
  auto it = pod->second.find(container_name);
  if (it == pod->second.end()) return;
  CpuSet release = it->second;
  pod->second.erase(it);
  const bool pod_empty = pod->second.empty();

  if (pod_level_resource_managers_) {
    auto pod_set = state.pod_assignments.find(pod_uid);
    if (pod_set != state.pod_assignments.end()) {
      // A pod-level pod gives its CPUs back only with its last container.
      if (pod_empty) {
        state.default_cpu_set |= pod_set->second;
        state.pod_assignments.erase(pod_set);
        state.assignments.erase(pod);
      }
      return;
    }
  }
  // Init-container reuse makes siblings share CPUs: keep those still held.
  for (const auto& [name, cpus] : pod->second) release -= cpus;
  state.default_cpu_set |= release;
  if (pod_empty) state.assignments.erase(pod);
}

}  // namespace podalloc
