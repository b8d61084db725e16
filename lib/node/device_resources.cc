// Device plugins registering with the node: the kubelet's device manager keeps each plugin's
// device list (genericDeviceUpdateCallback) and forgets a resource once its endpoint is gone.
// Every change moves the node's version on, so a decision planned before it cannot commit.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "metric_names.h"
#include "node_internal.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/resource_fit.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

absl::Status CheckDevices(const Topology& topology, std::string_view resource,
                          const std::vector<PluginDevice>& devices) {
  if (!IsExtendedResourceName(resource)) {
    return absl::InvalidArgumentError(
        absl::StrCat("device resource ", internal::QuoteInput(resource),
                     ": not an extended resource name (a domain-prefixed name outside "
                     "kubernetes.io/, e.g. nvidia.com/gpu)"));
  }
  const std::vector<int>& ids = topology.NumaIds();
  for (size_t i = 0; i < devices.size(); ++i) {
    const PluginDevice& d = devices[i];
    if (d.id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "device resource ", internal::QuoteInput(resource), ": devices[", i, "]: empty ID"));
    }
    if (!d.numa_nodes.has_value()) continue;
    for (int64_t node : *d.numa_nodes) {
      if (std::find(ids.begin(), ids.end(), node) == ids.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "device resource ", internal::QuoteInput(resource), ": device ",
            internal::QuoteInput(d.id), ": NUMA node ", node, " is not on this machine"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace internal {

void PreferredAllocations::Set(const std::string& resource, PreferredAllocationFn fn) {
  absl::MutexLock lock(&mu_);
  fns_[resource] = std::move(fn);
}

void PreferredAllocations::Erase(const std::string& resource) {
  absl::MutexLock lock(&mu_);
  fns_.erase(resource);
}

bool PreferredAllocations::Has(const std::string& resource) const {
  absl::MutexLock lock(&mu_);
  return fns_.count(resource) > 0;
}

std::map<std::string, PreferredAllocationFn> PreferredAllocations::For(
    const std::map<std::string, int64_t>& resources) const {
  std::map<std::string, PreferredAllocationFn> out;
  absl::MutexLock lock(&mu_);
  if (fns_.empty()) return out;
  for (const auto& [resource, count] : resources) {
    if (auto it = fns_.find(resource); it != fns_.end()) out.emplace(resource, it->second);
  }
  return out;
}

}  // namespace internal

absl::Status Node::SetDeviceResource(std::string_view resource, std::vector<PluginDevice> devices,
                                     DevicePluginOptions options) {
  PODALLOC_RETURN_IF_ERROR(CheckDevices(parts_->topology, resource, devices));
  const std::string name(resource);
  internal::RwWriterLock lock(&mu_);
  DeviceManager next = state_.devices;
  // The device manager asks only plugins registered as offering GetPreferredAllocation.
  options.get_preferred_allocation_available =
      options.get_preferred_allocation_available || parts_->preferred->Has(name);
  next.RegisterPlugin(name, options);
  PODALLOC_RETURN_IF_ERROR(next.UpdateDevices(name, std::move(devices)));
  state_.devices = std::move(next);
  internal::Count(metrics_, internal::DevicePluginRegistrations(name));
  ++version_;
  return absl::OkStatus();
}

absl::Status Node::RemoveDeviceResource(std::string_view resource) {
  const std::string name(resource);
  internal::RwWriterLock lock(&mu_);
  if (!state_.devices.IsRegistered(name)) {
    return absl::NotFoundError(absl::StrCat("device resource ", internal::QuoteInput(resource),
                                            " is not registered"));
  }
  state_.devices.ForgetResource(name);
  parts_->preferred->Erase(name);
  ++version_;
  return absl::OkStatus();
}

absl::Status Node::SetDevicePreferredAllocation(std::string_view resource,
                                                PreferredAllocationFn preferred) {
  const std::string name(resource);
  internal::RwWriterLock lock(&mu_);
  if (!state_.devices.IsRegistered(name)) {
    return absl::NotFoundError(absl::StrCat("device resource ", internal::QuoteInput(resource),
                                            " is not registered"));
  }
  const bool available = static_cast<bool>(preferred);
  if (available) {
    parts_->preferred->Set(name, std::move(preferred));
  } else {
    parts_->preferred->Erase(name);
  }
  state_.devices.SetPreferredAllocationAvailable(name, available);
  ++version_;
  return absl::OkStatus();
}

std::map<std::string, std::vector<PluginDevice>> Node::DeviceResources() const {
  internal::RwReaderLock lock(&mu_);
  std::map<std::string, std::vector<PluginDevice>> out;
  for (const std::string& r : state_.devices.Resources()) out[r] = state_.devices.Devices(r);
  return out;
}

}  // namespace podalloc
