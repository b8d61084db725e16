// The device manager inside admission: the first hint provider (the kubelet registers it before
// the CPU and memory managers) and the first Allocate of each container. Only a pod that
// requests device-plugin resources gets a copy of the manager (Scratch::devices_copy); the
// copy becomes the node's at Commit, so a refused pod changes nothing.
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "node_internal.h"

namespace podalloc::internal {
namespace {

// The device manager keys pods by UID; the node keys a pod without one by namespace/name.
const Pod& KeyedPod(const Pod& pod, std::optional<Pod>& storage) {
  if (!pod.uid.empty()) return pod;
  storage = pod;
  storage->uid = PodStateKey(pod);
  return *storage;
}

}  // namespace

bool RequestsDevices(const DeviceManager& devices, const Pod& pod) {
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) {
      if (!devices.ContainerRequests(c).empty()) return true;
    }
  }
  return false;
}

ProviderHints DeviceContainerHints(const Scratch& s, const Pod& pod, const Container& container) {
  if (!s.devices_copy.has_value()) return ProviderHints();
  std::optional<Pod> storage;
  return s.devices_copy->GetTopologyHints(KeyedPod(pod, storage), container.name);
}

ProviderHints DevicePodHints(const Scratch& s, const Pod& pod) {
  if (!s.devices_copy.has_value()) return ProviderHints();
  std::optional<Pod> storage;
  return s.devices_copy->GetPodTopologyHints(KeyedPod(pod, storage));
}

absl::Status AllocateDevices(const Node::Parts& parts, const Pod& pod, const Container& container,
                             const std::optional<TopologyHint>& hint, Scratch& s,
                             ContainerDecision& out) {
  if (!s.devices_copy.has_value()) return absl::OkStatus();
  DeviceManager& manager = *s.devices_copy;
  const std::map<std::string, int64_t> requests = manager.ContainerRequests(container);
  if (requests.empty()) return absl::OkStatus();
  std::optional<Pod> storage;
  const Pod& keyed = KeyedPod(pod, storage);
  DeviceAllocateContext context;
  context.dra_extended_resource = parts.config.feature_gates.dra_extended_resource;
  context.preferred = parts.preferred->For(requests);
  std::optional<NumaMask> affinity;
  if (hint.has_value()) affinity = hint->affinity;
  absl::Status allocated = manager.Allocate(keyed, container.name, affinity, context);
  if (!allocated.ok()) return allocated;
  std::vector<std::string> texts;
  if (auto p = manager.pod_devices().find(keyed.uid); p != manager.pod_devices().end()) {
    if (auto c = p->second.find(container.name); c != p->second.end()) {
      for (const auto& [resource, entry] : c->second) {
        const std::set<std::string> ids = entry.Devices();
        std::vector<std::string>& list = out.devices[resource];
        list.assign(ids.begin(), ids.end());
        std::vector<std::string> numa;
        for (const auto& [node, on_node] : entry.devices_per_numa) {
          numa.push_back(node < 0 ? "no NUMA info" : absl::StrCat("NUMA ", node));
        }
        texts.push_back(absl::StrCat(resource, " ", absl::StrJoin(list, ","), " (",
                                     absl::StrJoin(numa, ", "), ")"));
      }
    }
  }
  if (!texts.empty()) out.reasons.push_back(absl::StrCat("devices: ", absl::StrJoin(texts, "; ")));
  return absl::OkStatus();
}

std::optional<ResourceList> AllocatableWithDevices(const ResourceList& base,
                                                   const DeviceManager& devices,
                                                   std::string_view pod_uid) {
  std::map<std::string, int64_t> counts = devices.AllocatableCounts();
  if (counts.empty() && devices.in_use().empty()) return std::nullopt;
  // UpdatePluginResources: a pod holding devices raises allocatable to the devices in use.
  devices.SanitizeNodeAllocatable(std::string(pod_uid), counts);
  ResourceList out = base;
  for (const auto& [resource, n] : counts) out[resource] = Quantity::FromValue(n);
  return out;
}

}  // namespace podalloc::internal
