// File: lib/nrt/nrt_internal.h
// What the export, the fingerprint and the fit report share inside lib/nrt: the containers the
// kubelet's podresources List shows and what it shows for them, and the JSON-to-YAML writer.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "podalloc/node.h"
#include "podalloc/nrt.h"

namespace podalloc::internal {

// One container as podresources List reports it: sidecars then app containers of an active
// pod (regular init containers are not listed), with only its exclusive CPUs (a pod-level
// pod's shared-pool containers report none) and its memory-manager blocks.
struct ListedContainer {
  const Container* container = nullptr;
  CpuSet cpus;
  std::vector<MemoryBlock> memory;
};
std::vector<ListedContainer> ListedContainers(const NodeState& state, const PodRecord& record);

// One resource row of an NRT zone.
struct ZoneRow {
  std::string name;
  int64_t capacity = 0;
  int64_t allocatable = 0;
  int64_t available = 0;
};
// What the exporter subtracts from a zone's allocatable: every listed container's CPUs on the
// node and the full size of every memory block whose NUMA list holds it (a multi-NUMA block
// counts whole on each of its nodes).
struct ListedUsage {
  int64_t cpus = 0;
  std::map<MemoryResource, int64_t> memory;
};
// The rows of NUMA node `numa`'s zone, sorted by name, after the listing rules (allocatable
// > 0, the zero cpu row of an empty zone, the exclude list). `usage` is read in rte mode only.
std::vector<ZoneRow> ZoneRows(const Node& node, const NodeState& state, int numa,
                              const NrtOptions& options, const ListedUsage& usage);

// The pods the fingerprint covers. `published` = the resource names the NRT object lists.
std::vector<PodName> FingerprintPods(const NodeState& state, FingerprintMethod method,
                                     FingerprintRule rule, const std::set<std::string>& published);

}  // namespace podalloc::internal
