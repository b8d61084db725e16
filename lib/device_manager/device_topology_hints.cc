// GetTopologyHints and GetPodTopologyHints (topology_hints.go): per device-plugin resource of
// the request, no preference when no device of the resource has NUMA info, an empty list when
// the request cannot be met, else the generated family.
#include "device_list.h"
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
  const internal::DeviceList* found = List(resource);
  if (found == nullptr || !found->any_numa) return ResourceHints::NoPreference();
  const internal::DeviceList& list = *found;
  DeviceHintMasks in;
  in.machine = MachineMask();
  in.request = request;
  in.options = options;
  in.all.reserve(list.size());
  list.with_numa.ForEach([&](size_t i) {
    in.all.push_back(list.nodes[i] & in.machine);
    return true;
  });
  // A device ID the resource no longer lists counts as a device without NUMA info.
  const auto nodes_of = [&](const std::string& id) -> std::optional<NumaMask> {
    const int i = list.IndexOf(id);
    if (i < 0 || !list.devices[static_cast<size_t>(i)].numa_nodes) return std::nullopt;
    return list.nodes[static_cast<size_t>(i)] & in.machine;
  };
  if (!held.empty()) {
    if (static_cast<int64_t>(held.size()) != request) return ResourceHints::List({});
    for (const std::string& id : held) {
      if (std::optional<NumaMask> m = nodes_of(id)) in.available.push_back(*m);
    }
    return GenerateDeviceHints(in);
  }
  internal::DeviceBits in_use(list.size());
  if (auto used = in_use_.find(resource); used != in_use_.end()) in_use = list.BitsOf(used->second);
  internal::DeviceBits free = list.healthy;
  free.Subtract(in_use);
  int64_t reach = free.Count();
  in.available.reserve(static_cast<size_t>(reach));
  free.ForEach([&](size_t i) {
    if (list.devices[i].numa_nodes) in.available.push_back(list.nodes[i] & in.machine);
    return true;
  });
  if (use_reusable) {
    for (const std::string& id : reusable) {
      const int i = list.IndexOf(id);
      reach += i >= 0 && free.Test(static_cast<size_t>(i)) ? 0 : 1;
      in.reusable.push_back(nodes_of(id));
    }
  }
  if (reach < request) return ResourceHints::List({});
  return GenerateDeviceHints(in);
}

ProviderHints DeviceManager::GetTopologyHints(const Pod& pod, const std::string& container,
                                              const DeviceHintOptions& options) const {
  ProviderHints out;
  const Container* c = FindContainer(pod, container);
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
