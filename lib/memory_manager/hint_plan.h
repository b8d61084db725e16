// File: lib/memory_manager/hint_plan.h
// Which of the kubelet's answers a hint request gets (nil, the recorded blocks again, every
// mask that fits, or "impossible"), decided once for both output forms: the explicit lists
// of MemoryHints and the compact ProviderHints.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/memory_manager.h"

namespace podalloc::internal {

struct HintPlan {
  enum class Kind {
    kNil,         // the kubelet's nil map
    kRegenerate,  // `blocks` match `request`: one preferred hint per block
    kCalculate,   // calculateHints over the machine for `request`
    kImpossible,  // an empty list for every requested resource
  };
  Kind kind = Kind::kNil;
  MemoryAmounts request;
  const std::vector<MemoryBlock>* blocks = nullptr;
};

absl::StatusOr<HintPlan> PlanContainerHints(const MemoryStaticPolicy& policy,
                                            const MemoryManagerState& state,
                                            const PodMemorySpec& pod, std::string_view container);
HintPlan PlanPodHints(const MemoryStaticPolicy& policy, const MemoryManagerState& state,
                      const PodMemorySpec& pod);

// The pod's reusable init-container memory, or nullptr.
const std::map<ReusableMemoryKey, uint64_t>* ReusableOf(const MemoryManagerState& state,
                                                        std::string_view pod_uid);

}  // namespace podalloc::internal
