// File: podalloc/device_run_options.h
// What a container is started with for its devices: the device plugins' Allocate responses
// (pluginapi.ContainerAllocateResponse, kept as protobuf bytes in the checkpoint) and their
// merge into run-container options (pod_devices.go deviceRunContainerOptions).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/device_manager.h"

namespace podalloc {

struct DeviceMount {  // pluginapi.Mount
  std::string container_path;
  std::string host_path;
  bool read_only = false;
  friend bool operator==(const DeviceMount&, const DeviceMount&) = default;
};

struct DeviceSpec {  // pluginapi.DeviceSpec
  std::string container_path;
  std::string host_path;
  std::string permissions;
  friend bool operator==(const DeviceSpec&, const DeviceSpec&) = default;
};

struct ContainerAllocateResponse {
  std::map<std::string, std::string> envs;         // field 1
  std::vector<DeviceMount> mounts;                 // field 2
  std::vector<DeviceSpec> devices;                 // field 3
  std::map<std::string, std::string> annotations;  // field 4
  std::vector<std::string> cdi_devices;            // field 5 (CDIDevice.name)
  friend bool operator==(const ContainerAllocateResponse&,
                         const ContainerAllocateResponse&) = default;
};

// Protobuf wire form, as the plugin sends it (maps in key order, as gogo-protobuf writes them).
std::string EncodeContainerAllocateResponse(const ContainerAllocateResponse& response);
// Unknown fields are skipped; a truncated or malformed message is InvalidArgument.
[[nodiscard]] absl::StatusOr<ContainerAllocateResponse> DecodeContainerAllocateResponse(
    std::string_view bytes);

// kubecontainer's device options. Mounts are named after their container path and never
// relabelled.
struct DeviceRunContainerOptions {
  std::vector<std::pair<std::string, std::string>> envs;
  std::vector<DeviceSpec> devices;
  std::vector<DeviceMount> mounts;
  std::vector<std::pair<std::string, std::string>> annotations;
  std::vector<std::string> cdi_devices;
  friend bool operator==(const DeviceRunContainerOptions&,
                         const DeviceRunContainerOptions&) = default;
};

// The merge of the responses in the given order: env vars and annotations keyed by name,
// devices and mounts by container path, the first value winning; CDI device names once each.
DeviceRunContainerOptions MergeRunContainerOptions(
    const std::vector<ContainerAllocateResponse>& responses);

// The container's options from its recorded responses (resources in name order): nullopt when
// the container has no entry; InvalidArgument naming the resource when a response is not a
// ContainerAllocateResponse.
[[nodiscard]] absl::StatusOr<std::optional<DeviceRunContainerOptions>> RunContainerOptions(
    const DeviceManager& manager, const std::string& pod_uid, const std::string& container);

// The plugin's PreStartContainer RPC for the devices a container holds of one resource.
using PreStartContainerFn = std::function<absl::Status(
    const std::string& resource, const std::vector<std::string>& device_ids)>;

struct RunContainerContext {
  bool pod_active = true;          // the pod is still among the active pods
  std::optional<NumaMask> hint;    // the container's stored hint, for a re-allocation
  DeviceAllocateContext allocate;  // for a re-allocation
  PreStartContainerFn pre_start;   // without it, PreStartContainer succeeds
};

// GetDeviceRunContainerOptions, called when the container is created: for every device-plugin
// resource with a non-zero limit, PreStartContainer when the plugin requires it (errors
// `endpoint not found in cache for a registered resource: <r>`, `no devices found allocated in
// local cache for pod <uid>, container <c>, resource <r>`, `device plugin PreStartContainer rpc
// failed with err: <err>`); then, for an active pod missing an entry (a node reboot race),
// Allocate again; then the merged options (nullopt when the container holds nothing).
[[nodiscard]] absl::StatusOr<std::optional<DeviceRunContainerOptions>>
GetDeviceRunContainerOptions(DeviceManager& manager, const Pod& pod, const std::string& container,
                             const RunContainerContext& context);

}  // namespace podalloc
