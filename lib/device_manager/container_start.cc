// GetDeviceRunContainerOptions and callPreStartContainerIfNeeded (manager.go): what happens
// for devices when a container is created, after admission.
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/device_run_options.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

absl::Status PreStartIfNeeded(const DeviceManager& manager, const std::string& pod_uid,
                              const std::string& container, const std::string& resource,
                              const PreStartContainerFn& pre_start) {
  const std::optional<DevicePluginOptions> options = manager.PluginOptions(resource);
  if (!options) {
    return absl::FailedPreconditionError(
        absl::StrCat("endpoint not found in cache for a registered resource: ", resource));
  }
  if (!options->pre_start_required) return absl::OkStatus();
  const DeviceEntry* entry = manager.Entry(pod_uid, container, resource);
  if (entry == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("no devices found allocated in local cache for pod ", pod_uid,
                     ", container ", container, ", resource ", resource));
  }
  if (!pre_start) return absl::OkStatus();
  const std::set<std::string> ids = entry->Devices();
  if (absl::Status s = pre_start(resource, {ids.begin(), ids.end()}); !s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("device plugin PreStartContainer rpc failed with err: ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<DeviceRunContainerOptions>> GetDeviceRunContainerOptions(
    DeviceManager& manager, const Pod& pod, const std::string& container,
    const RunContainerContext& context) {
  const Container* c = FindContainer(pod, container);
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrCat("pod ", internal::QuoteInput(pod.uid),
                                            " has no container ",
                                            internal::QuoteInput(container)));
  }
  bool reallocate = false;
  for (const auto& [resource, quantity] : c->resources.limits) {
    if (!manager.IsDevicePluginResource(resource) || quantity.Value() == 0) continue;
    absl::Status s = PreStartIfNeeded(manager, pod.uid, container, resource, context.pre_start);
    if (!s.ok()) return s;
    if (!context.pod_active) continue;
    // A device resource without an entry: a race during a node restart (or a pod whose
    // devices are only allocated now); allocate again.
    reallocate = reallocate || manager.Entry(pod.uid, container, resource) == nullptr;
  }
  if (reallocate) {
    absl::Status s = manager.Allocate(pod, container, context.hint, context.allocate);
    if (!s.ok()) return s;
  }
  return RunContainerOptions(manager, pod.uid, container);
}

}  // namespace podalloc
