// File: podalloc/pod_resources.h
// Effective pod requests and limits: what the scheduler and the kubelet charge a pod for.
// Mirrors k8s.io/component-helpers/resource/helpers.go (PodRequests, PodLimits and the
// aggregation behind them): init containers count at their peak, sidecars (restartable
// init containers) add up cumulatively, pod overhead is added, and supported pod-level
// resources (`spec.resources`: cpu, memory, hugepages-*) replace the container aggregate.
//
// Pure functions over Pod values; results are sorted maps.
#pragma once

#include <string_view>

#include "podalloc/pod.h"

namespace podalloc {

// PodResourcesOptions (the fields that do not depend on DRA claim status).
struct PodResourcesOptions {
  // Resize-aware accounting: the per-resource max of the spec, allocated
  // (status.*ContainerStatuses[].allocatedResources) and actuated (status ... resources)
  // aggregates. Only meaningful with InPlacePodVerticalScaling.
  bool use_status_resources = false;
  // InPlacePodLevelResourcesVerticalScaling: pod-level status maps stand in for container
  // statuses when populated, and bound pod-level values.
  bool in_place_pod_level_resources_vertical_scaling = false;
  // Leave spec.overhead out.
  bool exclude_overhead = false;
  // Substituted for a container's missing request keys (requests only; an explicit zero
  // is kept).
  ResourceList non_missing_container_requests;
  // Ignore spec.resources (callers set this when the PodLevelResources gate is off).
  bool skip_pod_level_resources = false;
  // Ignore containers (requests only), leaving pod-level values and overhead.
  bool skip_container_level_resources = false;
};

// cpu, memory and hugepages-* (IsSupportedPodLevelResource).
bool IsSupportedPodLevelResource(std::string_view name);
// spec.resources has at least one supported key in requests or limits.
bool IsPodLevelResourcesSet(const Pod& pod);
// ... in requests / in limits.
bool IsPodLevelRequestsSet(const Pod& pod);
bool IsPodLevelLimitsSet(const Pod& pod);

// The first PodResizePending condition has reason Infeasible / Deferred.
bool IsPodResizeInfeasible(const Pod& pod);
bool IsPodResizeDeferred(const Pod& pod);

// Container-level aggregates (sidecar-aware), without pod-level values or overhead.
ResourceList AggregateContainerRequests(const Pod& pod, const PodResourcesOptions& options = {});
ResourceList AggregateContainerLimits(const Pod& pod, const PodResourcesOptions& options = {});

// The pod's effective requests: container aggregate, overridden per supported key by
// pod-level requests, plus overhead on every key (adding keys).
ResourceList PodRequests(const Pod& pod, const PodResourcesOptions& options = {});
// The pod's effective limits: container aggregate, overridden per supported key by
// pod-level limits when pod-level resources are set, plus overhead on non-zero limits only.
ResourceList PodLimits(const Pod& pod, const PodResourcesOptions& options = {});

}  // namespace podalloc
