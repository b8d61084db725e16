// File: podalloc/resize.h
// In-place resize of a running pod (KEP-1287, pod-level KEP-5419): whether the kubelet would
// accept a resize now (accepted, Deferred: could fit later, Infeasible: never fits on this
// node) and, once accepted, the cgroup writes that carry it out in a safe order. Mirrors
// pkg/kubelet/allocation/allocation_manager.go (canResizePod, handlePodResourcesResize) and
// the actuation order of pkg/kubelet/kuberuntime/kuberuntime_manager.go (doPodResizeAction).
//
// Pure functions over explicit inputs (reentrant); the node plugs in its own admission.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/pod.h"
#include "podalloc/resource_fit.h"
#include "podalloc/topology_manager.h"

namespace podalloc {

// ---------------------------------------------------------------------------------------
// Feasibility
// ---------------------------------------------------------------------------------------

// v1.PodReasonInfeasible / v1.PodReasonDeferred (the PodResizePending condition's reason).
enum class ResizeReason { kNone, kInfeasible, kDeferred };
// "", "Infeasible", "Deferred".
std::string_view ResizeReasonName(ResizeReason reason);

// The kubelet settings and feature gates canResizePod reads.
struct ResizeNodeConfig {
  bool cpu_manager_static = false;     // --cpu-manager-policy=static
  bool memory_manager_static = false;  // --memory-manager-policy=Static
  // Gates at their v1.36 defaults.
  bool in_place_pod_vertical_scaling = true;
  bool in_place_pod_vertical_scaling_exclusive_cpus = false;
  bool in_place_pod_vertical_scaling_exclusive_memory = false;
  bool in_place_pod_level_resources_vertical_scaling = true;  // beta in v1.36
  bool memory_manager = true;
  bool pod_level_resources = true;
  // The settings the swap rule reads through ContainerSwapBehavior (memorySwap behaviour,
  // swap controller, cgroup version). The default (NoSwap) never refuses a resize.
  NodeCgroupSettings cgroup;
};

// A container's checkpointed allocation (state.PodResourceInfo).
struct PodAllocation {
  // Container name -> allocated requests/limits, for app containers and sidecars.
  std::map<std::string, ResourceRequirements, std::less<>> containers;
  // Allocated pod-level spec.resources (kept only with the pod-level resize gate).
  std::optional<ResourceRequirements> pod_level;

  friend bool operator==(const PodAllocation&, const PodAllocation&) = default;
};

// AdmitResult (lifecycle.PodAdmitResult) is the topology manager's: one type for every admit
// handler, so a node can hand its own admission answers to CanResizePod.
// The node's admit handlers run over the desired pod and the other pods at their allocated
// sizes; the first rejection wins. Must be pure for CanResizePod to stay pure.
using AdmitHandlers = std::function<AdmitResult(const Pod& pod, std::span<const Pod> other_pods)>;

// The resource-fit admit handler: FitPodToNode (podalloc/resource_fit.h) at the v1.36 gate
// defaults, its result only.
AdmitResult AdmitByResourceFit(const ResourceList& node_allocatable, const Pod& pod,
                               std::span<const Pod> other_pods);

struct ResizeFeasibilityInputs {
  // nodeAllocatableAbsolute: allocatable (capacity minus reservations), not what is free.
  ResourceList node_allocatable;
  ResizeNodeConfig config;
  // The other active pods with their allocation applied to their spec. The pod being
  // resized is left out by UID when present.
  std::vector<Pod> other_pods;
  // The desired pod (spec holds the new resources).
  Pod pod;
  PodAllocation allocation;
  // A static (config-file) pod: never resized in place.
  bool static_pod = false;
  // The admit handlers of the Deferred check; empty means AdmitByResourceFit.
  AdmitHandlers admit;
  // Instead of calling `admit`, use this answer (a precomputed admission).
  std::optional<AdmitResult> admit_result;
};

struct ResizeFeasibility {
  bool feasible = false;
  ResizeReason reason = ResizeReason::kNone;  // kNone when feasible
  std::string message;                        // the PodResizePending condition message
  // Label of kubelet_pod_infeasible_resizes_total{reason_detail} for the Infeasible
  // outcomes: feature_gate_off, static_pod, swap_limitation,
  // guaranteed_pod_cpu_manager_static_policy,
  // guaranteed_pod_memory_manager_static_policy, insufficient_node_allocatable; "" for
  // Deferred and feasible.
  std::string reason_detail;

