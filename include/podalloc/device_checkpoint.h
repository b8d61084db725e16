// File: podalloc/device_checkpoint.h
// The device manager's checkpoint, kubelet_internal_checkpoint in the device-plugin directory
// (pkg/kubelet/cm/devicemanager/checkpoint/checkpoint.go): the pod entries with their plugin
// responses and the registered resources' healthy device IDs, as Go's encoding/json writes
// them, with the checksum the kubelet verifies (FNV-1a 32 of go-spew's dump of the data).
// The file form is kept as read (entry and ID order included), so a file parsed and written
// again is byte-identical and its checksum reproduces.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/device_manager.h"

namespace podalloc {

inline constexpr char kDeviceCheckpointFileName[] = "kubelet_internal_checkpoint";

// checkpoint.PodDevicesEntry. nullopt = Go nil (JSON null or absent).
struct DeviceCheckpointEntry {
  std::string pod_uid;
  std::string container_name;
  std::string resource_name;
  // DevicesPerNUMA: NUMA key (-1 = no NUMA info) -> device IDs.
  std::optional<std::map<int64_t, std::optional<std::vector<std::string>>>> device_ids;
  std::optional<std::string> alloc_resp;  // the response's protobuf bytes (base64 in JSON)
  friend bool operator==(const DeviceCheckpointEntry&, const DeviceCheckpointEntry&) = default;
};

// checkpoint.checkpointData.
struct DeviceCheckpointData {
  std::optional<std::vector<DeviceCheckpointEntry>> pod_device_entries;
  std::optional<std::map<std::string, std::optional<std::vector<std::string>>>>
      registered_devices;
  friend bool operator==(const DeviceCheckpointData&, const DeviceCheckpointData&) = default;
};

struct DeviceCheckpoint {
  DeviceCheckpointData data;
  uint64_t checksum = 0;  // checksum.Checksum is a uint64 holding the 32-bit hash
  friend bool operator==(const DeviceCheckpoint&, const DeviceCheckpoint&) = default;
};

// The exact text the kubelet hashes, and its FNV-1a 32.
std::string DeviceCheckpointHashedText(const DeviceCheckpointData& data);
uint32_t DeviceCheckpointChecksum(const DeviceCheckpointData& data);

// Decodes the file as Go's encoding/json does (field names case-insensitive, unknown fields
// ignored, null leaving strings alone and making maps and slices nil), without verifying the
// checksum. InvalidArgument naming the field and quoting the value on bad input.
[[nodiscard]] absl::StatusOr<DeviceCheckpoint> ParseDeviceCheckpoint(std::string_view json);
// ParseDeviceCheckpoint, then the checksum: DataLoss "checkpoint is corrupted" (the kubelet's
// ErrCorruptCheckpoint) with the stored and computed values when they differ.
[[nodiscard]] absl::StatusOr<DeviceCheckpoint> ReadDeviceCheckpoint(std::string_view json);

// The file text of `checkpoint` as stored (its checksum as given).
std::string DeviceCheckpointJson(const DeviceCheckpoint& checkpoint);
// The file text of `data` with its checksum computed, as the kubelet writes it.
std::string WriteDeviceCheckpoint(const DeviceCheckpointData& data);

// What the kubelet writes for the manager's state: every entry (pods, containers, resources in
// name order; IDs as recorded), and every registered resource with its healthy IDs ascending.
DeviceCheckpointData DeviceCheckpointDataOf(const DeviceManager& manager);

// Restores the manager from checkpoint data read at start (the kubelet's readCheckpoint):
// entries replace every entry, allocated devices are rebuilt, and each registered resource is
// known without devices and with its endpoint stopped at `now_seconds`. Device lists, reuse
// pools and connected plugins are forgotten. An entry whose response is not a
// ContainerAllocateResponse is left out, as the kubelet leaves it out; the returned list
// names each one left out (empty when none).
std::vector<std::string> RestoreDeviceCheckpoint(DeviceManager& manager,
                                                 const DeviceCheckpointData& data,
                                                 int64_t now_seconds);

}  // namespace podalloc
