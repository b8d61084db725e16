// Giving memory back when a container goes away: the Static policy's RemoveContainer and
// releaseMemory.
#include "node_charge.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

// Drops the container's entry (and the pod's, once empty); returns its blocks.
std::optional<std::vector<MemoryBlock>> TakeBlocks(ContainerMemoryAssignments& assignments,
                                                   std::string_view pod_uid,
                                                   std::string_view container) {
  auto pod = assignments.find(pod_uid);
  if (pod == assignments.end()) return std::nullopt;
  auto c = pod->second.find(container);
  if (c == pod->second.end()) return std::nullopt;
  std::vector<MemoryBlock> blocks = std::move(c->second);
  pod->second.erase(c);
  if (pod->second.empty()) assignments.erase(pod);
  return blocks;
}

}  // namespace

void RemoveMemoryContainer(const MemoryStaticPolicy& policy, std::string_view pod_uid,
                           std::string_view container, MemoryManagerState& state) {
  if (policy.gates.pod_level_resource_managers) {
    auto pod = state.pod_assignments.find(pod_uid);
    if (pod != state.pod_assignments.end()) {
      // A pod managed at pod level keeps its memory until its last container is gone.
      TakeBlocks(state.assignments, pod_uid, container);
      if (state.assignments.find(pod_uid) == state.assignments.end()) {
        for (const MemoryBlock& b : pod->second) internal::ReleaseBlock(state.machine, b);
        state.pod_assignments.erase(pod);
      }
      return;
    }
  }
  std::optional<std::vector<MemoryBlock>> blocks =
      TakeBlocks(state.assignments, pod_uid, container);
  if (!blocks) return;
  for (const MemoryBlock& b : *blocks) internal::ReleaseBlock(state.machine, b);
}

}  // namespace podalloc
