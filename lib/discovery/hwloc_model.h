// File: lib/discovery/hwloc_model.h
// Mapping a loaded hwloc topology to the model, shared by the live, synthetic and XML sources.
#pragma once

#include <hwloc.h>

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "podalloc/topology.h"

namespace podalloc::internal {

// Owns an hwloc topology.
class HwlocHandle {
 public:
  HwlocHandle() = default;
  ~HwlocHandle() {
    if (topology_ != nullptr) hwloc_topology_destroy(topology_);
  }
  HwlocHandle(const HwlocHandle&) = delete;
  HwlocHandle& operator=(const HwlocHandle&) = delete;
  hwloc_topology_t get() const { return topology_; }
  hwloc_topology_t* out() { return &topology_; }

 private:
  hwloc_topology_t topology_ = nullptr;
};

// Initialises `handle`, lets `configure` pick the source (it returns hwloc's 0 / -1), and loads
// with disallowed objects included, so SpecFromHwloc can tell them apart, and with the
// important I/O objects (GPUs, NICs, HCAs, storage; not bridges without such devices, nor DMA
// engines), which hwloc 2 otherwise drops. `what` names the source in errors.
absl::Status LoadHwloc(HwlocHandle& handle, const std::string& what,
                       absl::FunctionRef<int(hwloc_topology_t)> configure);

// The model of a loaded topology (see discovery.h for the rules), its devices included.
absl::StatusOr<TopologySpec> SpecFromHwloc(hwloc_topology_t topology);

// The PCI and OS devices hwloc kept (LoadHwloc asks for the important ones), with their
// locality restricted to the NUMA nodes `kept` (hwloc_devices.cc). PCI functions hwloc gives
// one bus id (a 32-bit domain cut to 16 bits) are left out.
std::vector<IoDevice> DevicesFromHwloc(hwloc_topology_t topology, NumaMask kept);

// Adds the CPU-less NUMA nodes of `sysfs` that `spec` (from hwloc) lacks, with their memory
// and hugepages and sysfs's distances over the union; hwloc 2.9 hides NVIDIA GPU-memory nodes.
// Leaves `spec` unchanged when its nodes are not all in `sysfs` (nothing is safe to add then).
void AddHiddenNumaNodes(const TopologySpec& sysfs, TopologySpec* spec);

}  // namespace podalloc::internal
