// PCI and OS devices of a loaded hwloc topology with their NUMA locality: the nodeset of the
// device's first non-I/O ancestor (the package, die or group it hangs below), restricted to the
// NUMA nodes the model keeps. hwloc attaches a device whose locality it does not know (sysfs
// numa_node -1, local_cpus all CPUs) to the root Machine object: such a device has unknown
// locality, as a device plugin reading numa_node reports it.
#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "hwloc_model.h"

namespace podalloc::internal {
namespace {

std::string BusId(const hwloc_obj_attr_u::hwloc_pcidev_attr_s& pci) {
  char text[32];
  std::snprintf(text, sizeof(text), "%04x:%02x:%02x.%01x", static_cast<unsigned>(pci.domain),
                static_cast<unsigned>(pci.bus), static_cast<unsigned>(pci.dev),
                static_cast<unsigned>(pci.func));
  return text;
}

std::optional<NumaMask> Locality(hwloc_topology_t topology, hwloc_obj_t obj, NumaMask kept) {
  hwloc_obj_t ancestor = hwloc_get_non_io_ancestor_obj(topology, obj);
  if (ancestor == nullptr || ancestor->nodeset == nullptr) return std::nullopt;
  if (ancestor->parent == nullptr) return std::nullopt;
  NumaMask nodes;
  for (int i = hwloc_bitmap_first(ancestor->nodeset); i >= 0 && i < NumaMask::kMaxNodes;
       i = hwloc_bitmap_next(ancestor->nodeset, i)) {
    nodes.Set(i);
  }
  nodes &= kept;
  if (nodes.IsEmpty()) return std::nullopt;
  return nodes;
}

IoDeviceKind OsDeviceKind(hwloc_obj_osdev_type_t type) {
  switch (type) {
    case HWLOC_OBJ_OSDEV_BLOCK: return IoDeviceKind::kBlock;
    case HWLOC_OBJ_OSDEV_GPU: return IoDeviceKind::kGpu;
    case HWLOC_OBJ_OSDEV_NETWORK: return IoDeviceKind::kNetwork;
    case HWLOC_OBJ_OSDEV_OPENFABRICS: return IoDeviceKind::kOpenFabrics;
    case HWLOC_OBJ_OSDEV_DMA: return IoDeviceKind::kDma;
    case HWLOC_OBJ_OSDEV_COPROC: return IoDeviceKind::kCoprocessor;
  }
  return IoDeviceKind::kOther;
}

}  // namespace

std::vector<IoDevice> DevicesFromHwloc(hwloc_topology_t topology, NumaMask kept) {
  std::vector<IoDevice> devices;
  for (hwloc_obj_t obj = hwloc_get_next_pcidev(topology, nullptr); obj != nullptr;
       obj = hwloc_get_next_pcidev(topology, obj)) {
    const auto& pci = obj->attr->pcidev;
    IoDevice d;
    d.type = IoDevice::Type::kPci;
    d.id = BusId(pci);
    d.pci_bus_id = d.id;
    d.kind = PciClassKind(pci.class_id);
    d.vendor_id = pci.vendor_id;
    d.device_id = pci.device_id;
    d.class_id = pci.class_id;
    // hwloc names a PCI device from its PCI id database (the "PCIDevice" info), when it has one.
    const char* model = hwloc_obj_get_info_by_name(obj, "PCIDevice");
    d.name = model != nullptr ? model : (obj->name != nullptr ? obj->name : "");
    d.numa_nodes = Locality(topology, obj, kept);
    devices.push_back(std::move(d));
  }
  for (hwloc_obj_t obj = hwloc_get_next_osdev(topology, nullptr); obj != nullptr;
       obj = hwloc_get_next_osdev(topology, obj)) {
    if (obj->name == nullptr || obj->name[0] == '\0') continue;  // nothing to name it by
    IoDevice d;
    d.type = IoDevice::Type::kOs;
    d.id = obj->name;
    d.kind = OsDeviceKind(obj->attr->osdev.type);
    if (obj->parent != nullptr && obj->parent->type == HWLOC_OBJ_PCI_DEVICE) {
      const auto& pci = obj->parent->attr->pcidev;
      const char* model = hwloc_obj_get_info_by_name(obj->parent, "PCIDevice");
      if (model != nullptr) d.name = model;
      d.pci_bus_id = BusId(pci);
      d.vendor_id = pci.vendor_id;
      d.device_id = pci.device_id;
      d.class_id = pci.class_id;
    }
    d.numa_nodes = Locality(topology, obj, kept);
    devices.push_back(std::move(d));
  }
  // hwloc 2 built with 16-bit PCI domains (Debian's) cuts a 32-bit domain (Intel VMD puts
  // NVMe drives in domain 10000), so two functions can come out with one bus id. Which
  // function such an id names is unknown: both are left out, and OS devices below them keep
  // their names and locality without a PCI identity.
  std::map<std::string, int> seen;
  for (const IoDevice& d : devices) {
    if (d.type == IoDevice::Type::kPci) ++seen[d.id];
  }
  std::erase_if(devices, [&](const IoDevice& d) {
    return d.type == IoDevice::Type::kPci && seen[d.id] > 1;
  });
  for (IoDevice& d : devices) {
    if (d.type == IoDevice::Type::kOs && !d.pci_bus_id.empty() && seen[d.pci_bus_id] > 1) {
      d.pci_bus_id.clear();
      d.vendor_id.reset();
      d.device_id.reset();
      d.class_id.reset();
      d.name.clear();
    }
  }
  return devices;
}

}  // namespace podalloc::internal
