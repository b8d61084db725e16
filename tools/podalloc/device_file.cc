// Reading --devices files: every field checked, the offending one named with its path.
#include "device_file.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/json_input.h"

namespace podalloc::cli {
namespace {

absl::Status Bad(const std::string& where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

absl::StatusOr<PluginDevice> DeviceOf(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) return Bad(where, "want an object {\"id\", \"numaNodes\", \"healthy\"}");
  PluginDevice d;
  for (const auto& [key, value] : j.items()) {
    const std::string at = absl::StrCat(where, ".", key);
    if (key == "id") {
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        return Bad(at, "want a non-empty string");
      }
      d.id = value.get<std::string>();
    } else if (key == "healthy") {
      if (!value.is_boolean()) return Bad(at, "want true or false");
      d.health = value.get<bool>() ? kDeviceHealthy : "Unhealthy";
    } else if (key == "numaNodes") {
      if (value.is_null()) continue;
      if (!value.is_array()) return Bad(at, "want an array of NUMA node ids or null");
      std::vector<int64_t> nodes;
      for (size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_number_integer() || value[i].get<int64_t>() < 0) {
          return Bad(absl::StrCat(at, "[", i, "]"), "want a NUMA node id (0 or more)");
        }
        nodes.push_back(value[i].get<int64_t>());
      }
      d.numa_nodes = std::move(nodes);
    } else {
      return Bad(at, "unknown field (want id, numaNodes, healthy)");
    }
  }
  if (d.id.empty()) return Bad(where, "\"id\" is missing");
  return d;
}

}  // namespace

absl::StatusOr<std::map<std::string, std::vector<PluginDevice>>> ParseDeviceFile(
    std::string_view text, const std::string& origin) {
  absl::StatusOr<nlohmann::json> doc = internal::ParseJson(text);
  if (!doc.ok()) return Bad(origin, doc.status().message());
  if (!doc->is_object()) return Bad(origin, "want an object of resource names to device lists");
  std::map<std::string, std::vector<PluginDevice>> out;
  for (const auto& [resource, list] : doc->items()) {
    const std::string where = absl::StrCat(origin, ": \"", resource, "\"");
    if (!list.is_array()) return Bad(where, "want an array of devices");
    std::vector<PluginDevice>& devices = out[resource];
    for (size_t i = 0; i < list.size(); ++i) {
      absl::StatusOr<PluginDevice> d = DeviceOf(list[i], absl::StrCat(where, "[", i, "]"));
      if (!d.ok()) return d.status();
      devices.push_back(*std::move(d));
    }
  }
  return out;
}

}  // namespace podalloc::cli
