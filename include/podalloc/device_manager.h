// File: podalloc/device_manager.h
// The kubelet's device manager (pkg/kubelet/cm/devicemanager: manager.go, topology_hints.go,
// pod_devices.go): the third topology hint provider beside the CPU and memory managers. It
// keeps each device plugin's device list, which devices each (pod, container, resource) holds,
// gives NUMA hints for device requests and picks devices for a container.
//
// Pure and deterministic: hints and allocation plans are computed from the state; Allocate
// applies a plan only when every resource of the container succeeded, so a failed allocation
// changes nothing. Where the kubelet picks among equivalent devices at random (Go map order),
// podalloc takes them in ascending ID order. Time and activity are passed in (no clock).
// Thread-compatible: a const DeviceManager may be shared; mutation needs exclusive access.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"
#include "podalloc/hint.h"
#include "podalloc/pod.h"

namespace podalloc {

namespace internal {
struct DeviceList;  // lib/device_manager/device_list.h
}  // namespace internal

// The device plugin API's health value that counts as healthy; any other string is unhealthy.
inline constexpr char kDeviceHealthy[] = "Healthy";

// One device as its plugin lists it (pluginapi.Device).
struct PluginDevice {
  std::string id;
  std::string health = kDeviceHealthy;
  // TopologyInfo: nullopt = absent, empty = present without nodes, else the node ids.
  std::optional<std::vector<int64_t>> numa_nodes;

  bool healthy() const { return health == kDeviceHealthy; }
  // Present and non-empty: the kubelet's "has NUMA info".
  bool HasNuma() const { return numa_nodes.has_value() && !numa_nodes->empty(); }
  friend bool operator==(const PluginDevice&, const PluginDevice&) = default;
};

// pluginapi.DevicePluginOptions.
struct DevicePluginOptions {
  bool get_preferred_allocation_available = false;
  bool pre_start_required = false;
  friend bool operator==(const DevicePluginOptions&, const DevicePluginOptions&) = default;
};

// The plugin's GetPreferredAllocation: the IDs it prefers among `available` (which contains
// `must_include`) for `size` devices. IDs outside the offered set are ignored; an error is
// reported as the kubelet reports the RPC error.
using PreferredAllocationFn = std::function<absl::StatusOr<std::vector<std::string>>(
    const std::vector<std::string>& available, const std::vector<std::string>& must_include,
    int size)>;

// The plugin's Allocate RPC for one container and resource: returns the serialized
// ContainerAllocateResponse (kept verbatim, written to the checkpoint as AllocResp).
using PluginAllocateFn = std::function<absl::StatusOr<std::string>(
    const std::string& resource, const std::vector<std::string>& device_ids)>;

// What one (pod, container, resource) holds: device IDs per NUMA key (-1 = no NUMA info; a
// device on several nodes is listed under each) and the plugin's response bytes.
struct DeviceEntry {
  std::map<int64_t, std::vector<std::string>> devices_per_numa;
  std::string alloc_resp;
  // The union of the per-NUMA lists, ascending.
  std::set<std::string> Devices() const;
  friend bool operator==(const DeviceEntry&, const DeviceEntry&) = default;
};

// The three stages of filterByAffinity (ID sets, ascending).
struct AffinitySplit {
  std::set<std::string> aligned, unaligned, no_affinity;
};

// Per-call context of Allocate / DevicesToAllocate.
struct DeviceAllocateContext {
  // The config sources are all ready (false only while the kubelet starts).
  bool sources_ready = true;
  // (pod uid, container name) pairs the runtime reported running when the kubelet started.
  std::set<std::pair<std::string, std::string>> running_at_start;
  // GetPreferredAllocation per resource; consulted only for plugins that registered it.
  std::map<std::string, PreferredAllocationFn> preferred;
  // The Allocate RPC; without it every response is empty.
  PluginAllocateFn plugin_allocate;
  // DRAExtendedResource: (container, resource) pairs in the pod's extendedResourceClaimStatus
  // are skipped.
  bool dra_extended_resource = true;
};

// Capacity as GetCapacity reports it.
struct DeviceCapacity {
  std::map<std::string, int64_t> capacity;
  std::map<std::string, int64_t> allocatable;
  std::vector<std::string> removed;  // resources forgotten by this call, ascending
};

// Hint generation variants.
struct DeviceHintOptions {
  // Upstream PR #138244 (after v1.36.0): walk only the NUMA nodes that host devices.
  bool only_device_nodes = false;
};

// ShouldResetExtendedResourceCapacity: the node was recreated when the device-plugin
// directory holds no checkpoint file. The kubelet lists every file there (its own socket
// included, upstream issue #126943), so any file counts.
inline bool ShouldResetExtendedResourceCapacity(const std::vector<std::string>& plugin_dir_files) {
  return plugin_dir_files.empty();
}

class DeviceManager {
 public:
  // `numa_nodes`: the machine's NUMA node ids (ids outside 0..63 are never in a hint).
  explicit DeviceManager(std::vector<int> numa_nodes = {0});

