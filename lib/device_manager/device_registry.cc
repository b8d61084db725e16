// The device manager's view of the plugins: device lists, endpoints, capacity (manager.go
// genericDeviceUpdateCallback, GetCapacity, UpdateAllocatedDevices), and the pod entries.
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "device_list.h"
#include "podalloc/device_manager.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {

std::set<std::string> DeviceEntry::Devices() const {
  std::set<std::string> out;
  for (const auto& [numa, ids] : devices_per_numa) out.insert(ids.begin(), ids.end());
  return out;
}

DeviceManager::DeviceManager(std::vector<int> numa_nodes) : numa_nodes_(std::move(numa_nodes)) {}

void DeviceManager::RegisterPlugin(const std::string& resource, DevicePluginOptions options) {
  endpoints_[resource] = Endpoint{options, std::nullopt};
}

absl::Status DeviceManager::UpdateDevices(const std::string& resource,
                                          std::vector<PluginDevice> devices) {
  absl::flat_hash_set<std::string_view> seen;
  seen.reserve(devices.size());
  for (const PluginDevice& d : devices) {
    if (!seen.insert(d.id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("resource ", internal::QuoteInput(resource), ": device ID ",
                       internal::QuoteInput(d.id), " listed twice"));
    }
  }
  devices_[resource] =
      std::make_shared<const internal::DeviceList>(internal::DeviceList::Make(std::move(devices)));
  return absl::OkStatus();
}

void DeviceManager::SetPreferredAllocationAvailable(const std::string& resource, bool available) {
  auto e = endpoints_.find(resource);
  if (e != endpoints_.end()) e->second.options.get_preferred_allocation_available = available;
}

void DeviceManager::StopEndpoint(const std::string& resource, int64_t stopped_at) {
  auto e = endpoints_.find(resource);
  if (e != endpoints_.end()) e->second.stopped_at = stopped_at;
}

void DeviceManager::DisconnectPlugin(const std::string& resource, int64_t now_seconds) {
  if (auto it = devices_.find(resource); it != devices_.end() && it->second) {
    std::vector<PluginDevice> devices = it->second->devices;
    for (PluginDevice& d : devices) {
      if (d.healthy()) d.health = "Unhealthy";
    }
    it->second = std::make_shared<const internal::DeviceList>(
        internal::DeviceList::Make(std::move(devices)));
  }
  StopEndpoint(resource, now_seconds);
}

void DeviceManager::ForgetResource(const std::string& resource) {
  devices_.erase(resource);
  endpoints_.erase(resource);
}

std::map<std::string, int64_t> DeviceManager::AllocatableCounts() const {
  std::map<std::string, int64_t> out;
  for (const auto& [r, devs] : devices_) {
    out[r] = devs->healthy.Count();
  }
  return out;
}

std::vector<std::string> DeviceManager::Resources() const {
  std::vector<std::string> out;
  out.reserve(devices_.size());
  for (const auto& [r, devs] : devices_) out.push_back(r);
  return out;
}

DeviceCapacity DeviceManager::GetCapacity(int64_t now_seconds, int64_t grace_seconds) {
  DeviceCapacity out;
  for (auto it = devices_.begin(); it != devices_.end();) {
    const std::string& r = it->first;
    auto e = endpoints_.find(r);
    const bool gone = e == endpoints_.end() ||
                      (e->second.stopped_at && now_seconds - *e->second.stopped_at > grace_seconds);
    if (gone) {
      out.removed.push_back(r);
      if (e != endpoints_.end()) endpoints_.erase(e);
      it = devices_.erase(it);
      continue;
    }
    out.capacity[r] = static_cast<int64_t>(it->second->size());
    out.allocatable[r] = it->second->healthy.Count();
    ++it;
  }
  return out;
}

std::map<std::string, std::vector<std::string>> DeviceManager::AllocatableDevices() const {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [r, devs] : devices_) {
    out[r] = devs->IdsOf(devs->healthy);
  }
  return out;
}

bool DeviceManager::IsDevicePluginResource(const std::string& resource) const {
  return devices_.count(resource) > 0 || in_use_.count(resource) > 0;
}

std::optional<DevicePluginOptions> DeviceManager::PluginOptions(
    const std::string& resource) const {
  auto e = endpoints_.find(resource);
  if (e == endpoints_.end()) return std::nullopt;
  return e->second.options;
}

std::vector<std::string> DeviceManager::Endpoints() const {
  std::vector<std::string> out;
  for (const auto& [r, e] : endpoints_) out.push_back(r);
  return out;
}

std::vector<PluginDevice> DeviceManager::Devices(const std::string& resource) const {
  const internal::DeviceList* list = List(resource);
  return list == nullptr ? std::vector<PluginDevice>() : list->devices;
}