  friend bool operator==(const ResizeFeasibility&, const ResizeFeasibility&) = default;
};

// canResizePod, preceded by handlePodResourcesResize's gate and static-pod rejections:
//  1. gate InPlacePodVerticalScaling off / static pod -> Infeasible; a container (app or
//     init) whose memory request changes, whose allocated resizePolicy for memory is not
//     RestartContainer, and whose swap behaviour (ContainerSwapBehavior, on the desired and on
//     the allocated pod) is not NoSwap -> Infeasible "In-place resize of containers with swap
//     is not supported." (swap_limitation); a changed pod-level spec.resources (against
//     `allocation.pod_level`) with InPlacePodLevelResourcesVerticalScaling off -> Infeasible;
//  2. Guaranteed pod, static CPU manager, ExclusiveCPUs gate off, and some app container or
//     sidecar's CPU request differs from its allocation -> Infeasible;
//  3. the same for the memory request with the MemoryManager gate, the Static memory
//     manager and the ExclusiveMemory gate off -> Infeasible;
//  4. the pod's cpu (millicores) or memory (bytes) request above node allocatable ->
//     Infeasible, memory reported when it is over, else cpu;
//  5. the admit handlers reject beside the other pods -> Deferred with their message;
//  6. otherwise feasible.
// Containers without their own limits inherit the pod-level budget, so a pod-level change
// is judged on the pod's effective request. Nothing is modified; the node commits the new
// allocation only when `feasible`.
ResizeFeasibility CanResizePod(const ResizeFeasibilityInputs& inputs);

// ---------------------------------------------------------------------------------------
// Resize policy
// ---------------------------------------------------------------------------------------

// The containers the kubelet resizes in place (IsResizableContainer): sidecars in init order,
// then app containers. Pointers into `pod`.
std::vector<const Container*> ResizableContainers(const Pod& pod);

// What resizing `container` does for each changed resource: the container's resizePolicy
// for that resource ("NotRequired" when absent). A resize restarts the container when any
// changed resource says "RestartContainer".
bool ResizeRestartsContainer(const Container& old_container, const Container& new_container);

// ---------------------------------------------------------------------------------------
// Actuation plan
// ---------------------------------------------------------------------------------------

// One write: `cgroup` is relative to the pod cgroup ("" = the pod cgroup itself, else the
// container's name), `file` a cgroup v2 interface file.
struct CgroupWrite {
  std::string cgroup;
  std::string file;
  std::string value;

  friend bool operator==(const CgroupWrite&, const CgroupWrite&) = default;
};

// Current memory usage in bytes (memory.current), when known.
struct ResizeUsage {
  std::optional<int64_t> pod_memory;
  std::map<std::string, int64_t, std::less<>> container_memory;
};

struct ResizePlanSettings {
  NodeCgroupSettings cgroup;
  CpuWeightMapping container_weight_mapping = CpuWeightMapping::kLinear;
  // Placement per container (cpuset, isolation level); absent = shared pool of the host.
  std::map<std::string, ContainerPlacement, std::less<>> old_placements;
  std::map<std::string, ContainerPlacement, std::less<>> new_placements;
  bool pod_has_exclusive_cpus = false;
};

struct ResizePlan {
  // Refused: a memory limit would drop to or below current usage. `writes` is then empty.
  bool refused = false;
  std::string refusal;
  std::vector<CgroupWrite> writes;

  friend bool operator==(const ResizePlan&, const ResizePlan&) = default;
};

// The ordered writes taking the pod from `old_pod`'s resources to `new_pod`'s (same
// containers, matched by name). Memory first, then CPU (doPodResizeAction); within each:
// pod cgroup files that grow, container files that shrink, pod files that shrink,
// container files that grow. Unchanged files are not written. Errors: InvalidArgument when
// the pods' containers differ or settings are invalid.
[[nodiscard]] absl::StatusOr<ResizePlan> PlanResize(const Pod& old_pod, const Pod& new_pod,
                                                    const ResizeUsage* usage,
                                                    const ResizePlanSettings& settings);

}  // namespace podalloc
