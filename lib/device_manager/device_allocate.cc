// Allocate(pod, container) (manager.go Allocate, allocateContainerResources): every device
// resource of the container is planned first and recorded only when all of them succeeded,
// so a rejected container leaves the state as it was (the kubelet keeps the resources it
// managed before the failing one until garbage collection).
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/device_manager.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

bool ClaimedByDra(const Pod& pod, const std::string& container, const std::string& resource) {
  for (const ExtendedResourceRequestMapping& m : pod.status.extended_resource_request_mappings) {
    if (m.container_name == container && m.resource_name == resource) return true;
  }
  return false;
}

}  // namespace

absl::Status DeviceManager::Allocate(const Pod& pod, const std::string& container,
                                     const std::optional<NumaMask>& hint,
                                     const DeviceAllocateContext& context) {
  const Container* c = FindContainer(pod, container);
  // FindContainer looks at init containers first.
  const bool init = c != nullptr && c >= pod.init_containers.data() &&
                    c < pod.init_containers.data() + pod.init_containers.size();
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrCat("pod ", internal::QuoteInput(pod.uid),
                                            " has no container ",
                                            internal::QuoteInput(container)));
  }
  std::map<std::string, std::set<std::string>> pool = Reusable(pod.uid);

  std::map<std::string, DeviceEntry> planned;
  for (const auto& [resource, quantity] : c->resources.limits) {
    if (context.dra_extended_resource && ClaimedByDra(pod, container, resource)) continue;
    if (!IsDevicePluginResource(resource)) continue;
    const auto reusable = pool.find(resource);
    absl::StatusOr<std::optional<std::vector<std::string>>> devs = DevicesToAllocate(
        pod.uid, container, resource, quantity.Value(),
        reusable == pool.end() ? std::set<std::string>() : reusable->second, hint, context);
    if (!devs.ok()) return devs.status();
    if (!devs->has_value() || (*devs)->empty()) continue;
    if (endpoints_.count(resource) == 0) {
      return absl::FailedPreconditionError(absl::StrCat("unknown Device Plugin ", resource));
    }
    DeviceEntry entry;
    if (context.plugin_allocate) {
      absl::StatusOr<std::string> response = context.plugin_allocate(resource, **devs);
      if (!response.ok()) return response.status();
      entry.alloc_resp = *std::move(response);
    }
    for (const std::string& id : **devs) {
      const PluginDevice* d = Find(resource, id);
      if (d != nullptr && d->HasNuma()) {
        for (int64_t node : *d->numa_nodes) entry.devices_per_numa[node].push_back(id);
      } else {
        entry.devices_per_numa[-1].push_back(id);
      }
    }
    planned.emplace(resource, std::move(entry));
  }

  // Apply. A planned entry is always new (DevicesToAllocate plans nothing for a resource the
  // container already holds), so the in-use sets only grow by its devices.
  for (auto& [resource, entry] : planned) {
    std::set<std::string>& used = in_use_[resource];
    for (const auto& [numa, ids] : entry.devices_per_numa) used.insert(ids.begin(), ids.end());
    pod_devices_[pod.uid][container][resource] = std::move(entry);
  }
  // Regular init containers lend their devices to the containers after them; sidecars and app
  // containers keep theirs.
  if (auto p = pod_devices_.find(pod.uid); p != pod_devices_.end()) {
    if (auto mine = p->second.find(container); mine != p->second.end()) {
      for (const auto& [resource, entry] : mine->second) {
        for (const std::string& id : entry.Devices()) {
          if (init && !IsSidecar(*c)) {
            pool[resource].insert(id);
          } else if (auto r = pool.find(resource); r != pool.end()) {
            r->second.erase(id);
          }
        }
      }
    }
  }
  SetReusable(pod.uid, std::move(pool));
  return absl::OkStatus();
}

}  // namespace podalloc
