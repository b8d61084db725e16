// In-place resize of an admitted pod: the kubelet's handlePodResourcesResize on this node's
// state. The allocation is the pod's record; the other pods are judged at their recorded
// (allocated) sizes. The kubelet asks every admit handler with lifecycle.ResizeOperation:
// the resize handler (CanResizePod's gate, static-pod, Guaranteed and capacity rules), the
// predicate handler (resource fit against node allocatable), and the container manager's
// resource allocator, whose CPU, memory and topology managers only re-run Allocate, which
// returns early for a container that already holds an assignment (cpumanager policy_static
// Allocate "container already present in state", memorymanager policy_static Allocate
// "container already present in state", and a topology manager admit that merges the
// same hints). So the Deferred check here is the resource fit alone.
#include <algorithm>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fit_usage.h"
#include "metric_names.h"
#include "node_internal.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/pod_resources.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

// "[\"a\", \"b\" (sidecar)]": the names quoted, and only the first few of a long list.
std::string NameList(const std::vector<std::string>& names) {
  constexpr size_t kListed = 8;
  std::string out = "[";
  for (size_t i = 0; i < names.size() && i < kListed; ++i) {
    absl::StrAppend(&out, i > 0 ? ", " : "", names[i]);
  }
  if (names.size() > kListed) absl::StrAppend(&out, ", ... (", names.size(), " in all)");
  return out + "]";
}

absl::Status SameContainers(const Pod& admitted, const Pod& desired, const std::string& uid) {
  auto names = [](const std::vector<Container>& list) {
    std::vector<std::string> out;
    for (const Container& c : list) {
      out.push_back(internal::QuoteInput(c.name) + (IsSidecar(c) ? " (sidecar)" : ""));
    }
    return out;
  };
  for (const auto& [what, a, b] :
       {std::tuple{"init containers", &admitted.init_containers, &desired.init_containers},
        std::tuple{"containers", &admitted.containers, &desired.containers}}) {
    const std::vector<std::string> x = names(*a);
    const std::vector<std::string> y = names(*b);
    if (x != y) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pod ", internal::QuoteInput(uid), ": the resized pod's ", what, " ", NameList(y),
          " differ from the admitted pod's ", NameList(x)));
    }
  }
  return absl::OkStatus();
}

// The allocation the kubelet would have checkpointed at admission (allocationFromPod).
PodAllocation AllocationOf(const Pod& pod) {
  PodAllocation a;
  for (const Container* c : ResizableContainers(pod)) a.containers[c->name] = c->resources;
  a.pod_level = pod.resources;
  return a;
}

ResizeNodeConfig ResizeConfigOf(const NodeConfig& c) {
  const NodeFeatureGates& g = c.feature_gates;
  ResizeNodeConfig r;
  r.cpu_manager_static = c.cpu_manager_policy == kPolicyStatic;
  r.memory_manager_static = c.memory_manager_policy == "Static";
  r.in_place_pod_vertical_scaling = g.in_place_pod_vertical_scaling;
  r.in_place_pod_vertical_scaling_exclusive_cpus = g.in_place_pod_vertical_scaling_exclusive_cpus;
  r.in_place_pod_vertical_scaling_exclusive_memory =
      g.in_place_pod_vertical_scaling_exclusive_memory;
  r.in_place_pod_level_resources_vertical_scaling =
      g.in_place_pod_level_resources_vertical_scaling;
  r.memory_manager = g.memory_manager;
  r.pod_level_resources = g.pod_level_resources;
  return r;
}

// The admitted pod with the desired pod's container and pod-level resources: everything else
// stays as admitted.
Pod WithResources(const Pod& admitted, const Pod& desired) {
  Pod out = admitted;
  for (auto [to, from] : {std::pair{&out.init_containers, &desired.init_containers},
                          std::pair{&out.containers, &desired.containers}}) {
    for (size_t i = 0; i < to->size(); ++i) {
      (*to)[i].resources = (*from)[i].resources;
      (*to)[i].resize_policy = (*from)[i].resize_policy;
    }
  }
  out.resources = desired.resources;
  return out;
}

