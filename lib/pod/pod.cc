#include "podalloc/pod.h"

#include <string_view>

namespace podalloc {

const Quantity* FindResource(const ResourceList& list, std::string_view name) {
  auto it = list.find(name);
  return it == list.end() ? nullptr : &it->second;
}

Quantity ResourceOrZero(const ResourceList& list, std::string_view name) {
  const Quantity* q = FindResource(list, name);
  return q == nullptr ? Quantity() : *q;
}

bool IsHugepagesResource(std::string_view name) {
  return name.substr(0, kResourceHugepagesPrefix.size()) == kResourceHugepagesPrefix;
}

const Container* FindContainer(const Pod& pod, std::string_view name) {
  for (const auto* list : {&pod.init_containers, &pod.containers, &pod.ephemeral_containers}) {
    for (const Container& c : *list) {
      if (c.name == name) return &c;
    }
  }
  return nullptr;
}

const ContainerStatus* FindContainerStatus(const Pod& pod, std::string_view name) {
  for (const auto* list : {&pod.status.container_statuses, &pod.status.init_container_statuses}) {
    for (const ContainerStatus& cs : *list) {
      if (cs.name == name) return &cs;
    }
  }
  return nullptr;
}

bool IsStaticPod(const Pod& pod) {
  return !pod.config_source.empty() && pod.config_source != "api";
}

bool IsCriticalPod(const Pod& pod) {
  return IsStaticPod(pod) || IsMirrorPod(pod) ||
         (pod.priority.has_value() && *pod.priority >= kSystemCriticalPriority);
}

void DefaultContainerRequests(Pod& pod) {
  for (auto* list : {&pod.init_containers, &pod.containers}) {
    for (Container& c : *list) {
      for (const auto& [name, limit] : c.resources.limits) c.resources.requests.emplace(name, limit);
    }
  }
}

}  // namespace podalloc