void DeviceManager::SanitizeNodeAllocatable(const std::string& pod_uid,
                                            std::map<std::string, int64_t>& allocatable) const {
  if (pod_devices_.count(pod_uid) == 0) return;
  for (const auto& [r, ids] : in_use_) {
    const int64_t used = static_cast<int64_t>(ids.size());
    auto [it, inserted] = allocatable.emplace(r, used);
    if (!inserted && it->second < used) it->second = used;
  }
}

const internal::DeviceList* DeviceManager::List(const std::string& resource) const {
  auto it = devices_.find(resource);
  return it == devices_.end() ? nullptr : it->second.get();
}

const PluginDevice* DeviceManager::Find(const std::string& resource,
                                        const std::string& id) const {
  const internal::DeviceList* list = List(resource);
  if (list == nullptr) return nullptr;
  const int i = list->IndexOf(id);
  return i < 0 ? nullptr : &list->devices[static_cast<size_t>(i)];
}

NumaMask DeviceManager::MachineMask() const {
  NumaMask m;
  for (int id : numa_nodes_) {
    if (id >= 0 && id < NumaMask::kMaxNodes) m.Set(id);
  }
  return m;
}

bool operator==(const DeviceManager& a, const DeviceManager& b) {
  if (a.devices_.size() != b.devices_.size()) return false;
  for (auto i = a.devices_.begin(), j = b.devices_.begin(); i != a.devices_.end(); ++i, ++j) {
    if (i->first != j->first || !(*i->second == *j->second)) return false;
  }
  return a.numa_nodes_ == b.numa_nodes_ && a.endpoints_ == b.endpoints_ &&
         a.pod_devices_ == b.pod_devices_ && a.in_use_ == b.in_use_ &&
         a.reuse_pod_ == b.reuse_pod_ && a.reuse_ == b.reuse_;
}

// --- Entries ---------------------------------------------------------------------------------

void DeviceManager::RebuildInUse() {
  in_use_.clear();
  for (const auto& [pod, containers] : pod_devices_) {
    for (const auto& [name, resources] : containers) {
      for (const auto& [r, entry] : resources) {
        std::set<std::string> ids = entry.Devices();
        in_use_[r].insert(ids.begin(), ids.end());
      }
    }
  }
}

bool DeviceManager::RemoveInactivePods(const std::set<std::string>& active_pods,
                                       bool sources_ready) {
  if (!sources_ready) return false;
  bool removed = false;
  for (auto it = pod_devices_.begin(); it != pod_devices_.end();) {
    if (active_pods.count(it->first) == 0) {
      it = pod_devices_.erase(it);
      removed = true;
    } else {
      ++it;
    }
  }
  if (removed) RebuildInUse();
  return removed;
}

void DeviceManager::RemovePod(const std::string& pod_uid) {
  if (pod_devices_.erase(pod_uid) > 0) RebuildInUse();
  if (reuse_pod_ == pod_uid) {
    reuse_pod_.clear();
    reuse_.clear();
  }
}

void DeviceManager::SetEntry(const std::string& pod_uid, const std::string& container,
                             const std::string& resource, DeviceEntry entry) {
  pod_devices_[pod_uid][container][resource] = std::move(entry);
  RebuildInUse();
}

const DeviceEntry* DeviceManager::Entry(const std::string& pod_uid, const std::string& container,
                                        const std::string& resource) const {
  auto p = pod_devices_.find(pod_uid);
  if (p == pod_devices_.end()) return nullptr;
  auto c = p->second.find(container);
  if (c == p->second.end()) return nullptr;
  auto r = c->second.find(resource);
  return r == c->second.end() ? nullptr : &r->second;
}

const std::map<std::string, std::set<std::string>>& DeviceManager::Reusable(
    const std::string& pod_uid) const {
  static const std::map<std::string, std::set<std::string>> kNone;
  return pod_uid == reuse_pod_ ? reuse_ : kNone;
}

void DeviceManager::SetReusable(const std::string& pod_uid,
                                std::map<std::string, std::set<std::string>> pool) {
  reuse_pod_ = pod_uid;
  reuse_ = std::move(pool);
}

void DeviceManager::RestoreRegistered(const std::string& resource, int64_t now_seconds) {
  devices_[resource] = std::make_shared<const internal::DeviceList>();
  endpoints_[resource] = Endpoint{DevicePluginOptions{}, now_seconds};
}

void DeviceManager::Clear() {
  devices_.clear();
  endpoints_.clear();
  pod_devices_.clear();
  in_use_.clear();
  reuse_pod_.clear();
  reuse_.clear();
}

}  // namespace podalloc