// Where a container runs now, read back from the managers' state the way FinishPlacement
// and the pod-level placement decided it.
// `pod_qos` is the pod's GetPodQos.
ContainerPlacement PlacementOf(const Node::Parts& parts, const NodeState& state,
                               const std::string& uid, const Pod& pod, QosClass pod_qos,
                               const Container& c) {
  ContainerPlacement p;
  const bool pod_level = state.cpu.pod_assignments.contains(uid);
  if (const CpuSet* cpus = parts.cpu.has_value() ? state.cpu.Find(uid, c.name) : nullptr) {
    p.cpus = *cpus;
    p.isolation = !pod_level || GuaranteedCpus(pod, pod_qos, c, parts.cpu_gates) > 0
                      ? IsolationLevel::kContainer
                      : IsolationLevel::kPod;
  } else {
    p.cpus = parts.cpu.has_value() ? state.cpu.default_cpu_set : parts.topology.cpus();
  }
  if (auto it = state.memory.pod_assignments.find(uid); it != state.memory.pod_assignments.end()) {
    for (const MemoryBlock& b : it->second) p.memory_nodes |= b.numa_affinity;
  } else if (const std::vector<MemoryBlock>* blocks =
                 FindMemoryBlocks(state.memory.assignments, uid, c.name)) {
    for (const MemoryBlock& b : *blocks) p.memory_nodes |= b.numa_affinity;
  }
  return p;
}

bool ResourceChanged(const ResourceRequirements& a, const ResourceRequirements& b,
                     std::string_view resource) {
  return ResourceOrZero(a.requests, resource) != ResourceOrZero(b.requests, resource) ||
         ResourceOrZero(a.limits, resource) != ResourceOrZero(b.limits, resource);
}