  const std::vector<int>& numa_nodes() const { return numa_nodes_; }

  // --- Plugins and devices (§5) --------------------------------------------------------------
  // A plugin (re-)registered for `resource`: a connected endpoint with these options.
  void RegisterPlugin(const std::string& resource, DevicePluginOptions options = {});
  // The plugin's full device list; replaces the previous one. InvalidArgument on a repeated ID.
  [[nodiscard]] absl::Status UpdateDevices(const std::string& resource,
                                           std::vector<PluginDevice> devices);
  // Whether the resource's plugin offers GetPreferredAllocation; its other options and its
  // endpoint's state stay. Nothing happens for a resource without an endpoint.
  void SetPreferredAllocationAvailable(const std::string& resource, bool available);
  // The plugin's endpoint stopped at `stopped_at` (seconds); its devices stay as they are.
  void StopEndpoint(const std::string& resource, int64_t stopped_at);
  // The plugin's last endpoint went away at `now_seconds`: every device becomes unhealthy.
  void DisconnectPlugin(const std::string& resource, int64_t now_seconds);
  // Capacity and allocatable per resource; forgets resources whose endpoint is missing or
  // stopped more than `grace_seconds` ago (the kubelet's endpointStopGracePeriod, 5 minutes).
  DeviceCapacity GetCapacity(int64_t now_seconds, int64_t grace_seconds = 300);
  // Forgets the resource's device list and endpoint, as GetCapacity does once its endpoint is
  // gone past the grace period; allocated entries stay.
  void ForgetResource(const std::string& resource);
  // The registered resources, by name.
  std::vector<std::string> Resources() const;
  // How many healthy devices each registered resource has (the node status allocatable).
  std::map<std::string, int64_t> AllocatableCounts() const;
  // Healthy device IDs per resource (podresources GetAllocatableDevices).
  std::map<std::string, std::vector<std::string>> AllocatableDevices() const;
  // A device-plugin resource: registered, or holding allocated devices.
  bool IsDevicePluginResource(const std::string& resource) const;
  bool IsRegistered(const std::string& resource) const { return devices_.count(resource) > 0; }
  bool HasEndpoint(const std::string& resource) const { return endpoints_.count(resource) > 0; }
  // The options the resource's plugin registered with; nullopt without an endpoint.
  std::optional<DevicePluginOptions> PluginOptions(const std::string& resource) const;
  std::vector<std::string> Endpoints() const;
  // The resource's devices, ascending ID (empty when unknown).
  std::vector<PluginDevice> Devices(const std::string& resource) const;
  // UpdatePluginResources: when the pod holds devices, raises `node_allocatable[r]` to at least
  // the number of allocated devices of r, for every r in use.
  void SanitizeNodeAllocatable(const std::string& pod_uid,
                               std::map<std::string, int64_t>& node_allocatable) const;

  // --- Requests (§1) -------------------------------------------------------------------------
  // The container's device-plugin requests: its integer limits of device-plugin resources.
  std::map<std::string, int64_t> ContainerRequests(const Container& container) const;
  // The pod's effective device-plugin limits (PodLimits fold; spec.resources ignored).
  std::map<std::string, int64_t> PodRequests(const Pod& pod) const;

  // --- Hints (§2) ----------------------------------------------------------------------------
  // Run RemoveInactivePods first, as the kubelet does before every hint computation.
  ProviderHints GetTopologyHints(const Pod& pod, const std::string& container,
                                 const DeviceHintOptions& options = {}) const;
  ProviderHints GetPodTopologyHints(const Pod& pod, const DeviceHintOptions& options = {}) const;

