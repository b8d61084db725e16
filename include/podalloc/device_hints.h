// File: podalloc/device_hints.h
// generateDeviceTopologyHints (pkg/kubelet/cm/devicemanager/topology_hints.go) without
// walking the 2^N NUMA masks: the kubelet keeps a mask M when the available devices with a
// node in M, plus the reusable devices (each of which must have a node in M), reach the
// request; it prefers the masks of the smallest size whose registered devices could cover the
// request. That rule is monotone in M, so podalloc hands it to the topology manager as a
// capacity family (every device on one node) or as an exact oracle (devices on several nodes).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/device_manager.h"
#include "podalloc/hint.h"

namespace podalloc {

// A device's TopologyInfo as the hint rule sees it (nullopt = absent).
using DeviceTopology = std::optional<std::vector<int64_t>>;

struct DeviceHintRequest {
  std::vector<int> numa_nodes;         // the machine's NUMA nodes
  std::vector<DeviceTopology> all;     // every registered device of the resource
  std::vector<DeviceTopology> available;
  std::vector<DeviceTopology> reusable;  // an ID unknown to the resource: pass nullopt
  int64_t request = 0;
  DeviceHintOptions options;
};

// The same request with each device's nodes already restricted to the machine's NUMA nodes
// (ids outside it or beyond 63 dropped): the device manager's own form, without copies of the
// node lists. A reusable device is nullopt when it has no TopologyInfo (skipped) and an empty
// mask when none of its nodes is on the machine (it then rules out every mask).
struct DeviceHintMasks {
  NumaMask machine;
  std::vector<NumaMask> all;        // empty masks never count
  std::vector<NumaMask> available;  // empty masks never count
  std::vector<std::optional<NumaMask>> reusable;
  int64_t request = 0;
  DeviceHintOptions options;
};

// A device's nodes among `machine`.
NumaMask DeviceNodes(const std::vector<int64_t>& ids, NumaMask machine);

ResourceHints GenerateDeviceHints(const DeviceHintMasks& request);

// The hint list generate() would build (never NoPreference: the "no NUMA info" case is the
// caller's). A family without members is the kubelet's empty list.
ResourceHints GenerateDeviceHints(const DeviceHintRequest& request);

// The kubelet's list for device hints: nullopt for NoPreference, else the masks in
// IterateBitMasks order. ResourceExhausted above 24 nodes.
[[nodiscard]] absl::StatusOr<std::optional<std::vector<TopologyHint>>> ExpandDeviceHints(
    const ResourceHints& hints);

}  // namespace podalloc