// A feasible resize that would have to move a container's exclusive CPUs or memory blocks
// (only reachable with the ExclusiveCPUs / ExclusiveMemory gates on) needs the managers'
// resize paths, which podalloc does not model yet. A pod-level budget change of a KEP-5526 pod
// is not one of them: the kubelet's Guaranteed rule compares container requests only, the
// KEP leaves resize out of scope and the CPU and memory managers compute the pod's set once,
// at admission, so the pod keeps its set and blocks while its record takes the new budget.
absl::Status ExclusiveResourcesUnchanged(const Node::Parts& parts, const NodeState& state,
                                         const std::string& uid, const Pod& before,
                                         const Pod& after) {
  if (parts.cpu.has_value()) {
    bool moved = false;
    const std::vector<const Container*> a = ResizableContainers(before);
    const std::vector<const Container*> b = ResizableContainers(after);
    const QosClass before_qos = GetPodQos(before, parts.qos);
    const QosClass after_qos = GetPodQos(after, parts.qos);
    for (size_t i = 0; i < a.size() && !moved; ++i) {
      moved = GuaranteedCpus(before, before_qos, *a[i], parts.cpu_gates) !=
              GuaranteedCpus(after, after_qos, *b[i], parts.cpu_gates);
    }
    if (moved) {
      return absl::UnimplementedError(absl::StrCat(
          "pod ", internal::QuoteInput(uid),
          ": resizing exclusive CPUs in place is not supported"));
    }
  }
  const bool holds_memory = state.memory.pod_assignments.contains(uid) ||
                            state.memory.assignments.contains(uid);
  if (parts.memory.has_value() && holds_memory) {
    bool changed = false;
    const std::vector<const Container*> a = ResizableContainers(before);
    const std::vector<const Container*> b = ResizableContainers(after);
    for (size_t i = 0; i < a.size() && !changed; ++i) {
      changed = ResourceChanged(a[i]->resources, b[i]->resources, kResourceMemory);
    }
    if (changed) {
      return absl::UnimplementedError(absl::StrCat(
          "pod ", internal::QuoteInput(uid),
          ": resizing memory held by the Static memory manager in place is not supported"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ResizeDecision> Node::PlanResizeLocked(const Pod& input, const ResizeUsage* usage,
                                                      bool static_pod, Pod* resized) const {
  Pod desired = input;
  DefaultContainerRequests(desired);
  const std::string uid = PodStateKey(desired);
  auto record = state_.pods.find(uid);
  if (record == state_.pods.end()) {
    return absl::NotFoundError(absl::StrCat("pod ", internal::QuoteInput(uid), " is not admitted"));
  }
  const Pod& admitted = record->second.pod;
  PODALLOC_RETURN_IF_ERROR(SameContainers(admitted, desired, uid));
  Pod after = WithResources(admitted, desired);

  ResizeDecision d;
  d.pod_uid = uid;
  d.base_version = version_;
  // Desired equals allocated: the kubelet clears any pending condition and asks nobody.
  if (after == admitted) {
    d.feasibility.feasible = true;
    if (resized != nullptr) *resized = std::move(after);
    return d;
  }

  const Parts& parts = *parts_;
  ResizeFeasibilityInputs in;
  in.node_allocatable = parts.allocatable_absolute;
  in.config = ResizeConfigOf(parts.config);
  in.config.cgroup = parts.cgroups;
  in.other_pods.reserve(state_.pods.size());
  for (const auto& [key, other] : state_.pods) {
    if (key != uid) in.other_pods.push_back(other.pod);
  }
  in.pod = after;
  in.allocation = AllocationOf(admitted);
  in.static_pod = static_pod;
  in.admit = [&parts](const Pod& pod, std::span<const Pod> others) {
    return FitPodToNode(parts.allocatable, pod, others, parts.fit_options).result;
  };
  d.feasibility = CanResizePod(in);
  if (!d.feasibility.feasible) return d;
  PODALLOC_RETURN_IF_ERROR(ExclusiveResourcesUnchanged(parts, state_, uid, admitted, after));

  ResizePlanSettings settings;
  settings.cgroup = parts.cgroups;
  settings.container_weight_mapping = CpuWeightMapping::kQuadratic;
  const QosClass admitted_qos = GetPodQos(admitted, parts.qos);
  for (const Container* c : ResizableContainers(admitted)) {
    ContainerPlacement p = PlacementOf(parts, state_, uid, admitted, admitted_qos, *c);
    settings.pod_has_exclusive_cpus =
        settings.pod_has_exclusive_cpus || p.isolation == IsolationLevel::kContainer;
    settings.old_placements[c->name] = p;
    settings.new_placements[c->name] = std::move(p);
  }
  PODALLOC_ASSIGN_OR_RETURN(d.plan, PlanResize(admitted, after, usage, settings));

  // A container restarted for the resize comes back with the new values; writing them into
  // the old container first would only race the restart.
  const std::vector<const Container*> before_list = ResizableContainers(admitted);
  const std::vector<const Container*> after_list = ResizableContainers(after);
  for (size_t i = 0; i < before_list.size(); ++i) {
    if (ResizeRestartsContainer(*before_list[i], *after_list[i])) {
      d.restarted_containers.push_back(after_list[i]->name);
    }
  }
  const std::set<std::string_view> restarted(d.restarted_containers.begin(),
                                              d.restarted_containers.end());
  std::erase_if(d.plan.writes,
                [&](const CgroupWrite& w) { return restarted.contains(w.cgroup); });
  if (resized != nullptr) *resized = std::move(after);
  return d;
}

absl::StatusOr<ResizeDecision> Node::CheckResize(const Pod& desired, const ResizeUsage* usage,
                                                 bool static_pod) const {
  internal::RwReaderLock lock(&mu_);
  return PlanResizeLocked(desired, usage, static_pod, nullptr);
}

absl::StatusOr<ResizeDecision> Node::Resize(const Pod& desired, const ResizeUsage* usage,
                                            bool static_pod) {
  internal::RwWriterLock lock(&mu_);
  Pod resized;
  PODALLOC_ASSIGN_OR_RETURN(ResizeDecision d,
                            PlanResizeLocked(desired, usage, static_pod, &resized));
  const ResizeFeasibility& f = d.feasibility;
  if (f.reason == ResizeReason::kInfeasible && !f.reason_detail.empty()) {
    internal::Count(metrics_, internal::InfeasibleResizes(f.reason_detail));
  }
  PodRecord& record = state_.pods.at(d.pod_uid);
  if (!f.feasible || d.plan.refused || resized == record.pod) return d;
  // SetAllocatedResources: the record is the checkpointed allocation.
  record.pod = std::move(resized);
  fit_usage_->Set(d.pod_uid, PodFitRequest(record.pod, parts_->fit_options));
  ++version_;
  d.applied = true;
  return d;
}

}  // namespace podalloc
