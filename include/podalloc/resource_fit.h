// File: podalloc/resource_fit.h
// Does a pod fit the node at all: the resource part of the kubelet's predicate admit handler
// (pkg/kubelet/lifecycle/predicate.go), which trims the requests the node cannot know about
// and runs the scheduler's fitsRequest (pkg/scheduler/framework/plugins/noderesources/fit.go)
// against node allocatable and the other admitted pods, then turns the first failure into the
// kubelet's OutOf<resource> rejection.
//
// Pure functions over values (reentrant). Amounts are in the units the kubelet compares:
// cpu in millicores, everything else in whole units, both rounded up.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "podalloc/internal/checked_math.h"
#include "podalloc/pod.h"
#include "podalloc/topology_manager.h"

namespace podalloc {

inline constexpr std::string_view kResourcePods = "pods";

// v1helper.IsExtendedResourceName: a domain-prefixed name outside kubernetes.io/ (and not
// "requests."-prefixed) that is a valid qualified name once "requests." is put in front,
// e.g. "example.com/foo", "nvidia.com/gpu".
bool IsExtendedResourceName(std::string_view name);
// schedutil.IsScalarResourceName: extended resources, hugepages-*, names containing
// "kubernetes.io/" and attachable-volumes-*. Resource fit counts only these beside cpu,
// memory and ephemeral-storage.
bool IsScalarResourceName(std::string_view name);

// The scheduler's framework.Resource: a resource list in the units fit compares. For node
// allocatable, `allowed_pods` is the pod number; for requests it stays 0.
struct FitResources {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  int64_t ephemeral_storage = 0;
  int64_t allowed_pods = 0;
  std::map<std::string, int64_t, std::less<>> scalar;

  // The amount of `name` (cpu in millicores; "pods" is allowed_pods); 0 when absent.
  int64_t Get(std::string_view name) const;
  // Saturating at INT64_MAX per resource (requests are never negative).
  FitResources& operator+=(const FitResources& other);
  // Some resource's sum reached INT64_MAX: -= cannot undo a += any more.
  bool Saturated() const;
  // Takes `other` away; scalar entries that reach zero are dropped.
  FitResources& operator-=(const FitResources& other);
  friend bool operator==(const FitResources&, const FitResources&) = default;
};

// Resource.Add over a list: cpu MilliValue, memory and ephemeral-storage Value, scalar names
// Value, pods into allowed_pods; any other name is ignored.
FitResources ToFitResources(const ResourceList& list);

// Node allocatable for the fit: ToFitResources, except that a list without `pods` or without
// `ephemeral-storage` sets no limit on them (a kubelet's node always states both; a machine
// description may know neither, and must not turn every pod away for it).
FitResources NodeFitAllocatable(const ResourceList& node_allocatable);

// The feature gates the fit reads, at their v1.36 defaults.
struct FitOptions {
  bool pod_level_resources = true;    // PodLevelResources: spec.resources replaces containers
  bool dra_extended_resource = true;  // DRAExtendedResource: claim-backed requests dropped
};

// computePodResourceRequest: PodRequests (app containers and sidecars summed, init containers
// at their peak, supported pod-level requests in place of the containers', overhead added),
// converted. Also what a pod adds to the node's "used" amounts once admitted.
FitResources PodFitRequest(const Pod& pod, const FitOptions& options = {});

// removeMissingExtendedResources, and with DRAExtendedResource the requests the pod's
// status.extendedResourceClaimStatus maps to their container (kubernetes#135725): those
// entries are removed from every init and app container's requests (limits stay). An
// extended resource the node lists, even at 0, is kept.
Pod WithoutUnservedRequests(const Pod& pod, const ResourceList& node_allocatable,
                            const FitOptions& options = {});
// Whether WithoutUnservedRequests would change the pod (lets callers skip the copy).
bool HasUnservedRequests(const Pod& pod, const ResourceList& node_allocatable,
                         const FitOptions& options = {});
// The extended resources some init or app container requests that `node_allocatable` does not
// list (removeMissingExtendedResources' part of WithoutUnservedRequests), ascending, each once.
std::vector<std::string> MissingExtendedResources(const Pod& pod,
                                                  const ResourceList& node_allocatable);

// One resource the pod does not fit (noderesources.InsufficientResource).
struct InsufficientResource {
  std::string resource;
  int64_t requested = 0;
  int64_t used = 0;
  int64_t capacity = 0;
  // The request alone exceeds allocatable: no eviction could make room.
  bool unresolvable = false;

  // GetInsufficientAmount: what would have to be freed, requested - (capacity - used).
  // Saturating: a saturated `used` must not wrap it.
  int64_t Shortfall() const { return internal::SaturatingAdd(requested, used - capacity); }
  friend bool operator==(const InsufficientResource&, const InsufficientResource&) = default;
};

// fitsRequest with no ignored resources and no DRA manager, as the kubelet runs it. Every
// failure, in its order: pods (other_pods + 1 above allowed_pods, checked even for a pod
// requesting nothing); then, unless the pod requests nothing, cpu, memory, ephemeral-storage
// (each only when requested > 0) and the scalar resources with a non-zero request in name
// order (Go walks a map; the kubelet's order among them is unspecified). A resource fails when
// requested > allocatable - used.
std::vector<InsufficientResource> FitsRequest(const FitResources& request,
                                              const FitResources& allocatable,
                                              const FitResources& used, int64_t other_pods);

// The kubelet's rejection for a failure: reason OutOfcpu, OutOfmemory,
// OutOfephemeral-storage, OutOfpods or OutOf<name>; message "Node didn't have enough resource:
// <name>, requested: <r>, used: <u>, capacity: <c>".
AdmitResult InsufficientResourceRejection(const InsufficientResource& failure);

// The resource part of the predicate admit handler for `pod` against `other_pods` (at their
// allocated sizes): unserved requests trimmed, FitsRequest against NodeFitAllocatable, the
// first failure as the result.
struct ResourceFitVerdict {
  AdmitResult result;
  std::vector<InsufficientResource> insufficient;
  friend bool operator==(const ResourceFitVerdict&, const ResourceFitVerdict&) = default;
};
ResourceFitVerdict FitPodToNode(const ResourceList& node_allocatable, const Pod& pod,
                                std::span<const Pod> other_pods, const FitOptions& options = {});

// GetResourceRequest (pkg/api/v1/resource): a pod's request of one resource as eviction
// ranking and critical-pod preemption read it: the pod-level value when pod-level resources
// are set, else the container aggregate, then overhead added when the total is non-zero.
// cpu in millicores, else units; "pods" is 1.
int64_t PodResourceRequest(const Pod& pod, std::string_view resource, bool pod_level_resources);

}  // namespace podalloc
