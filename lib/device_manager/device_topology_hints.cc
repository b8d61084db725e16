// GetTopologyHints and GetPodTopologyHints (topology_hints.go): per device-plugin resource of
// the request, no preference when no device of the resource has NUMA info, an empty list when
// the request cannot be met, else the generated family.
#include "podalloc/device_hints.h"
#include "podalloc/device_manager.h"
#include "podalloc/pod_resources.h"

namespace podalloc {

std::map<std::string, int64_t> DeviceManager::ContainerRequests(const Container& c) const {
  std::map<std::string, int64_t> out;
  for (const auto& [name, quantity] : c.resources.limits) {
    if (IsDevicePluginResource(name)) out[name] = quantity.Value();
  }
  return out;
}

std::map<std::string, int64_t> DeviceManager::PodRequests(const Pod& pod) const {
  PodResourcesOptions options;
  options.exclude_overhead = true;
  std::map<std::string, int64_t> out;
  for (const auto& [name, quantity] : PodLimits(pod, options)) {
    if (IsDevicePluginResource(name)) out[name] = quantity.Value();
  }
  return out;
}

ResourceHints DeviceManager::HintsFor(const std::string& resource, int64_t request,
                                      const std::set<std::string>& held,
                                      const std::set<std::string>& reusable, bool use_reusable,
                                      const DeviceHintOptions& options) const {
  DeviceHintRequest in;
  in.numa_nodes = numa_nodes_;
  in.request = request;
  in.options = options;
  bool any_numa = false;
  auto it = devices_.find(resource);
  if (it != devices_.end()) {
    for (const auto& [id, d] : it->second.by_id) {
      any_numa = any_numa || d.HasNuma();
      in.all.push_back(d.numa_nodes);
    }
  }
  if (!any_numa) return ResourceHints::NoPreference();
  // A device ID the resource no longer lists counts as a device without NUMA info.
  const auto topology = [&](const std::string& id) -> DeviceTopology {
    const PluginDevice* d = Find(resource, id);
    return d == nullptr ? DeviceTopology() : d->numa_nodes;
  };
  if (!held.empty()) {
    if (static_cast<int64_t>(held.size()) != request) return ResourceHints::List({});
    for (const std::string& id : held) in.available.push_back(topology(id));
    return GenerateDeviceHints(in);
  }
  std::set<std::string> available = HealthyIds(resource);
  if (auto used = in_use_.find(resource); used != in_use_.end()) {
    for (const std::string& id : used->second) available.erase(id);
  }
  size_t reach = available.size();
  if (use_reusable) {
    for (const std::string& id : reusable) reach += available.count(id) ? 0 : 1;
  }
  if (static_cast<int64_t>(reach) < request) return ResourceHints::List({});
  for (const std::string& id : available) in.available.push_back(topology(id));
  if (use_reusable) {
    for (const std::string& id : reusable) in.reusable.push_back(topology(id));
  }
  return GenerateDeviceHints(in);
}

ProviderHints DeviceManager::GetTopologyHints(const Pod& pod, const std::string& container,
                                              const DeviceHintOptions& options) const {
  ProviderHints out;
  const Container* c = nullptr;
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& candidate : *list) {
      if (c == nullptr && candidate.name == container) c = &candidate;
    }
  }
  if (c == nullptr) return out;
  const auto& pool = Reusable(pod.uid);
  static const std::set<std::string> kNone;
  for (const auto& [r, request] : ContainerRequests(*c)) {
    const DeviceEntry* entry = Entry(pod.uid, container, r);
    const std::set<std::string> held = entry ? entry->Devices() : std::set<std::string>();
    auto reusable = pool.find(r);
    out.resources[r] = HintsFor(r, request, held, reusable == pool.end() ? kNone : reusable->second,
                                /*use_reusable=*/true, options);
  }
  return out;
}

ProviderHints DeviceManager::GetPodTopologyHints(const Pod& pod,
                                                 const DeviceHintOptions& options) const {
  ProviderHints out;
  auto p = pod_devices_.find(pod.uid);
  for (const auto& [r, request] : PodRequests(pod)) {
    std::set<std::string> held;
    if (p != pod_devices_.end()) {
      for (const auto& [name, resources] : p->second) {
        if (auto e = resources.find(r); e != resources.end()) {
          std::set<std::string> ids = e->second.Devices();
          held.insert(ids.begin(), ids.end());
        }
      }
    }
    out.resources[r] = HintsFor(r, request, held, {}, /*use_reusable=*/false, options);
  }
  return out;
}

}  // namespace podalloc
