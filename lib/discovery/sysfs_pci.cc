// PCI functions under /sys/bus/pci/devices and the OS devices the kernel made of them (net/,
// infiniband/), with the NUMA node the kernel reports in numa_node: what device plugins read
// to fill a device's TopologyInfo.
//
// numa_node follows the kernel's meaning: -1 (NUMA_NO_NODE) is unknown locality, and the
// kernel never shows another negative value, a node past its limit or a node that is not
// online (it resets a firmware node that is not online to -1). Such a value, or text that is
// not an integer, is an inconsistent tree and an error naming the file and the value. A
// kernel without NUMA has no numa_node file: unknown locality.
#include "absl/strings/str_cat.h"
#include "podalloc/internal/hex_digit.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/status_macros.h"
#include "sysfs_reader.h"

namespace podalloc::internal {
namespace {

const std::string kPciDir = "sys/bus/pci/devices";

// A sysfs hex id ("0x8086", "0x020000"): "0x" and at most `digits` hex digits.
absl::StatusOr<uint32_t> ReadHexId(const SysfsRoot& root, const std::string& relative,
                                   size_t digits) {
  PODALLOC_ASSIGN_OR_RETURN(std::string text, root.Read(relative));
  bool ok = text.size() > 2 && text.size() <= digits + 2 && text[0] == '0' &&
            (text[1] == 'x' || text[1] == 'X');
  uint32_t value = 0;
  for (size_t i = 2; ok && i < text.size(); ++i) {
    const int v = HexDigitValue(text[i]);
    ok = v >= 0;
    value = (value << 4) | static_cast<uint32_t>(v & 0xf);
  }
  if (!ok) {
    return root.Malformed(relative, absl::StrCat("expected \"0x\" and at most ", digits,
                                                 " hex digits, got ", QuoteInput(text)));
  }
  return value;
}

absl::StatusOr<std::optional<NumaMask>> ReadNumaNode(const SysfsRoot& root,
                                                     const std::string& relative,
                                                     NumaMask machine) {
  if (!root.Exists(relative)) return std::optional<NumaMask>();
  PODALLOC_ASSIGN_OR_RETURN(int64_t node, root.ReadInt(relative));
  if (node == -1) return std::optional<NumaMask>();
  if (node < 0 || node >= NumaMask::kMaxNodes) {
    return root.Malformed(relative, absl::StrCat("NUMA node ", node, " is out of range (-1 for "
                                                 "unknown, else 0..", NumaMask::kMaxNodes - 1,
                                                 ")"));
  }
  if (!machine.IsSet(static_cast<int>(node))) {
    return root.Malformed(relative, absl::StrCat("NUMA node ", node,
                                                 " is not an online node of the machine (",
                                                 machine.ToList(), ")"));
  }
  return std::optional<NumaMask>(NumaMask::Single(static_cast<int>(node)));
}

}  // namespace

absl::StatusOr<std::vector<IoDevice>> ReadSysfsPciDevices(const SysfsRoot& root,
                                                          NumaMask machine) {
  std::vector<IoDevice> devices;
  if (!root.Exists(kPciDir)) return devices;
  PODALLOC_ASSIGN_OR_RETURN(std::vector<std::string> names, root.List(kPciDir));
  for (const std::string& bus_id : names) {
    if (!IsPciBusId(bus_id)) continue;
    const std::string dir = absl::StrCat(kPciDir, "/", bus_id, "/");
    PODALLOC_ASSIGN_OR_RETURN(uint32_t class_code, ReadHexId(root, dir + "class", 6));
    const uint16_t class_id = static_cast<uint16_t>(class_code >> 8);  // drop the prog-if
    if (!IsImportantPciClass(class_id)) continue;
    IoDevice pci;
    pci.type = IoDevice::Type::kPci;
    pci.id = bus_id;
    pci.pci_bus_id = bus_id;
    pci.kind = PciClassKind(class_id);
    pci.class_id = class_id;
    PODALLOC_ASSIGN_OR_RETURN(uint32_t vendor, ReadHexId(root, dir + "vendor", 4));
    PODALLOC_ASSIGN_OR_RETURN(uint32_t device, ReadHexId(root, dir + "device", 4));
    pci.vendor_id = static_cast<uint16_t>(vendor);
    pci.device_id = static_cast<uint16_t>(device);
    PODALLOC_ASSIGN_OR_RETURN(pci.numa_nodes, ReadNumaNode(root, dir + "numa_node", machine));
    // Network interfaces (eth0, ib0) and RDMA devices (mlx5_0) of this function; a virtio
    // function keeps its interface one level down (virtio<N>/net/eth0).
    std::vector<std::string> holders = {dir};
    PODALLOC_ASSIGN_OR_RETURN(std::vector<std::string> entries, root.List(dir));
    for (const std::string& entry : entries) {
      if (entry.rfind("virtio", 0) == 0) holders.push_back(absl::StrCat(dir, entry, "/"));
    }
    for (const std::string& holder : holders) {
      for (const auto& [folder, kind] : {std::pair<const char*, IoDeviceKind>{
                                             "net", IoDeviceKind::kNetwork},
                                         {"infiniband", IoDeviceKind::kOpenFabrics}}) {
        const std::string sub = holder + folder;
        if (!root.Exists(sub)) continue;
        PODALLOC_ASSIGN_OR_RETURN(std::vector<std::string> os_names, root.List(sub));
        for (const std::string& name : os_names) {
          IoDevice os = pci;
          os.type = IoDevice::Type::kOs;
          os.id = name;
          os.kind = kind;
          devices.push_back(std::move(os));
        }
      }
    }
    devices.push_back(std::move(pci));
  }
  return devices;
}

}  // namespace podalloc::internal
