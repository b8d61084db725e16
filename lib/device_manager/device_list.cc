#include "device_list.h"

#include <algorithm>

namespace podalloc::internal {

DeviceList DeviceList::Make(std::vector<PluginDevice> devices) {
  std::sort(devices.begin(), devices.end(),
            [](const PluginDevice& a, const PluginDevice& b) { return a.id < b.id; });
  DeviceList out;
  out.devices = std::move(devices);
  out.nodes.resize(out.devices.size());
  out.healthy = DeviceBits(out.devices.size());
  out.with_numa = DeviceBits(out.devices.size());
  for (size_t i = 0; i < out.devices.size(); ++i) {
    const PluginDevice& d = out.devices[i];
    if (d.healthy()) out.healthy.Set(i);
    if (!d.HasNuma()) continue;
    out.with_numa.Set(i);
    out.any_numa = true;
    for (int64_t node : *d.numa_nodes) {
      if (node >= 0 && node < NumaMask::kMaxNodes) out.nodes[i].Set(static_cast<int>(node));
    }
  }
  return out;
}

int DeviceList::IndexOf(std::string_view id) const {
  auto it = std::lower_bound(devices.begin(), devices.end(), id,
                             [](const PluginDevice& d, std::string_view v) { return d.id < v; });
  return it != devices.end() && it->id == id ? static_cast<int>(it - devices.begin()) : -1;
}

DeviceBits DeviceList::BitsOf(const std::set<std::string>& ids) const {
  DeviceBits out(devices.size());
  // Both are in ID order: one walk.
  size_t i = 0;
  for (const std::string& id : ids) {
    while (i < devices.size() && devices[i].id < id) ++i;
    if (i == devices.size()) break;
    if (devices[i].id == id) out.Set(i);
  }
  return out;
}

std::vector<std::string> DeviceList::IdsOf(const DeviceBits& bits) const {
  std::vector<std::string> out;
  bits.ForEach([&](size_t i) {
    out.push_back(devices[i].id);
    return true;
  });
  return out;
}

AffinityBits SplitByAffinity(const DeviceList& list, const DeviceBits& available,
                             const std::optional<NumaMask>& hint) {
  AffinityBits out;
  if (!list.any_numa || !hint.has_value()) {
    out.no_affinity = available;
    return out;
  }
  out.aligned = out.unaligned = out.no_affinity = DeviceBits(list.size());
  available.ForEach([&](size_t i) {
    if (!list.with_numa.Test(i)) {
      out.no_affinity.Set(i);
    } else if (!(list.nodes[i] & *hint).IsEmpty()) {
      out.aligned.Set(i);
    } else {
      out.unaligned.Set(i);
    }
    return true;
  });
  return out;
}

}  // namespace podalloc::internal
