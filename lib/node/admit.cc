// The admission of one pod, in the kubelet's order (topology manager scope*.go): policy none
// allocates container by container without hints; scope container merges the CPU and memory
// hints of each init then app container and allocates it with its hint; scope pod merges once
// for the pod and uses that hint for every container, or, for a pod with pod-level resources
// under the PodLevelResourceManagers gate, places the pod as one unit (pod_level.cc).
#include "absl/strings/str_cat.h"
#include "metric_names.h"
#include "node_internal.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/merge_explanation.h"
#include "podalloc/pod_resources.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {
namespace {

std::string HintText(const std::optional<TopologyHint>& hint) {
  if (!hint.has_value()) return "no hint (topology manager policy none)";
  if (!hint->affinity.has_value()) {
    return absl::StrCat("hint: any NUMA node (", hint->preferred ? "preferred" : "not preferred",
                        ")");
  }
  return absl::StrCat("hint: NUMA ", hint->affinity->ToList(),
                      hint->preferred ? " (preferred)" : " (not preferred)");
}

// The hint providers in the kubelet's registration order: device manager (for a pod that
// requests devices), CPU manager, then memory manager.
absl::StatusOr<std::vector<ProviderHints>> ContainerProviders(const Node::Parts& parts,
                                                              const Scratch& s, const Pod& pod,
                                                              const Container& container,
                                                              const ContainerCpuRequest& cpu_req,
                                                              const PodMemorySpec& spec) {
  std::vector<ProviderHints> providers;
  if (s.devices_copy.has_value()) providers.push_back(DeviceContainerHints(s, pod, container));
  if (parts.cpu.has_value()) providers.push_back(parts.cpu->ContainerHints(s.cpu, cpu_req));
  if (parts.memory.has_value()) {
    PODALLOC_ASSIGN_OR_RETURN(
        ProviderHints mem,
        ContainerProviderHints(*parts.memory, s.memory, spec, cpu_req.container_name));
    providers.push_back(std::move(mem));
  }
  return providers;
}

absl::StatusOr<std::vector<ProviderHints>> PodProviders(const Node::Parts& parts, const Scratch& s,
                                                        const Pod& pod,
                                                        const PodCpuRequest& cpu_req,
                                                        const PodMemorySpec& spec) {
  std::vector<ProviderHints> providers;
  if (s.devices_copy.has_value()) providers.push_back(DevicePodHints(s, pod));
  if (parts.cpu.has_value()) providers.push_back(parts.cpu->PodHints(s.cpu, cpu_req));
  if (parts.memory.has_value()) {
    PODALLOC_ASSIGN_OR_RETURN(ProviderHints mem, PodProviderHints(*parts.memory, s.memory, spec));
    providers.push_back(std::move(mem));
  }
  return providers;
}

ContainerDecision Entry(const Container& c, ContainerType type) {
  ContainerDecision d;
  d.name = c.name;
  d.type = type;
  return d;
}

// The hint providers' names, in the order ContainerProviders and PodProviders list them.
std::vector<std::string> ProviderNames(const Node::Parts& parts, const Scratch& s) {
  std::vector<std::string> names;
  if (s.devices_copy.has_value()) names.push_back("device_manager");
  if (parts.cpu.has_value()) names.push_back("cpu_manager");
  if (parts.memory.has_value()) names.push_back("memory_manager");
  return names;
}

// Every provider's hints of one merge, the merged hint and the outcome.
absl::StatusOr<MergeExplanation> ExplainProviders(const Node::Parts& parts, const Scratch& s,
                                                  const std::vector<ProviderHints>& providers) {
  const TopologyManager& tm = parts.topology_manager;
  return ExplainMerge(providers, ProviderNames(parts, s), tm.policy(), tm.numa(), tm.options());
}

// ExplainAdmission's record of a merge; nothing (and no cost) without a recorder.
absl::Status RecordMerge(const Node::Parts& parts, const Scratch& s,
                         const std::vector<ProviderHints>& providers, const std::string& container,
                         std::vector<MergeRecord>* merges) {
  if (merges == nullptr) return absl::OkStatus();
  PODALLOC_ASSIGN_OR_RETURN(MergeExplanation m, ExplainProviders(parts, s, providers));
  merges->push_back(MergeRecord{container, std::move(m)});
  return absl::OkStatus();
}

// A refused merge: the kubelet's TopologyAffinityError, and which provider's hints caused it.
absl::Status RejectForTopology(const Node::Parts& parts, const Scratch& s,
                               const std::vector<ProviderHints>& providers,
                               const std::string& container, Decision& d) {
  const TopologyManager& tm = parts.topology_manager;
  PODALLOC_ASSIGN_OR_RETURN(MergeExplanation why, ExplainProviders(parts, s, providers));
  if (!why.blocking_provider.empty()) {
    d.reasons.push_back(absl::StrCat("the ", why.blocking_provider,
                                     "'s hints leave no NUMA affinity the ",
                                     TopologyPolicyName(tm.policy()), " policy admits"));
  }
  d.topology_rejection = TopologyRejection{container, std::move(why)};
  Count(d.metrics, kTopologyAdmissionErrors);
  RejectDecision(d, TopologyAffinityRejection());
  return absl::OkStatus();
}

}  // namespace

