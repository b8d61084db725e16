// File: podalloc/pod.h
// The part of a Kubernetes v1 Pod that node-level resource allocation reads: identity,
// containers (init, sidecar, app, ephemeral) with their requests and limits, pod overhead,
// pod-level `spec.resources`, and the status fields in-place resize accounting needs. It
// mirrors the fields of k8s.io/api/core/v1 types.go that the kubelet's cm/ and allocation/
// packages use; everything else in a Pod is ignored.
//
// All types are plain values (copyable, comparable, thread-compatible). Resource lists are
// sorted maps so iteration, and so every output derived from them, is deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/quantity.h"

namespace podalloc {

// Resource names the allocation code looks up (v1.ResourceName constants).
inline constexpr std::string_view kResourceCpu = "cpu";
inline constexpr std::string_view kResourceMemory = "memory";
inline constexpr std::string_view kResourceEphemeralStorage = "ephemeral-storage";
inline constexpr std::string_view kResourceHugepages2Mi = "hugepages-2Mi";
inline constexpr std::string_view kResourceHugepages1Gi = "hugepages-1Gi";
inline constexpr std::string_view kResourceHugepagesPrefix = "hugepages-";

// v1.ResourceList: resource name -> quantity, sorted by name. A missing key is not a zero.
using ResourceList = std::map<std::string, Quantity, std::less<>>;

// Looks up `name`; nullptr when absent.
const Quantity* FindResource(const ResourceList& list, std::string_view name);
// The value of `name`, or zero when absent (Go's zero-value map read).
Quantity ResourceOrZero(const ResourceList& list, std::string_view name);
// True for "hugepages-<size>" names.
bool IsHugepagesResource(std::string_view name);

// v1.ResourceRequirements. Kubernetes treats a nil and an empty list alike here.
struct ResourceRequirements {
  ResourceList requests;
  ResourceList limits;

  friend bool operator==(const ResourceRequirements&, const ResourceRequirements&) = default;
};

// v1.ContainerResizePolicy: what a resize of `resource_name` does to the container.
struct ContainerResizePolicy {
  std::string resource_name;
  std::string restart_policy;  // "NotRequired" or "RestartContainer"

  friend bool operator==(const ContainerResizePolicy&, const ContainerResizePolicy&) = default;
};

// v1.Container (the resource-relevant subset).
struct Container {
  std::string name;
  ResourceRequirements resources;
  // `restartPolicy`; "" when absent. "Always" on an init container makes it a sidecar
  // (restartable init container, KEP-753).
  std::string restart_policy;
  std::vector<ContainerResizePolicy> resize_policy;

  friend bool operator==(const Container&, const Container&) = default;
};

// v1.ContainerStatus (the resource-relevant subset). The optionals keep Go's nil/non-nil
// distinction, which PodRequests/PodLimits with status resources depend on.
struct ContainerStatus {
  std::string name;
  std::optional<ResourceList> allocated_resources;  // status.*ContainerStatuses[].allocatedResources
  // status.*ContainerStatuses[].resources: what the runtime reports as applied.
  std::optional<ResourceList> resources_requests;
  std::optional<ResourceList> resources_limits;

  friend bool operator==(const ContainerStatus&, const ContainerStatus&) = default;
};

// v1.PodCondition (type, status, reason, message).
struct PodCondition {
  std::string type;
  std::string status;
  std::string reason;
  std::string message;

  friend bool operator==(const PodCondition&, const PodCondition&) = default;
};

// v1.ContainerExtendedResourceRequest: one extended-resource request of a container that the
// scheduler satisfied through the pod's generated DRA claim (DRAExtendedResource).
struct ExtendedResourceRequestMapping {
  std::string container_name;
  std::string resource_name;
  std::string request_name;

