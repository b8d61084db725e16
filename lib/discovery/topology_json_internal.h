// File: lib/discovery/topology_json_internal.h
// Pieces shared by the two topology JSON readers (topology_json.cc for the versioned schema,
// kubelet_records.cc for the kubelet's test topologies).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/topology.h"
#include "podalloc/topology_json.h"

namespace podalloc::internal {

// An id-like member (int 0..INT_MAX); a missing member yields `fallback` when one is given.
absl::StatusOr<int> ReadIntMember(const nlohmann::json& obj, const std::string& path,
                                  std::string_view key, std::optional<int> fallback = std::nullopt);

// A header count: absent or null leaves it unset, or sets it to 0 when `null_is_zero`.
absl::Status ReadCount(const nlohmann::json& obj, const std::string& path, std::string_view key,
                       std::optional<int>* out, bool null_is_zero = false);

// A square matrix as an array of rows, or an object {"<numa id>": row} whose rows are taken
// in ascending NUMA id order (the shape of cadvisor's per-node distance lists); null = none.
absl::StatusOr<std::vector<std::vector<int>>> ReadDistances(const nlohmann::json& v,
                                                            const std::string& path);

// One CPUTopology literal of the kubelet's tests, as transcribed in topologies.json; `root`
// is its JSON path.
absl::StatusOr<TopologySpec> ReadKubeletRecord(const nlohmann::json& doc, const std::string& root,
                                               KubeletNullCount nulls);

// Either form, recognised by the presence of "schema"; `nulls` applies to kubelet records.
absl::StatusOr<Topology> TopologyFromDocument(const nlohmann::json& doc, const std::string& root,
                                              KubeletNullCount nulls);

}  // namespace podalloc::internal

namespace podalloc::internal {

// The "devices" array of the versioned document (docs/topology-json.md); `path` is its JSON
// path.
absl::StatusOr<std::vector<IoDevice>> ReadIoDevices(const nlohmann::json& v,
                                                    const std::string& path);

// "8086": a 16-bit PCI id as four lowercase hex digits, the form lspci -n prints.
std::string PciIdText(uint16_t id);

// One device of the "devices" array, keys in the documented order.
template <typename Json>
Json IoDeviceToJson(const IoDevice& d) {
  Json out;
  out["type"] = d.type == IoDevice::Type::kPci ? "pci" : "os";
  out["id"] = d.id;
  out["kind"] = std::string(IoDeviceKindName(d.kind));
  out["pci_bus_id"] = d.pci_bus_id;
  if (d.vendor_id.has_value()) out["vendor"] = PciIdText(*d.vendor_id);
  if (d.device_id.has_value()) out["device"] = PciIdText(*d.device_id);
  if (d.class_id.has_value()) out["class"] = PciIdText(*d.class_id);
  out["name"] = d.name;
  out["numa_nodes"] = d.numa_nodes.has_value() ? Json(d.numa_nodes->GetBits()) : Json(nullptr);
  return out;
}

}  // namespace podalloc::internal