void RejectDecision(Decision& d, const AdmitResult& result) {
  d.admitted = false;
  d.reason = result.reason;
  d.message = result.message;
  for (ContainerDecision& c : d.containers) {
    c.cpus = CpuSet();
    c.memory_nodes = NumaMask();
    c.exclusive_cpus = false;
    c.cpu_quota_disabled = false;
    c.memory_blocks.clear();
    c.devices.clear();
    c.cgroup_files.clear();
    c.isolation = IsolationLevel::kHost;
  }
  d.pod_cpus = CpuSet();
  d.pod_shared_pool = CpuSet();
  d.pod_cgroup_files.clear();
  d.burstable_cgroup_files.clear();
  d.delta = NodeStateDelta();
}

void Count(MetricCounts& metrics, const std::string& series) { ++metrics[series]; }

void ContainerCounts::AddTo(MetricCounts& metrics) const {
  auto add = [&metrics](uint64_t n, const std::string& series) {
    if (n > 0) metrics[series] += n;
  };
  add(cpu_pinning_requests, kCpuPinningRequests);
  add(cpu_pinning_errors, kCpuPinningErrors);
  add(cpu_allocations, Allocations("cpu", "node"));
  add(cpu_allocation_errors, AllocationErrors("cpu", "node"));
  add(cpu_assignments, Assignments("cpu", "node_exclusive"));
  add(memory_pinning_requests, kMemoryPinningRequests);
  add(memory_pinning_errors, kMemoryPinningErrors);
  add(memory_allocations, Allocations("memory", "node"));
  add(memory_allocation_errors, AllocationErrors("memory", "node"));
  add(memory_assignments, Assignments("memory", "node_exclusive"));
}

AdmitResult AllocationRejection(const absl::Status& error) {
  if (IsSmtAlignmentError(error)) {
    return AdmitResult{false, "SMTAlignmentError", std::string(error.message())};
  }
  if (IsEmptyPodSharedPoolError(error) || IsEmptyPodSharedPool(error)) {
    return AdmitResult{false, "EmptyPodSharedPoolError", std::string(error.message())};
  }
  std::string text(error.message());
  if (std::optional<std::string> shortfall = MemoryShortfall(error)) {
    absl::StrAppend(&text, " (", *shortfall, ")");
  }
  return AllocateFailure(text);
}

