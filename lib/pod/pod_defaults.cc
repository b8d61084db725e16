// API-server defaulting of pod resources (pkg/apis/core/v1/defaults.go). Each step reports
// whether it changed the pod so the pass can be repeated until it is stable.
#include "podalloc/pod_defaults.h"

#include <cstdint>
#include <string_view>

#include "podalloc/pod_resources.h"

namespace podalloc {
namespace {

// corev1helper.IsOvercommitAllowed, for the names pod-level resources accept: cpu and memory
// may be overcommitted, hugepages may not.
bool IsOvercommittable(std::string_view name) {
  return name == kResourceCpu || name == kResourceMemory;
}

size_t CountRequests(const Pod& pod) {
  size_t n = 0;
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) n += c.resources.requests.size();
  }
  return n;
}

// SetDefaults_Pod's container rule (it only ever adds keys, so a count shows a change).
bool DefaultContainers(Pod& pod) {
  const size_t before = CountRequests(pod);
  DefaultContainerRequests(pod);
  return CountRequests(pod) != before;
}

// defaultHugePagePodLimits: once spec.resources holds anything, a hugepage size the
// containers limit gets the container aggregate as pod-level limit, unless the pod already
// requests that size (a request without a limit is left for validation to reject).
bool DefaultHugepagePodLimits(Pod& pod) {
  if (!pod.resources || (pod.resources->limits.empty() && pod.resources->requests.empty())) {
    return false;
  }
  bool changed = false;
  for (const auto& [name, limit] : AggregateContainerLimits(pod)) {
    if (!IsHugepagesResource(name) || pod.resources->requests.contains(name)) continue;
    changed |= pod.resources->limits.emplace(name, limit).second;
  }
  return changed;
}

// defaultPodRequests: only when spec.resources has limits (any key, as Go checks the map's
// length). cpu and memory requests default to the containers' aggregate requests where any
// container requests them; whatever is still missing defaults to the pod-level limit.
bool DefaultPodRequests(Pod& pod) {
  if (!pod.resources || pod.resources->limits.empty()) return false;
  ResourceList& requests = pod.resources->requests;
  bool changed = false;
  for (const auto& [name, aggregate] : AggregateContainerRequests(pod)) {
    if (!IsSupportedPodLevelResource(name) || !IsOvercommittable(name)) continue;
    changed |= requests.emplace(name, aggregate).second;
  }
  for (const auto& [name, limit] : pod.resources->limits) {
    if (!IsSupportedPodLevelResource(name)) continue;
    changed |= requests.emplace(name, limit).second;
  }
  return changed;
}

// resourcehelper.AllContainersHaveLimitForResource: every init (sidecars included) and app
// container limits `name`; ephemeral containers carry no resources.
bool AllContainersLimit(const Pod& pod, std::string_view name) {
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) {
      if (!c.resources.limits.contains(name)) return false;
    }
  }
  return true;
}

// defaultPodLimits: with pod-level requests but no pod-level limits, cpu and memory limits
// default to the containers' aggregate limits when no container leaves them unbounded.
bool DefaultPodLimits(Pod& pod) {
  if (IsPodLevelLimitsSet(pod) || !IsPodLevelRequestsSet(pod)) return false;
  bool changed = false;
  for (const auto& [name, aggregate] : AggregateContainerLimits(pod)) {
    if (!IsSupportedPodLevelResource(name) || !IsOvercommittable(name)) continue;
    if (!AllContainersLimit(pod, name)) continue;
    changed |= pod.resources->limits.emplace(name, aggregate).second;
  }
  return changed;
}

// Quantity.RoundUp(-3): the smallest multiple of 1m not below the value (away from zero for
// negatives, which validation rejects anyway). Values past 2^63-1 whole units (only sums
// reach them) are left alone: MilliValue/Value saturate there.
Quantity RoundUpToMilli(const Quantity& q) {
  if (q.Sign() < 0) return -RoundUpToMilli(-q);
  if (q.IsWhole() || q.Value() == INT64_MAX) return q;
  const Quantity floor = Quantity::FromValue(q.Value() - 1, q.format());
  return floor + Quantity::FromMilli((q - floor).MilliValue(), q.format());
}

bool RoundList(ResourceList& list) {
  bool changed = false;
  for (auto& [name, q] : list) {
    const Quantity rounded = RoundUpToMilli(q);
    if (rounded != q) {
      q = rounded;
      changed = true;
    }
  }
  return changed;
}

bool RoundList(std::optional<ResourceList>& list) { return list && RoundList(*list); }

bool RoundStatuses(std::vector<ContainerStatus>& statuses) {
  bool changed = false;
  for (ContainerStatus& cs : statuses) {
    changed |= RoundList(cs.allocated_resources);
    changed |= RoundList(cs.resources_requests);
    changed |= RoundList(cs.resources_limits);
  }
  return changed;
}

// SetDefaults_ResourceList runs on every resource list of the object, after SetDefaults_Pod.
bool RoundAllLists(Pod& pod) {
  bool changed = false;
  for (auto* list : {&pod.init_containers, &pod.containers, &pod.ephemeral_containers}) {
    for (Container& c : *list) {
      changed |= RoundList(c.resources.limits);
      changed |= RoundList(c.resources.requests);
    }
  }
  changed |= RoundList(pod.overhead);
  if (pod.resources) {
    changed |= RoundList(pod.resources->limits);
    changed |= RoundList(pod.resources->requests);
  }
  PodStatus& status = pod.status;
  for (auto* list : {&status.container_statuses, &status.init_container_statuses,
                     &status.ephemeral_container_statuses}) {
    changed |= RoundStatuses(*list);
  }
  changed |= RoundList(status.resources_requests);
  changed |= RoundList(status.resources_limits);
  changed |= RoundList(status.allocated_resources);
  return changed;
}

// One SetObjectDefaults_Pod pass, restricted to resources. The pod-level order is
// defaults.go's: hugepage limits first, since the request rule copies them.
bool DefaultOnce(Pod& pod, const DefaultingOptions& options) {
  bool changed = DefaultContainers(pod);
  if (options.pod_level_resources) {
    changed |= DefaultHugepagePodLimits(pod);
    changed |= DefaultPodRequests(pod);
    if (options.pod_limits_from_containers) changed |= DefaultPodLimits(pod);
  }
  if (options.round_to_milli) changed |= RoundAllLists(pod);
  return changed;
}

}  // namespace

bool ApplyApiServerDefaults(Pod& pod, const DefaultingOptions& options) {
  // Terminates: every step only adds keys from a finite set, and rounding is stable after
  // its first application. In practice a second pass is the last that changes anything.
  bool changed = false;
  while (DefaultOnce(pod, options)) changed = true;
  return changed;
}

}  // namespace podalloc
