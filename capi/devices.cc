// File: capi/devices.cc
// Device plugins through the C ABI: a resource's devices registered on a node from a typed
// array (decision_typed.cc reads the devices each container holds).

#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "guard.h"
#include "node_handles.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/utf8.h"
#include "struct_out.h"

namespace podalloc::capi {
namespace {

constexpr size_t kDeviceV0Size = sizeof(podalloc_device);

absl::StatusOr<std::string> ResourceName(const char* data, size_t len) {
  PODALLOC_ASSIGN_OR_RETURN(std::string_view text, Text(data, len, "resource"));
  if (internal::FirstInvalidUtf8(text) != std::string_view::npos) {
    return absl::InvalidArgumentError("resource: not valid UTF-8");
  }
  return std::string(text);
}

// The typed array as plugin devices; the first element's struct_size is the stride.
absl::StatusOr<std::vector<PluginDevice>> DevicesOf(const podalloc_device* devices, size_t count) {
  std::vector<PluginDevice> out;
  if (count == 0) return out;
  PODALLOC_RETURN_IF_ERROR(NotNull(devices, "devices"));
  const size_t stride = devices->struct_size;
  const auto* base = reinterpret_cast<const unsigned char*>(devices);
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const auto* element = reinterpret_cast<const podalloc_device*>(base + i * stride);
    const std::string name = absl::StrCat("devices[", i, "]");
    if (element->struct_size != stride) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ".struct_size is ", element->struct_size, "; every element must have ", stride));
    }
    PODALLOC_ASSIGN_OR_RETURN(const podalloc_device d,
                              ReadOptions(element, podalloc_device{}, kDeviceV0Size, name.c_str()));
    PODALLOC_RETURN_IF_ERROR(
        CheckFlags(d.flags, PODALLOC_DEVICE_HEALTHY | PODALLOC_DEVICE_NUMA, (name + ".flags").c_str()));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view id, Text(d.id.data, d.id.size, (name + ".id").c_str()));
    if (internal::FirstInvalidUtf8(id) != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(name, ".id: not valid UTF-8"));
    }
    PluginDevice device;
    device.id = std::string(id);
    device.health = (d.flags & PODALLOC_DEVICE_HEALTHY) != 0 ? kDeviceHealthy : "Unhealthy";
    if ((d.flags & PODALLOC_DEVICE_NUMA) != 0) {
      if (d.numa_nodes == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ".numa_nodes is 0 with PODALLOC_DEVICE_NUMA; leave the flag out for a device "
                  "without NUMA info"));
      }
      std::vector<int64_t> nodes;
      for (int n = 0; n < 64; ++n) {
        if ((d.numa_nodes >> n) & 1u) nodes.push_back(n);
      }
      device.numa_nodes = std::move(nodes);
    }
    out.push_back(std::move(device));
  }
  return out;
}

// Room for the callback's reason when it fails.
constexpr size_t kPreferredMessageCapacity = 256;

// The C callback as the device manager's GetPreferredAllocation.
PreferredAllocationFn PreferredOf(std::string resource, podalloc_preferred_allocation_fn fn,
                                  void* user_data) {
  return [resource = std::move(resource), fn, user_data](
             const std::vector<std::string>& available, const std::vector<std::string>& must,
             int size) -> absl::StatusOr<std::vector<std::string>> {
    const auto texts = [](const std::vector<std::string>& ids) {
      std::vector<podalloc_text> out;
      out.reserve(ids.size());
      for (const std::string& id : ids) out.push_back(TextOf(id));
      return out;
    };
    const std::vector<podalloc_text> offered = texts(available);
    const std::vector<podalloc_text> included = texts(must);
    std::vector<size_t> chosen(available.size());
    size_t count = 0;
    std::array<char, kPreferredMessageCapacity> message{};
    const int rc = fn(user_data, TextOf(resource),
                      offered.data(), offered.size(), included.data(), included.size(),
                      static_cast<size_t>(size < 0 ? 0 : size), chosen.data(), chosen.size(),
                      &count, message.data(), message.size());
    if (rc != 0) {
      // Whatever the callback wrote, up to its NUL or the end of the buffer, quoted.
      const std::string_view why(message.data(), strnlen(message.data(), message.size()));
      return absl::UnknownError(
          absl::StrCat("the preferred-allocation callback returned ", rc,
                       why.empty() ? std::string() : ": " + internal::QuoteInput(why)));
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < count && i < chosen.size(); ++i) {
      if (chosen[i] < available.size()) out.push_back(available[chosen[i]]);
    }
    return out;
  };
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::GuardNode;
using podalloc::capi::NotNull;

extern "C" {

PODALLOC_API podalloc_status podalloc_node_set_device_resource(podalloc_node* node,
                                                               const char* resource,
                                                               size_t resource_len,
                                                               const podalloc_device* devices,
                                                               size_t device_count,
                                                               podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_ASSIGN_OR_RETURN(std::string name,
                              podalloc::capi::ResourceName(resource, resource_len));
    PODALLOC_ASSIGN_OR_RETURN(std::vector<podalloc::PluginDevice> list,
                              podalloc::capi::DevicesOf(devices, device_count));
    return n.SetDeviceResource(name, std::move(list));
  });
}

PODALLOC_API podalloc_status podalloc_node_remove_device_resource(podalloc_node* node,
                                                                  const char* resource,
                                                                  size_t resource_len,
                                                                  podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_ASSIGN_OR_RETURN(std::string name,
                              podalloc::capi::ResourceName(resource, resource_len));
    return n.RemoveDeviceResource(name);
  });
}

PODALLOC_API podalloc_status podalloc_node_set_device_preferred_allocation(
    podalloc_node* node, const char* resource, size_t resource_len,
    podalloc_preferred_allocation_fn fn, void* user_data, podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_ASSIGN_OR_RETURN(std::string name,
                              podalloc::capi::ResourceName(resource, resource_len));
    if (fn == nullptr) return n.SetDevicePreferredAllocation(name, nullptr);
    return n.SetDevicePreferredAllocation(name,
                                          podalloc::capi::PreferredOf(name, fn, user_data));
  });
}

}  // extern "C"