absl::Status AllocateContainer(const Node::Parts& parts, const Pod& pod, const Container& container,
                               int guaranteed_cpus, const PodMemorySpec& memory_spec, QosClass qos,
                               const std::optional<TopologyHint>& hint, Scratch& s,
                               ContainerDecision& out, ContainerCounts& counts) {
  out.hint = hint;
  // The kubelet calls the providers' Allocate in registration order: devices first.
  PODALLOC_RETURN_IF_ERROR(AllocateDevices(parts, pod, container, hint, s, out));
  if (parts.cpu.has_value()) {
    ContainerCpuRequest req;
    req.pod_uid = memory_spec.uid;
    req.container_name = container.name;
    req.kind = CpuKindOf(out.type);
    req.exclusive_cpus = guaranteed_cpus;
    if (hint.has_value()) req.affinity = hint->affinity;
    if (req.exclusive_cpus > 0) ++counts.cpu_pinning_requests;
    absl::StatusOr<CpuAllocation> cpu = parts.cpu->Allocate(s.cpu, req);
    if (!cpu.ok()) {
      ++counts.cpu_pinning_errors;
      ++counts.cpu_allocation_errors;
      return cpu.status();
    }
    if (cpu->exclusive) {
      out.exclusive_cpus = true;
      out.cpus = cpu->cpus;
      out.isolation = IsolationLevel::kContainer;
      out.reasons.push_back(absl::StrCat(req.exclusive_cpus, " exclusive CPUs from the node's pool",
                                         cpu->existing ? " (already assigned)" : "", ": ",
                                         cpu->cpus.ToString()));
      if (!cpu->existing) {
        ++counts.cpu_allocations;
        ++counts.cpu_assignments;
      }
    } else {
      out.reasons.push_back(absl::StrCat("node shared pool: ",
                                         SharedCpuReason(parts, pod, container, qos)));
    }
  } else {
    out.reasons.push_back(SharedCpuReason(parts, pod, container, qos));
  }

  if (parts.memory.has_value()) {
    const TopologyHint affinity = hint.value_or(TopologyHint{});
    absl::StatusOr<MemoryDecision> mem =
        AllocateMemory(*parts.memory, memory_spec, container.name, affinity, s.memory);
    if (!mem.ok()) {
      ++counts.memory_pinning_requests;
      ++counts.memory_pinning_errors;
      ++counts.memory_allocation_errors;
      return mem.status();
    }
    switch (mem->outcome) {
      case MemoryDecision::Outcome::kAllocated:
      case MemoryDecision::Outcome::kAlreadyAllocated:
        out.memory_blocks = mem->blocks;
        for (const MemoryBlock& b : mem->blocks) out.memory_nodes |= b.numa_affinity;
        if (mem->outcome == MemoryDecision::Outcome::kAllocated) {
          ++counts.memory_pinning_requests;
          if (!mem->blocks.empty()) {
            ++counts.memory_allocations;
            ++counts.memory_assignments;
          }
        }
        if (!mem->blocks.empty()) {
          out.reasons.push_back(absl::StrCat(
              "exclusive memory on NUMA ", out.memory_nodes.ToList(),
              mem->used_default ? " (memory manager's own narrowest hint)" : "",
              mem->extended ? " (hint extended to fit)" : ""));
        }
        break;
      case MemoryDecision::Outcome::kNotGuaranteed:
        out.reasons.push_back("memory: not pinned (pod is not Guaranteed)");
        break;
      case MemoryDecision::Outcome::kPodLevelResourcesUnsupported:
        out.reasons.push_back(
            "memory: not pinned (pod-level resources set while the pod-level resource managers "
            "are off)");
        break;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Decision> PlanAdmission(const Node::Parts& parts, const NodeState& state,
                                       const FitUsage* usage, const Pod& input,
                                       uint64_t version, std::vector<MergeRecord>* merges) {
  Pod pod = input;
  DefaultContainerRequests(pod);
  const std::string uid = PodStateKey(pod);
  if (state.pods.contains(uid)) {
    return absl::AlreadyExistsError(
        absl::StrCat("pod ", QuoteInput(uid), " is already admitted"));
  }
  if (pod.containers.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("pod ", QuoteInput(uid), " has no containers"));
  }

  Decision d;
  d.pod_uid = uid;
  d.pod_name = pod.name;
  d.pod_namespace = pod.namespace_name;
  d.base_version = version;
  d.admitted = true;
  d.qos = GetPodQos(pod, parts.qos);
  d.scope = parts.topology_manager.scope();
  for (const Container& c : pod.init_containers) {
    d.containers.push_back(Entry(c, IsSidecar(c) ? ContainerType::kSidecar : ContainerType::kInit));
  }
  for (const Container& c : pod.containers) d.containers.push_back(Entry(c, ContainerType::kApp));
  for (const Container& c : pod.ephemeral_containers) {
    d.containers.push_back(Entry(c, ContainerType::kEphemeral));
  }

  Scratch s = ScratchFor(state, uid, &pod);
  const PodMemorySpec memory_spec = MakePodMemorySpec(parts, pod, uid, d.qos);
  const TopologyPolicy policy = parts.topology_manager.policy();
  Count(d.metrics, kTopologyAdmissionRequests);
  ContainerCounts counts;  // added to d.metrics before every return of d

  // Containers in the kubelet's order: init (sidecars included), then app. Ephemeral
  // containers are never admitted through the managers.
  const size_t managed = pod.init_containers.size() + pod.containers.size();
  auto container_at = [&](size_t i) -> const Container& {
    return i < pod.init_containers.size() ? pod.init_containers[i]
                                          : pod.containers[i - pod.init_containers.size()];
  };
  absl::Status failed;

  if (policy == TopologyPolicy::kNone) {
    d.reasons.push_back("topology manager policy none: no NUMA alignment");
    for (size_t i = 0; i < managed && failed.ok(); ++i) {
      const Container& c = container_at(i);
      failed = AllocateContainer(parts, pod, c, GuaranteedCpus(pod, d.qos, c, parts.cpu_gates),
                                 memory_spec, d.qos, std::nullopt, s, d.containers[i], counts);
    }
  } else if (d.scope == TopologyScope::kContainer) {
    for (size_t i = 0; i < managed && failed.ok(); ++i) {
      const Container& c = container_at(i);
      ContainerCpuRequest cpu_req;
      cpu_req.pod_uid = uid;
      cpu_req.container_name = c.name;
      cpu_req.kind = CpuKindOf(d.containers[i].type);
      cpu_req.exclusive_cpus = GuaranteedCpus(pod, d.qos, c, parts.cpu_gates);
      PODALLOC_ASSIGN_OR_RETURN(std::vector<ProviderHints> providers,
                                ContainerProviders(parts, s, pod, c, cpu_req, memory_spec));
      PODALLOC_ASSIGN_OR_RETURN(MergeResult merged, parts.topology_manager.Merge(providers));
      PODALLOC_RETURN_IF_ERROR(RecordMerge(parts, s, providers, c.name, merges));
      d.containers[i].reasons.push_back(HintText(merged.hint));
      if (!merged.admit) {
        d.containers[i].reasons.push_back(absl::StrCat("the ", TopologyPolicyName(policy),
                                                       " policy does not admit this hint"));
        counts.AddTo(d.metrics);
        PODALLOC_RETURN_IF_ERROR(RejectForTopology(parts, s, providers, c.name, d));
        return d;
      }
      failed = AllocateContainer(parts, pod, c, cpu_req.exclusive_cpus, memory_spec, d.qos,
                                 merged.hint, s, d.containers[i], counts);
    }
  } else {
    const PodCpuRequest cpu_req = MakePodCpuRequest(parts, pod, uid);
    PODALLOC_ASSIGN_OR_RETURN(std::vector<ProviderHints> providers,
                              PodProviders(parts, s, pod, cpu_req, memory_spec));
    PODALLOC_ASSIGN_OR_RETURN(MergeResult merged, parts.topology_manager.Merge(providers));
    PODALLOC_RETURN_IF_ERROR(RecordMerge(parts, s, providers, "", merges));
    d.pod_hint = merged.hint;
    d.reasons.push_back(absl::StrCat("pod scope, one merge for the pod: ", HintText(merged.hint)));
    if (!merged.admit) {
      d.reasons.push_back(
          absl::StrCat("the ", TopologyPolicyName(policy), " policy does not admit this hint"));
      PODALLOC_RETURN_IF_ERROR(RejectForTopology(parts, s, providers, "", d));
      return d;
    }
    if (cpu_req.pod_level_resources) {
      d.pod_level = true;
      if (s.devices_copy.has_value()) {
        // The device manager's AllocatePod decides nothing: the kubelet allocates the devices
        // when each container is created, with the stored pod hint.
        d.reasons.push_back(
            "devices: not allocated at admission (pod-level resource managers: the kubelet "
            "allocates them when each container is created)");
      }
      failed = AllocatePodLevel(parts, pod, memory_spec, merged.hint, s, d);
    } else {
      for (size_t i = 0; i < managed && failed.ok(); ++i) {
        // The pod request already holds each container's exclusive CPU count, in this order.
        const int guaranteed = cpu_req.containers[i].exclusive_cpus;
        failed = AllocateContainer(parts, pod, container_at(i), guaranteed, memory_spec, d.qos,
                                   merged.hint, s, d.containers[i], counts);
      }
    }
  }

  counts.AddTo(d.metrics);
  if (!failed.ok()) {
    Count(d.metrics, kTopologyAdmissionErrors);
    d.reasons.push_back(absl::StrCat("allocation failed: ", std::string(failed.message())));
    RejectDecision(d, AllocationRejection(failed));
    return d;
  }
  // The predicate handler comes after the container manager's: a pod refused by both is
  // reported with the alignment reason, and one that does not fit keeps nothing allocated.
  FitResources fit_request;
  if (usage != nullptr && !RunResourceFit(parts, state, *usage, pod, s.Devices(), fit_request, d)) {
    return d;
  }
  PODALLOC_RETURN_IF_ERROR(FinishPlacement(parts, state, pod, s, d));
  PodRecord record;
  for (size_t i = 0; i < managed; ++i) record.containers.insert(container_at(i).name);
  record.pod = std::move(pod);  // the defaulted copy is not needed any more
  d.delta = DeltaFrom(std::move(s), uid, std::move(record));
  d.delta.fit_request = std::move(fit_request);
  return d;
}

}  // namespace podalloc::internal
