// File: tests/unit/memory_manager/vector_model.h
// Reading the memory manager's conformance vectors (tests/data/conformance/memory_qos_resize)
// into podalloc's types, and writing podalloc's state back in the vectors' shape. The
// vectors hold Kubernetes pods; this is the small part of a pod facade the tests need
// (quantities, the Guaranteed QoS class, memory requests).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "podalloc/memory_manager.h"

namespace podalloc::testing {

using VectorJson = nlohmann::json;

struct VectorGates {
  bool pod_level_resources = true;
  bool pod_level_resource_managers = false;
};
VectorGates GatesOf(const VectorJson& test_case);

// A pod of the vectors as the memory manager sees it. A memory or hugepages request that is
// not a whole number of bytes is the kubelet's `[memorymanager] failed to represent
// quantity as int64`.
absl::StatusOr<PodMemorySpec> PodOf(const VectorJson& pod, const VectorGates& gates);

std::vector<NumaNodeInfo> MachineInfoOf(const VectorJson& machine_info);
SystemReservedMemory ReservedOf(const VectorJson& reserved);
MemoryMachineState MachineStateOf(const VectorJson& machine_state);
ContainerMemoryAssignments AssignmentsOf(const VectorJson& assignments);
ReusableMemory ReusableOf(const VectorJson& reusable);
TopologyHint AffinityOf(const VectorJson& hint);

// The vectors' shapes: machine state exactly, assignments with blocks as multisets.
VectorJson MachineStateJson(const MemoryMachineState& machine);
VectorJson AssignmentsJson(const ContainerMemoryAssignments& assignments);
VectorJson HintsJson(const MemoryHints& hints);
VectorJson AmountsJson(const MemoryAmounts& amounts);

}  // namespace podalloc::testing
