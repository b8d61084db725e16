// A pod's requests and the node's allocatable in the units resource fit compares
// (framework.Resource), and the requests the kubelet leaves out before fitting
// (removeMissingExtendedResources in pkg/kubelet/lifecycle/predicate.go).
#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "podalloc/internal/checked_math.h"
#include "podalloc/pod_resources.h"
#include "podalloc/resource_fit.h"

namespace podalloc {
namespace {

// The implicit extended resource of a DRA device class (resourceapi.ResourceDeviceClassPrefix).
constexpr std::string_view kDeviceClassPrefix = "deviceclass.resource.kubernetes.io/";

// IsDRAExtendedResourceName: the names a scheduler-made claim can stand in for.
bool IsDraExtendedResourceName(std::string_view name) {
  return IsExtendedResourceName(name) ||
         name.substr(0, kDeviceClassPrefix.size()) == kDeviceClassPrefix;
}

// The request mapped to `container` through the pod's extended-resource claim.
bool MappedToClaim(const Pod& pod, std::string_view container, std::string_view resource) {
  const auto& mappings = pod.status.extended_resource_request_mappings;
  return std::any_of(mappings.begin(), mappings.end(), [&](const ExtendedResourceRequestMapping& m) {
    return m.container_name == container && m.resource_name == resource;
  });
}

// removeMissingExtendedResources: an extended resource the node does not list.
bool Missing(std::string_view name, const ResourceList& node_allocatable) {
  return IsExtendedResourceName(name) && FindResource(node_allocatable, name) == nullptr;
}

bool Unserved(const Pod& pod, const Container& c, std::string_view name,
              const ResourceList& node_allocatable, const FitOptions& options) {
  if (Missing(name, node_allocatable)) return true;
  return options.dra_extended_resource && IsDraExtendedResourceName(name) &&
         MappedToClaim(pod, c.name, name);
}

}  // namespace

int64_t FitResources::Get(std::string_view name) const {
  if (name == kResourceCpu) return milli_cpu;
  if (name == kResourceMemory) return memory;
  if (name == kResourceEphemeralStorage) return ephemeral_storage;
  if (name == kResourcePods) return allowed_pods;
  auto it = scalar.find(name);
  return it == scalar.end() ? 0 : it->second;
}

// Sums saturate: requests are never negative, so a sum at INT64_MAX stands for "more than
// any allocatable", which refuses what it should (a wrapped Go int64 can turn negative).
FitResources& FitResources::operator+=(const FitResources& o) {
  milli_cpu = internal::SaturatingAdd(milli_cpu, o.milli_cpu);
  memory = internal::SaturatingAdd(memory, o.memory);
  ephemeral_storage = internal::SaturatingAdd(ephemeral_storage, o.ephemeral_storage);
  allowed_pods = internal::SaturatingAdd(allowed_pods, o.allowed_pods);
  for (const auto& [name, v] : o.scalar) scalar[name] = internal::SaturatingAdd(scalar[name], v);
  return *this;
}

bool FitResources::Saturated() const {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (milli_cpu == kMax || memory == kMax || ephemeral_storage == kMax || allowed_pods == kMax) {
    return true;
  }
  for (const auto& [name, v] : scalar) {
    if (v == kMax) return true;
  }
  return false;
}

FitResources& FitResources::operator-=(const FitResources& o) {
  milli_cpu -= o.milli_cpu;
  memory -= o.memory;
  ephemeral_storage -= o.ephemeral_storage;
  allowed_pods -= o.allowed_pods;
  for (const auto& [name, v] : o.scalar) {
    auto it = scalar.try_emplace(name, 0).first;
    it->second -= v;
    if (it->second == 0) scalar.erase(it);
  }
  return *this;
}

FitResources ToFitResources(const ResourceList& list) {
  FitResources r;
  for (const auto& [name, q] : list) {
    if (name == kResourceCpu) {
      r.milli_cpu = internal::SaturatingAdd(r.milli_cpu, q.MilliValue());
    } else if (name == kResourceMemory) {
      r.memory = internal::SaturatingAdd(r.memory, q.Value());
    } else if (name == kResourceEphemeralStorage) {
      r.ephemeral_storage = internal::SaturatingAdd(r.ephemeral_storage, q.Value());
    } else if (name == kResourcePods) {
      r.allowed_pods = internal::SaturatingAdd(r.allowed_pods, q.Value());
    } else if (IsScalarResourceName(name)) {
      r.scalar[name] = internal::SaturatingAdd(r.scalar[name], q.Value());
    }
  }
  return r;
}

FitResources PodFitRequest(const Pod& pod, const FitOptions& options) {
  PodResourcesOptions o;
  o.skip_pod_level_resources = !options.pod_level_resources;
  FitResources r = ToFitResources(PodRequests(pod, o));
  r.allowed_pods = 0;  // a "pods" request means nothing to the fit
  return r;
}

bool HasUnservedRequests(const Pod& pod, const ResourceList& node_allocatable,
                         const FitOptions& options) {
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) {
      for (const auto& [name, q] : c.resources.requests) {
        if (Unserved(pod, c, name, node_allocatable, options)) return true;
      }
    }
  }
  return false;
}

std::vector<std::string> MissingExtendedResources(const Pod& pod,
                                                  const ResourceList& node_allocatable) {
  std::set<std::string> names;
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) {
      for (const auto& [name, q] : c.resources.requests) {
        if (Missing(name, node_allocatable)) names.insert(name);
      }
    }
  }
  return {names.begin(), names.end()};
}

Pod WithoutUnservedRequests(const Pod& pod, const ResourceList& node_allocatable,
                            const FitOptions& options) {
  Pod out = pod;
  for (auto* list : {&out.init_containers, &out.containers}) {
    for (Container& c : *list) {
      std::erase_if(c.resources.requests, [&](const auto& entry) {
        return Unserved(pod, c, entry.first, node_allocatable, options);
      });
    }
  }
  return out;
}

int64_t PodResourceRequest(const Pod& pod, std::string_view resource, bool pod_level_resources) {
  if (resource == kResourcePods) return 1;
  PodResourcesOptions options;
  options.exclude_overhead = true;
  options.skip_pod_level_resources = !pod_level_resources;
  // With pod-level resources set, only the pod-level values count (containers inherit from
  // the pod budget), so a key missing there is a zero request.
  options.skip_container_level_resources = pod_level_resources && IsPodLevelResourcesSet(pod);
  Quantity total = ResourceOrZero(PodRequests(pod, options), resource);
  if (!total.IsZero()) total += ResourceOrZero(pod.overhead, resource);
  return resource == kResourceCpu ? total.MilliValue() : total.Value();
}

}  // namespace podalloc
