// File: lib/memory_manager/mask_choice.h
// The NUMA mask an allocation lands on, chosen the way the Static policy's Allocate and
// AllocatePod both do it: the topology manager's affinity, or the policy's own default when
// it is nil; extended to the narrowest hint containing it when its free memory falls short;
// refused when it would mix single- and multi-NUMA use of a node.
#pragma once

#include <map>
#include <string_view>

#include "absl/status/statusor.h"
#include "podalloc/memory_manager.h"

namespace podalloc::internal {

struct ChosenMask {
  NumaMask mask;
  bool preferred = false;
  bool used_default = false;
  bool extended = false;
};

// `who` names the requester in the message for an affinity naming unknown NUMA nodes
// (`container "c"`, `pod "uid"`). `reusable` is the pod's reusable init-container memory,
// or nullptr. Changes nothing.
absl::StatusOr<ChosenMask> ChooseMask(const MemoryMachineState& machine,
                                      const MemoryAmounts& request,
                                      const std::map<ReusableMemoryKey, uint64_t>* reusable,
                                      const TopologyHint& affinity, std::string_view who);

}  // namespace podalloc::internal
