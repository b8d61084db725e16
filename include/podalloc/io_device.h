// File: podalloc/io_device.h
// The I/O devices of a machine and their NUMA locality: PCI devices (GPUs, NICs, InfiniBand
// HCAs, storage controllers, ...) and the OS devices the kernel makes of them (eth0, ib0,
// mlx5_0, sda). Device plugins report the same fact to the kubelet as a device's
// TopologyInfo (the NUMA nodes a device is local to, or none when unknown); this list is what
// podalloc finds on its own, through hwloc or sysfs (podalloc/discovery.h).
//
// Plain value types, part of TopologySpec; validated by Topology::Build.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "podalloc/bitmask.h"

namespace podalloc {

// What a device is for. PCI devices get it from their class code (PciClassKind), OS devices
// from hwloc's OS-device type or the sysfs class folder (net/, infiniband/) they appear in.
enum class IoDeviceKind : uint8_t {
  kOther,        // a PCI device of another class
  kGpu,          // PCI display controller (class 0x03), hwloc GPU OS device (cuda0, rsmi0)
  kNetwork,      // PCI network controller (0x02 but InfiniBand), network interface (eth0, ib0)
  kOpenFabrics,  // InfiniBand controller (0x0207, 0x0c06), RDMA device (mlx5_0, hfi1_0)
  kStorage,      // PCI mass-storage controller (0x01)
  kBlock,        // block device (sda, nvme0n1)
  kCoprocessor,  // co-processor (0x0b40), processing accelerator (0x12), hwloc co-processor
  kDma,          // DMA engine (hwloc DMA OS device)
};

// "other", "gpu", "network", "openfabrics", "storage", "block", "coprocessor", "dma".
std::string_view IoDeviceKindName(IoDeviceKind kind);
// The kind named by IoDeviceKindName, or nullopt.
std::optional<IoDeviceKind> ParseIoDeviceKind(std::string_view name);
// The kind of a PCI device from its 16-bit class code (base class << 8 | subclass).
IoDeviceKind PciClassKind(uint16_t class_id);

// Whether a PCI function of this class is worth listing: hwloc's "important" classes
// (HWLOC_TYPE_FILTER_KEEP_IMPORTANT: display, network, storage, unclassified, processor,
// Fibre Channel, InfiniBand, CXL memory, processing accelerators) without bridges, which hwloc
// models as topology rather than devices. The sysfs reader applies it so that both sources
// list the same devices.
bool IsImportantPciClass(uint16_t class_id);

// Whether `text` is a PCI address in the kernel's and hwloc's canonical form
// "dddd:bb:dd.f": lowercase hex, a domain of 4 to 8 digits, bus 2 digits, device 2 digits
// (at most 1f), function 1 digit (at most 7).
bool IsPciBusId(std::string_view text);

// One I/O device.
struct IoDevice {
  enum class Type : uint8_t {
    kPci,  // a PCI function; id = its bus id
    kOs,   // an OS device; id = its kernel name, pci_bus_id = the PCI function it belongs to
  };
  Type type = Type::kPci;
  // Stable identity: the PCI bus id ("0000:01:00.0") or the OS device name ("eth0").
  std::string id;
  IoDeviceKind kind = IoDeviceKind::kOther;
  // The PCI function: the device itself, or the PCI parent of an OS device ("" when it has
  // none, e.g. a virtual interface).
  std::string pci_bus_id;
  // PCI identity where known (class = base class << 8 | subclass, as hwloc and lspci -n show).
  std::optional<uint16_t> vendor_id, device_id, class_id;
  // Model name where known ("I350 Gigabit Network Connection"), an OS device's being that of
  // its PCI function; free text. sysfs gives none (the names come from the PCI id database).
  std::string name;
  // NUMA nodes the device is local to: nullopt when unknown (sysfs numa_node -1, no locality
  // from hwloc), else a non-empty set of the machine's NUMA nodes (several when the device
  // hangs below a package split into sub-NUMA nodes).
  std::optional<NumaMask> numa_nodes;
  friend bool operator==(const IoDevice&, const IoDevice&) = default;
};

}  // namespace podalloc
