// Effective pod requests and limits, following k8s.io/component-helpers/resource/helpers.go.
// Go distinguishes a nil resource list from an empty one in the status fallbacks; here a
// nil list is a null pointer.
#include "podalloc/pod_resources.h"

#include <initializer_list>
#include <string_view>

namespace podalloc {
namespace {

void AddInto(ResourceList& into, const ResourceList& add) {
  for (const auto& [name, q] : add) {
    auto [it, inserted] = into.emplace(name, q);
    if (!inserted) it->second += q;
  }
}

// maxResourceList: per key, the larger value (keys of `other` are added).
void MaxInto(ResourceList& into, const ResourceList& other) {
  for (const auto& [name, q] : other) {
    auto [it, inserted] = into.emplace(name, q);
    if (!inserted && q > it->second) it->second = q;
  }
}

ResourceList MaxOf(std::initializer_list<const ResourceList*> lists) {
  ResourceList result;
  for (const ResourceList* l : lists) {
    if (l != nullptr) MaxInto(result, *l);
  }
  return result;
}

// subtractResourceList: only keys already present, clamped at zero.
void SubtractClamped(ResourceList& from, const ResourceList& sub) {
  for (const auto& [name, q] : sub) {
    auto it = from.find(name);
    if (it == from.end()) continue;
    it->second -= q;
    if (it->second.Sign() < 0) it->second = Quantity();
  }
}

// Which list of a container the aggregation reads, given its status entry (or null) and
// whether the pending resize is infeasible.
using ContainerListFn = const ResourceList* (*)(const Container&, const ContainerStatus*, bool);

const ResourceList* SpecRequests(const Container& c, const ContainerStatus*, bool) {
  return &c.resources.requests;
}

const ResourceList* AllocatedRequests(const Container& c, const ContainerStatus* cs,
                                      bool infeasible) {
  if (cs != nullptr && cs->allocated_resources) return &*cs->allocated_resources;
  if (infeasible) return nullptr;
  return &c.resources.requests;
}

const ResourceList* ActuatedRequests(const Container& c, const ContainerStatus* cs,
                                     bool infeasible) {
  if (cs != nullptr && cs->resources_requests) return &*cs->resources_requests;
  if (cs != nullptr && cs->allocated_resources) return &*cs->allocated_resources;
  if (infeasible) return nullptr;
  return &c.resources.requests;
}

const ResourceList* SpecLimits(const Container& c, const ContainerStatus*, bool) {
  return &c.resources.limits;
}

const ResourceList* ActuatedLimits(const Container& c, const ContainerStatus* cs,
                                   bool infeasible) {
  if (cs != nullptr && cs->resources_limits) return &*cs->resources_limits;
  if (infeasible) return nullptr;
  return &c.resources.limits;
}

// aggregateContainerResourcesByFn: app containers summed; each sidecar adds to the sum
// and to a running sidecar total; a regular init container peaks at its own value plus the
// sidecars started before it; the result is the per-key max of the sum and the init peak.
ResourceList AggregateBy(const Pod& pod, const PodResourcesOptions& options,
                         const ResourceList* non_missing, ContainerListFn fn) {
  const bool infeasible = options.use_status_resources && IsPodResizeInfeasible(pod);
  auto list_of = [&](const Container& c) {
    const ContainerStatus* cs =
        options.use_status_resources ? FindContainerStatus(pod, c.name) : nullptr;
    const ResourceList* l = fn(c, cs, infeasible);
    ResourceList out = l != nullptr ? *l : ResourceList();
    if (non_missing != nullptr) {
      for (const auto& [name, q] : *non_missing) {
        if (l == nullptr || l->find(name) == l->end()) out[name] += q;
      }
    }
    return out;
  };
  ResourceList result;
  for (const Container& c : pod.containers) AddInto(result, list_of(c));
  ResourceList sidecars;
  ResourceList init_peak;
  for (const Container& c : pod.init_containers) {
    ResourceList own = list_of(c);
    if (IsSidecar(c)) {
      AddInto(result, own);
      AddInto(sidecars, own);
      MaxInto(init_peak, sidecars);
    } else {
      AddInto(own, sidecars);
      MaxInto(init_peak, own);
    }
  }
  MaxInto(result, init_peak);
  return result;
}

bool AnySupported(const ResourceList& list) {
  for (const auto& [name, q] : list) {
    if (IsSupportedPodLevelResource(name)) return true;
  }
  return false;
}

// effectivePodLevelResources: an infeasible resize drops the spec values.
ResourceList EffectivePodLevel(const Pod& pod, const ResourceList& spec,
                               std::initializer_list<const ResourceList*> statuses) {
  ResourceList result = IsPodResizeInfeasible(pod) ? ResourceList() : spec;
  for (const ResourceList* s : statuses) {
    if (s != nullptr) MaxInto(result, *s);
  }
  return result;
}

void ApplyPodLevel(ResourceList& result, const ResourceList& pod_level) {
  for (const auto& [name, q] : pod_level) {
    if (IsSupportedPodLevelResource(name)) result[name] = q;
  }
}

std::optional<ResourceList> WithoutOverhead(const std::optional<ResourceList>& list,
                                            const ResourceList& overhead) {
  if (!list) return std::nullopt;
  ResourceList copy = *list;
  SubtractClamped(copy, overhead);
  return copy;
}

const ResourceList* Ptr(const std::optional<ResourceList>& l) { return l ? &*l : nullptr; }

bool ResizeConditionReason(const Pod& pod, std::string_view reason) {
  for (const PodCondition& c : pod.status.conditions) {
    if (c.type == "PodResizePending") return c.reason == reason;
  }
  return false;
}

}  // namespace

bool IsSupportedPodLevelResource(std::string_view name) {
  return name == kResourceCpu || name == kResourceMemory || IsHugepagesResource(name);
}

bool IsPodLevelResourcesSet(const Pod& pod) {
  return pod.resources && (AnySupported(pod.resources->requests) ||
                           AnySupported(pod.resources->limits));
}

bool IsPodLevelRequestsSet(const Pod& pod) {
  return pod.resources && AnySupported(pod.resources->requests);
}

bool IsPodLevelLimitsSet(const Pod& pod) {
  return pod.resources && AnySupported(pod.resources->limits);
}

bool IsPodResizeInfeasible(const Pod& pod) { return ResizeConditionReason(pod, "Infeasible"); }

bool IsPodResizeDeferred(const Pod& pod) { return ResizeConditionReason(pod, "Deferred"); }

ResourceList AggregateContainerRequests(const Pod& pod, const PodResourcesOptions& options) {
  const ResourceList* non_missing = options.non_missing_container_requests.empty()
                                        ? nullptr
                                        : &options.non_missing_container_requests;
  ResourceList spec = AggregateBy(pod, options, non_missing, SpecRequests);
  if (!options.use_status_resources) return spec;
  const PodStatus& st = pod.status;
  ResourceList allocated, actuated;
  // Populated pod-level status maps already hold the aggregate over all containers.
  if (options.in_place_pod_level_resources_vertical_scaling && st.allocated_resources &&
      st.has_resources && st.resources_requests) {
    allocated = *st.allocated_resources;
    actuated = *st.resources_requests;
  } else {
    allocated = AggregateBy(pod, options, non_missing, AllocatedRequests);
    actuated = AggregateBy(pod, options, non_missing, ActuatedRequests);
  }
  // Max of the three sums, not the sum of per-container maxima.
  if (IsPodResizeInfeasible(pod)) return MaxOf({&actuated, &allocated});
  return MaxOf({&spec, &actuated, &allocated});
}

ResourceList AggregateContainerLimits(const Pod& pod, const PodResourcesOptions& options) {
  ResourceList spec = AggregateBy(pod, options, nullptr, SpecLimits);
  if (!options.use_status_resources) return spec;
  const PodStatus& st = pod.status;
  ResourceList actuated;
  if (options.in_place_pod_level_resources_vertical_scaling && st.has_resources &&
      st.resources_limits) {
    actuated = *st.resources_limits;
  } else {
    actuated = AggregateBy(pod, options, nullptr, ActuatedLimits);
  }
  if (IsPodResizeInfeasible(pod)) return actuated;
  return MaxOf({&spec, &actuated});
}

ResourceList PodRequests(const Pod& pod, const PodResourcesOptions& options) {
  ResourceList requests;
  if (!options.skip_container_level_resources) {
    requests = AggregateContainerRequests(pod, options);
  }
  if (!options.skip_pod_level_resources && IsPodLevelRequestsSet(pod)) {
    const PodStatus& st = pod.status;
    if (options.in_place_pod_level_resources_vertical_scaling &&
        options.use_status_resources && (st.has_resources || st.allocated_resources)) {
      // Status values include overhead; take it out before comparing with the spec.
      auto status_requests = WithoutOverhead(st.resources_requests, pod.overhead);
      auto allocated = WithoutOverhead(st.allocated_resources, pod.overhead);
      ApplyPodLevel(requests, EffectivePodLevel(pod, pod.resources->requests,
                                                {Ptr(status_requests), Ptr(allocated)}));
    } else {
      ApplyPodLevel(requests, pod.resources->requests);
    }
  }
  if (!options.exclude_overhead) AddInto(requests, pod.overhead);
  return requests;
}

ResourceList PodLimits(const Pod& pod, const PodResourcesOptions& options) {
  ResourceList limits = AggregateContainerLimits(pod, options);
  if (!options.skip_pod_level_resources && IsPodLevelResourcesSet(pod)) {
    if (options.in_place_pod_level_resources_vertical_scaling &&
        options.use_status_resources && pod.status.has_resources) {
      auto status_limits = WithoutOverhead(pod.status.resources_limits, pod.overhead);
      ApplyPodLevel(limits,
                    EffectivePodLevel(pod, pod.resources->limits, {Ptr(status_limits)}));
    } else {
      ApplyPodLevel(limits, pod.resources->limits);
    }
  }
  // Overhead only raises limits that exist and are not zero (zero means unlimited here).
  if (!options.exclude_overhead) {
    for (const auto& [name, q] : pod.overhead) {
      auto it = limits.find(name);
      if (it != limits.end() && !it->second.IsZero()) it->second += q;
    }
  }
  return limits;
}

}  // namespace podalloc