  friend bool operator==(const ExtendedResourceRequestMapping&,
                         const ExtendedResourceRequestMapping&) = default;
};

// v1.PodStatus (the resource-relevant subset).
struct PodStatus {
  // status.qosClass as written ("Guaranteed", "Burstable", "BestEffort"), "" when unset.
  std::string qos_class;
  std::vector<ContainerStatus> container_statuses;
  std::vector<ContainerStatus> init_container_statuses;
  std::vector<ContainerStatus> ephemeral_container_statuses;
  std::vector<PodCondition> conditions;
  // Pod-level status of in-place pod-level resize (KEP-5419): status.resources and
  // status.allocatedResources.
  std::optional<ResourceList> resources_requests;
  std::optional<ResourceList> resources_limits;
  bool has_resources = false;  // status.resources was present (it may hold neither list)
  std::optional<ResourceList> allocated_resources;
  // status.extendedResourceClaimStatus.requestMappings.
  std::vector<ExtendedResourceRequestMapping> extended_resource_request_mappings;

  friend bool operator==(const PodStatus&, const PodStatus&) = default;
};

// v1.Pod (the resource-relevant subset).
struct Pod {
  // metadata
  std::string name;
  std::string namespace_name;
  std::string uid;
  // The annotations the kubelet tells static and mirror pods by: kubernetes.io/config.source
  // ("" when absent; a value other than "api" marks a static pod) and the presence of
  // kubernetes.io/config.mirror.
  std::string config_source;
  bool mirror = false;

  // spec
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  std::vector<Container> ephemeral_containers;
  ResourceList overhead;
  // spec.resources (pod-level resources, KEP-2837); nullopt when the field is absent.
  std::optional<ResourceRequirements> resources;
  // spec.priority (filled in by the API server's Priority admission); nullopt when absent.
  std::optional<int32_t> priority;

  PodStatus status;

  friend bool operator==(const Pod&, const Pod&) = default;
};

// The kubelet's critical pods (pkg/kubelet/types IsCriticalPod): static pods (a config source
// other than "api"), mirror pods, and priority at or above 2000000000
// (system-cluster-critical, system-node-critical).
inline constexpr int32_t kSystemCriticalPriority = 2000000000;
// A static pod: its kubernetes.io/config.source annotation names a source other than "api".
bool IsStaticPod(const Pod& pod);
// A mirror pod: it carries the kubernetes.io/config.mirror annotation.
inline bool IsMirrorPod(const Pod& pod) { return pod.mirror; }
bool IsCriticalPod(const Pod& pod);

// True for an init container with restartPolicy "Always" (podutil.IsRestartableInitContainer).
inline bool IsSidecar(const Container& c) { return c.restart_policy == "Always"; }

// The container named `name` among init, app and ephemeral containers; nullptr if none.
const Container* FindContainer(const Pod& pod, std::string_view name);
// The status entry for `name` among status.containerStatuses then initContainerStatuses
// (the order component-helpers searches); nullptr if none.
const ContainerStatus* FindContainerStatus(const Pod& pod, std::string_view name);

// SetDefaults_Pod's container rule: for init and app containers, each limit without a
// request of the same resource is copied into the requests. The API server applies it
// before storing a pod, so pods read back from it already carry it; hand-written
// manifests may not. ParsePod applies it, with the rest of the API server's resource
// defaulting (podalloc/pod_defaults.h).
void DefaultContainerRequests(Pod& pod);

// Parses a Kubernetes v1 Pod JSON document (apiVersion/kind optional; unknown fields
// ignored). Quantities may be strings or JSON numbers. Beyond syntax it enforces the API
// validation rules allocation relies on: container names present and unique across init,
// app and ephemeral containers; requests, limits and overhead not negative; a request not
// above its limit; hugepages requests equal to their limits. Errors are InvalidArgument
// naming the JSON path and the offending value, e.g.
// `spec.containers[1].resources.limits.cpu: "abc" is not a quantity`.
// The pod is defaulted as the API server would before it is validated; podalloc/pod_json.h
// has the overload with PodParseOptions to read a pod exactly as written.
[[nodiscard]] absl::StatusOr<Pod> ParsePod(std::string_view json);

}  // namespace podalloc