  // --- Allocation (§3, §4) -------------------------------------------------------------------
  // filterByAffinity for `available` under the stored hint (nullopt = no hint).
  AffinitySplit FilterByAffinity(const std::string& resource,
                                 const std::set<std::string>& available,
                                 const std::optional<NumaMask>& hint) const;
  // devicesToAllocate: the devices to add for (pod, container, resource); nullopt = nothing to
  // do. `counted_calls` (optional) receives the number of GetPreferredAllocation calls.
  [[nodiscard]] absl::StatusOr<std::optional<std::vector<std::string>>> DevicesToAllocate(
      const std::string& pod_uid, const std::string& container, const std::string& resource,
      int64_t required, const std::set<std::string>& reusable,
      const std::optional<NumaMask>& hint, const DeviceAllocateContext& context,
      int* counted_calls = nullptr) const;
  // Allocate(pod, container) with the container's stored hint affinity: all resources of the
  // container or none; updates the reuse pool of the pod (init containers, sidecars).
  [[nodiscard]] absl::Status Allocate(const Pod& pod, const std::string& container,
                                      const std::optional<NumaMask>& hint,
                                      const DeviceAllocateContext& context = {});

  // --- Pods ----------------------------------------------------------------------------------
  // Garbage collection: with sources ready, forgets every pod not in `active_pods`.
  // Returns whether anything was removed.
  bool RemoveInactivePods(const std::set<std::string>& active_pods, bool sources_ready = true);
  void RemovePod(const std::string& pod_uid);
  // Records an entry as if allocated (restores, tests, callers replaying a node).
  void SetEntry(const std::string& pod_uid, const std::string& container,
                const std::string& resource, DeviceEntry entry);
  const DeviceEntry* Entry(const std::string& pod_uid, const std::string& container,
                           const std::string& resource) const;
  // pod uid -> container -> resource -> entry.
  using PodDevices =
      std::map<std::string, std::map<std::string, std::map<std::string, DeviceEntry>>>;
  const PodDevices& pod_devices() const { return pod_devices_; }
  // allocatedDevices: the union of every entry's devices per resource.
  const std::map<std::string, std::set<std::string>>& in_use() const { return in_use_; }
  // The reuse pool (devices of finished regular init containers) of the pod being admitted.
  const std::map<std::string, std::set<std::string>>& Reusable(const std::string& pod_uid) const;
  void SetReusable(const std::string& pod_uid, std::map<std::string, std::set<std::string>> pool);

  // --- Checkpoint restore (§8; the file itself is podalloc/device_checkpoint.h) -------------
  // A resource named in the checkpoint: registered without devices, its endpoint stopped
  // (capacity 0 until the plugin registers again) since `now_seconds`.
  void RestoreRegistered(const std::string& resource, int64_t now_seconds);
  // Forgets every entry, device list, endpoint and reuse pool (the NUMA node list stays).
  void Clear();

  // Equal state: the same NUMA nodes, device lists, endpoints, entries and reuse pool.
  friend bool operator==(const DeviceManager&, const DeviceManager&);

 private:
  struct Endpoint {
    DevicePluginOptions options;
    std::optional<int64_t> stopped_at;
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
  };
  void RebuildInUse();
  // The resource's device list; nullptr when it is not registered.
  const internal::DeviceList* List(const std::string& resource) const;
  const PluginDevice* Find(const std::string& resource, const std::string& id) const;
  ResourceHints HintsFor(const std::string& resource, int64_t request,
                         const std::set<std::string>& held, const std::set<std::string>& reusable,
                         bool use_reusable, const DeviceHintOptions& options) const;
  NumaMask MachineMask() const;

  std::vector<int> numa_nodes_;
  // Key present = registered. A list is immutable once built and shared by copies of the
  // manager (an admission works on a copy; lists change only when a plugin reports), so a
  // copy costs a pointer per resource, not a string per device.
  std::map<std::string, std::shared_ptr<const internal::DeviceList>> devices_;
  std::map<std::string, Endpoint> endpoints_;
  PodDevices pod_devices_;
  std::map<std::string, std::set<std::string>> in_use_;
  std::string reuse_pod_;
  std::map<std::string, std::set<std::string>> reuse_;
};

}  // namespace podalloc
