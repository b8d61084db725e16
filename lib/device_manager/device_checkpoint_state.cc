// Between the device manager's state and its checkpoint data (manager.go writeCheckpoint and
// readCheckpoint, pod_devices.go toCheckpointData and fromCheckpointData).
#include "absl/strings/str_cat.h"
#include "podalloc/device_checkpoint.h"
#include "podalloc/device_run_options.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {

DeviceCheckpointData DeviceCheckpointDataOf(const DeviceManager& manager) {
  DeviceCheckpointData data;
  for (const auto& [pod, containers] : manager.pod_devices()) {
    for (const auto& [container, resources] : containers) {
      for (const auto& [resource, entry] : resources) {
        DeviceCheckpointEntry e{pod, container, resource, std::nullopt, entry.alloc_resp};
        e.device_ids.emplace();
        for (const auto& [numa, ids] : entry.devices_per_numa) (*e.device_ids)[numa] = ids;
        if (!data.pod_device_entries) data.pod_device_entries.emplace();
        data.pod_device_entries->push_back(std::move(e));
      }
    }
  }
  data.registered_devices.emplace();
  for (const auto& [resource, ids] : manager.AllocatableDevices()) {
    (*data.registered_devices)[resource] = ids;
  }
  return data;
}

std::vector<std::string> RestoreDeviceCheckpoint(DeviceManager& manager,
                                                 const DeviceCheckpointData& data,
                                                 int64_t now_seconds) {
  std::vector<std::string> left_out;
  manager.Clear();
  if (data.pod_device_entries) {
    for (const DeviceCheckpointEntry& e : *data.pod_device_entries) {
      const std::string response = e.alloc_resp.value_or("");
      if (absl::Status s = DecodeContainerAllocateResponse(response).status(); !s.ok()) {
        left_out.push_back(absl::StrCat(
            "pod ", internal::QuoteInput(e.pod_uid), " container ",
            internal::QuoteInput(e.container_name), " resource ",
            internal::QuoteInput(e.resource_name), ": ", s.message()));
        continue;
      }
      DeviceEntry entry;
      entry.alloc_resp = response;
      if (e.device_ids) {
        for (const auto& [numa, ids] : *e.device_ids) {
          entry.devices_per_numa[numa] = ids.value_or(std::vector<std::string>());
        }
      }
      manager.SetEntry(e.pod_uid, e.container_name, e.resource_name, std::move(entry));
    }
  }
  if (data.registered_devices) {
    for (const auto& [resource, ids] : *data.registered_devices) {
      manager.RestoreRegistered(resource, now_seconds);
    }
  }
  return left_out;
}

}  // namespace podalloc
