// canResizePod (pkg/kubelet/allocation/allocation_manager.go) with the gate and static-pod
// rejections handlePodResourcesResize applies before it.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "podalloc/pod_resources.h"
#include "podalloc/qos.h"
#include "podalloc/resize.h"

namespace podalloc {
namespace {

ResizeFeasibility Infeasible(std::string message, std::string reason_detail) {
  return ResizeFeasibility{false, ResizeReason::kInfeasible, std::move(message),
                           std::move(reason_detail)};
}

// guaranteedPodResourceResizeRequired: only containers that can be resized in place (app
// containers and sidecars) count, and a missing key compares as zero. Requests suffice
// because a Guaranteed pod's requests equal its limits.
bool ResourceResizeRequired(const Pod& pod, const PodAllocation& allocation,
                            std::string_view resource) {
  auto differs = [&](const Container& c) {
    ResourceList allocated_requests;
    if (auto it = allocation.containers.find(c.name); it != allocation.containers.end()) {
      allocated_requests = it->second.requests;
    }
    return ResourceOrZero(c.resources.requests, resource) !=
           ResourceOrZero(allocated_requests, resource);
  };
  for (const Container& c : pod.init_containers) {
    if (IsSidecar(c) && differs(c)) return true;
  }
  for (const Container& c : pod.containers) {
    if (differs(c)) return true;
  }
  return false;
}

// The allocated pod (UpdatePodFromAllocation): the desired pod with each allocated
// container's resources, and the allocated pod-level resources when they were kept.
Pod AllocatedPod(const Pod& desired, const PodAllocation& allocation) {
  Pod allocated = desired;
  for (auto* list : {&allocated.containers, &allocated.init_containers}) {
    for (Container& c : *list) {
      if (auto it = allocation.containers.find(c.name); it != allocation.containers.end()) {
        c.resources = it->second;
      }
    }
  }
  if (allocation.pod_level.has_value()) allocated.resources = allocation.pod_level;
  return allocated;
}

// disallowResizeForSwappableContainers: swap is sized from the memory request when a
// container starts, so changing the request in place of a container that swaps (before or
// after) is refused unless the container restarts for memory resizes.
bool SwapBlocksResize(const ResizeFeasibilityInputs& in) {
  const NodeCgroupSettings& settings = in.config.cgroup;
  if (settings.swap.behavior == SwapBehavior::kNoSwap) return false;  // nobody swaps
  const Pod allocated = AllocatedPod(in.pod, in.allocation);
  auto restarts_for_memory = [](const Container& c) {
    for (const ContainerResizePolicy& p : c.resize_policy) {
      if (p.resource_name == kResourceMemory) return p.restart_policy == "RestartContainer";
    }
    return false;
  };
  for (const auto* list : {&in.pod.containers, &in.pod.init_containers}) {
    for (const Container& desired : *list) {
      const Container* current = FindContainer(allocated, desired.name);
      if (current == nullptr) continue;
      if (ResourceOrZero(desired.resources.requests, kResourceMemory) ==
              ResourceOrZero(current->resources.requests, kResourceMemory) ||
          restarts_for_memory(*current)) {
        continue;
      }
      if (ContainerSwapBehavior(in.pod, desired, settings) != SwapBehavior::kNoSwap ||
          ContainerSwapBehavior(allocated, *current, settings) != SwapBehavior::kNoSwap) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::string_view ResizeReasonName(ResizeReason reason) {
  switch (reason) {
    case ResizeReason::kInfeasible:
      return "Infeasible";
    case ResizeReason::kDeferred:
      return "Deferred";
    case ResizeReason::kNone:
      break;
  }
  return "";
}

AdmitResult AdmitByResourceFit(const ResourceList& node_allocatable, const Pod& pod,
                               std::span<const Pod> other_pods) {
  return FitPodToNode(node_allocatable, pod, other_pods).result;
}

ResizeFeasibility CanResizePod(const ResizeFeasibilityInputs& in) {
  const ResizeNodeConfig& cfg = in.config;
  // IsInPlacePodVerticalScalingAllowed and its pod-level sibling (allocation/features_linux.go),
  // with the reason_detail labels the resize admit handler counts them under.
  if (!cfg.in_place_pod_vertical_scaling) {
    return Infeasible("InPlacePodVerticalScaling is disabled", "feature_gate_off");
  }
  if (in.static_pod) {
    return Infeasible("In-place resize of static-pods is not supported", "static_pod");
  }
  if (SwapBlocksResize(in)) {
    return Infeasible("In-place resize of containers with swap is not supported.",
                      "swap_limitation");
  }
  if (!cfg.in_place_pod_level_resources_vertical_scaling &&
      in.pod.resources.value_or(ResourceRequirements{}) !=
          in.allocation.pod_level.value_or(ResourceRequirements{})) {
    return Infeasible("InPlacePodLevelResourcesVerticalScaling is disabled", "feature_gate_off");
  }

  QosOptions qos_options;
  qos_options.pod_level_resources = cfg.pod_level_resources;
  if (GetPodQos(in.pod, qos_options) == QosClass::kGuaranteed) {
    if (!cfg.in_place_pod_vertical_scaling_exclusive_cpus && cfg.cpu_manager_static &&
        ResourceResizeRequired(in.pod, in.allocation, kResourceCpu)) {
      return Infeasible(
          "Resize is infeasible for Guaranteed Pods alongside CPU Manager policy \"static\"",
          "guaranteed_pod_cpu_manager_static_policy");
    }
    if (cfg.memory_manager && !cfg.in_place_pod_vertical_scaling_exclusive_memory &&
        cfg.memory_manager_static &&
        ResourceResizeRequired(in.pod, in.allocation, kResourceMemory)) {
      return Infeasible(
          "Resize is infeasible for Guaranteed Pods alongside Memory Manager policy \"Static\"",
          "guaranteed_pod_memory_manager_static_policy");
    }
  }

  const int64_t cpu_available = ResourceOrZero(in.node_allocatable, kResourceCpu).MilliValue();
  const int64_t mem_available = ResourceOrZero(in.node_allocatable, kResourceMemory).Value();
  const int64_t cpu_requested = PodResourceRequest(in.pod, kResourceCpu, cfg.pod_level_resources);
  const int64_t mem_requested =
      PodResourceRequest(in.pod, kResourceMemory, cfg.pod_level_resources);
  if (mem_requested > mem_available) {
    return Infeasible(absl::StrCat("Node didn't have enough capacity: memory, requested: ",
                                   mem_requested, ", capacity: ", mem_available),
                      "insufficient_node_allocatable");
  }
  if (cpu_requested > cpu_available) {
    return Infeasible(absl::StrCat("Node didn't have enough capacity: cpu, requested: ",
                                   cpu_requested, ", capacity: ", cpu_available),
                      "insufficient_node_allocatable");
  }

  AdmitResult admitted;
  if (in.admit_result.has_value()) {
    admitted = *in.admit_result;
  } else {
    // canAdmitPod drops the pod itself from the others before asking the handlers.
    std::vector<Pod> others;
    others.reserve(in.other_pods.size());
    for (const Pod& p : in.other_pods) {
      if (in.pod.uid.empty() || p.uid != in.pod.uid) others.push_back(p);
    }
    admitted = in.admit ? in.admit(in.pod, others)
                        : AdmitByResourceFit(in.node_allocatable, in.pod, others);
  }
  if (!admitted.admit) {
    return ResizeFeasibility{false, ResizeReason::kDeferred, admitted.message, ""};
  }
  return ResizeFeasibility{true, ResizeReason::kNone, "", ""};
}

std::vector<const Container*> ResizableContainers(const Pod& pod) {
  std::vector<const Container*> out;
  for (const Container& c : pod.init_containers) {
    if (IsSidecar(c)) out.push_back(&c);
  }
  for (const Container& c : pod.containers) out.push_back(&c);
  return out;
}

bool ResizeRestartsContainer(const Container& old_container, const Container& new_container) {
  auto policy_for = [&](std::string_view resource) -> std::string_view {
    for (const ContainerResizePolicy& p : new_container.resize_policy) {
      if (p.resource_name == resource) return p.restart_policy;
    }
    return "NotRequired";
  };
  for (std::string_view resource : {kResourceCpu, kResourceMemory}) {
    const ResourceRequirements& a = old_container.resources;
    const ResourceRequirements& b = new_container.resources;
    const bool changed = ResourceOrZero(a.requests, resource) != ResourceOrZero(b.requests, resource) ||
                         ResourceOrZero(a.limits, resource) != ResourceOrZero(b.limits, resource);
    if (changed && policy_for(resource) == "RestartContainer") return true;
  }
  return false;
}

}  // namespace podalloc
