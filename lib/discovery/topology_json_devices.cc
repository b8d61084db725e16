// The "devices" array of the versioned topology document: PCI and OS devices with their NUMA
// locality (podalloc/io_device.h). Read strictly, like the rest of the document: unknown keys
// and wrong types are errors naming the path; the model's checks (Topology::Build) follow.
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "json_reader.h"
#include "podalloc/internal/hex_digit.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/status_macros.h"
#include "topology_json_internal.h"

namespace podalloc::internal {
namespace {

using nlohmann::json;

// A 16-bit PCI id written as PciIdText writes it: exactly four hex digits.
absl::StatusOr<uint16_t> ReadPciId(const json& v, const std::string& path) {
  PODALLOC_ASSIGN_OR_RETURN(std::string text, ReadString(v, path));
  uint16_t value = 0;
  bool ok = text.size() == 4;
  for (char c : text) {
    const int digit = HexDigitValue(c);
    ok = ok && digit >= 0;
    value = static_cast<uint16_t>((value << 4) | (digit & 0xf));
  }
  if (!ok) {
    return JsonError(path, absl::StrCat("expected four hex digits (\"10de\"), got ",
                                        QuoteInput(text)));
  }
  return value;
}

absl::StatusOr<std::optional<NumaMask>> ReadLocality(const json& v, const std::string& path) {
  if (v.is_null()) return std::optional<NumaMask>();
  PODALLOC_RETURN_IF_ERROR(ExpectArray(v, path));
  NumaMask mask;
  for (size_t i = 0; i < v.size(); ++i) {
    PODALLOC_ASSIGN_OR_RETURN(int64_t id,
                              ReadInt(v[i], JsonPath(path, i), 0, NumaMask::kMaxNodes - 1));
    mask.Set(static_cast<int>(id));
  }
  return std::optional<NumaMask>(mask);
}

absl::StatusOr<IoDevice> ReadIoDevice(const json& v, const std::string& path) {
  PODALLOC_RETURN_IF_ERROR(ExpectObject(v, path));
  PODALLOC_RETURN_IF_ERROR(ExpectOnlyKeys(v, path,
                                          {"type", "id", "kind", "pci_bus_id", "vendor", "device",
                                           "class", "name", "numa_nodes"}));
  IoDevice d;
  for (const char* key : {"type", "id", "kind"}) {
    if (FindMember(v, key) == nullptr) return JsonError(JsonPath(path, key), "missing");
  }
  PODALLOC_ASSIGN_OR_RETURN(std::string type, ReadString(v["type"], JsonPath(path, "type")));
  if (type != "pci" && type != "os") {
    return JsonError(JsonPath(path, "type"),
                     absl::StrCat("expected \"pci\" or \"os\", got ", QuoteInput(type)));
  }
  d.type = type == "pci" ? IoDevice::Type::kPci : IoDevice::Type::kOs;
  PODALLOC_ASSIGN_OR_RETURN(d.id, ReadString(v["id"], JsonPath(path, "id")));
  PODALLOC_ASSIGN_OR_RETURN(std::string kind, ReadString(v["kind"], JsonPath(path, "kind")));
  std::optional<IoDeviceKind> parsed = ParseIoDeviceKind(kind);
  if (!parsed.has_value()) {
    return JsonError(JsonPath(path, "kind"),
                     absl::StrCat("unknown device kind ", QuoteInput(kind),
                                  " (other, gpu, network, openfabrics, storage, block, "
                                  "coprocessor, dma)"));
  }
  d.kind = *parsed;
  if (const json* bus = FindMember(v, "pci_bus_id")) {
    PODALLOC_ASSIGN_OR_RETURN(d.pci_bus_id, ReadString(*bus, JsonPath(path, "pci_bus_id")));
  } else if (d.type == IoDevice::Type::kPci) {
    d.pci_bus_id = d.id;
  }
  for (auto [key, field] : {std::pair<const char*, std::optional<uint16_t>*>{"vendor", &d.vendor_id},
                            {"device", &d.device_id},
                            {"class", &d.class_id}}) {
    if (const json* id = FindMember(v, key)) {
      PODALLOC_ASSIGN_OR_RETURN(*field, ReadPciId(*id, JsonPath(path, key)));
    }
  }
  if (const json* name = FindMember(v, "name")) {
    PODALLOC_ASSIGN_OR_RETURN(d.name, ReadString(*name, JsonPath(path, "name")));
  }
  if (const json* numa = FindMember(v, "numa_nodes")) {
    PODALLOC_ASSIGN_OR_RETURN(d.numa_nodes, ReadLocality(*numa, JsonPath(path, "numa_nodes")));
  }
  return d;
}

}  // namespace

std::string PciIdText(uint16_t id) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04x", id);
  return text;
}

absl::StatusOr<std::vector<IoDevice>> ReadIoDevices(const json& v, const std::string& path) {
  PODALLOC_RETURN_IF_ERROR(ExpectArray(v, path));
  std::vector<IoDevice> devices;
  for (size_t i = 0; i < v.size(); ++i) {
    PODALLOC_ASSIGN_OR_RETURN(IoDevice d, ReadIoDevice(v[i], JsonPath(path, i)));
    devices.push_back(std::move(d));
  }
  return devices;
}

}  // namespace podalloc::internal
