// I/O device kinds and the checks Topology::Build makes on a device list (podalloc/io_device.h).
#include <algorithm>
#include <array>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/topology.h"

namespace podalloc {
namespace {

constexpr std::array<std::pair<IoDeviceKind, std::string_view>, 8> kKindNames = {{
    {IoDeviceKind::kOther, "other"},
    {IoDeviceKind::kGpu, "gpu"},
    {IoDeviceKind::kNetwork, "network"},
    {IoDeviceKind::kOpenFabrics, "openfabrics"},
    {IoDeviceKind::kStorage, "storage"},
    {IoDeviceKind::kBlock, "block"},
    {IoDeviceKind::kCoprocessor, "coprocessor"},
    {IoDeviceKind::kDma, "dma"},
}};

// Device ids and names come from files and documents; a bound keeps messages and tables sane.
constexpr size_t kMaxDeviceText = 256;

bool LowerHex(std::string_view s, size_t min, size_t max) {
  return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

absl::Status Invalid(const IoDevice& device, const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat("topology: device ", internal::QuoteInput(device.id), ": ", what));
}

}  // namespace

std::string_view IoDeviceKindName(IoDeviceKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "other";
}

std::optional<IoDeviceKind> ParseIoDeviceKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

IoDeviceKind PciClassKind(uint16_t class_id) {
  const int base = class_id >> 8;
  if (class_id == 0x0207 || class_id == 0x0c06) return IoDeviceKind::kOpenFabrics;
  if (base == 0x02) return IoDeviceKind::kNetwork;
  if (base == 0x03) return IoDeviceKind::kGpu;
  if (base == 0x01) return IoDeviceKind::kStorage;
  if (class_id == 0x0b40 || base == 0x12) return IoDeviceKind::kCoprocessor;
  return IoDeviceKind::kOther;
}

bool IsImportantPciClass(uint16_t class_id) {
  const int base = class_id >> 8;
  return base == 0x00 || base == 0x01 || base == 0x02 || base == 0x03 || base == 0x0b ||
         base == 0x12 || class_id == 0x0c04 || class_id == 0x0c06 || class_id == 0x0502;
}

bool IsPciBusId(std::string_view text) {
  // dddd:bb:dd.f
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || !LowerHex(text.substr(0, colon), 4, 8)) return false;
  std::string_view rest = text.substr(colon + 1);
  if (rest.size() != 7 || rest[2] != ':' || rest[5] != '.') return false;
  if (!LowerHex(rest.substr(0, 2), 2, 2) || !LowerHex(rest.substr(3, 2), 2, 2) ||
      !LowerHex(rest.substr(6, 1), 1, 1)) {
    return false;
  }
  return rest[3] <= '1' && rest[6] <= '7';
}

absl::Status CheckIoDevices(std::vector<IoDevice>* devices, NumaMask machine_numa_nodes) {
  std::sort(devices->begin(), devices->end(), [](const IoDevice& a, const IoDevice& b) {
    return std::tie(a.type, a.id) < std::tie(b.type, b.id);
  });
  for (size_t i = 0; i < devices->size(); ++i) {
    const IoDevice& d = (*devices)[i];
    if (d.id.empty()) return absl::InvalidArgumentError("topology: a device has an empty id");
    if (d.id.size() > kMaxDeviceText || d.name.size() > kMaxDeviceText) {
      return Invalid(d, absl::StrCat("id and name are limited to ", kMaxDeviceText, " bytes"));
    }
    if (i > 0 && (*devices)[i - 1].type == d.type && (*devices)[i - 1].id == d.id) {
      return Invalid(d, "listed twice");
    }
    if (d.type == IoDevice::Type::kPci) {
      if (!IsPciBusId(d.id)) {
        return Invalid(d, "a PCI device's id is its bus id, of the form \"0000:01:00.0\"");
      }
      if (d.pci_bus_id != d.id) {
        return Invalid(d, absl::StrCat("pci_bus_id ", internal::QuoteInput(d.pci_bus_id),
                                       " differs from the PCI device's id"));
      }
    } else if (!d.pci_bus_id.empty() && !IsPciBusId(d.pci_bus_id)) {
      return Invalid(d, absl::StrCat("pci_bus_id ", internal::QuoteInput(d.pci_bus_id),
                                     " is not of the form \"0000:01:00.0\""));
    }
    if (d.numa_nodes.has_value()) {
      if (d.numa_nodes->IsEmpty()) {
        return Invalid(d, "an empty NUMA node set (unknown locality is written as none)");
      }
      if (!d.numa_nodes->IsSubsetOf(machine_numa_nodes)) {
        return Invalid(d, absl::StrCat("NUMA nodes ", d.numa_nodes->ToList(),
                                       " are not all nodes of the machine (",
                                       machine_numa_nodes.ToList(), ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace podalloc
