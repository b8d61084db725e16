// File: lib/memory_manager/node_charge.h
// Moving bytes between free and reserved on the nodes of a mask, the way the kubelet's
// Static policy does it (updateMachineState, updateExpectedMachineState, releaseMemory):
// nodes are visited in ascending id order, each gives (or takes back) what it can and the
// rest moves on to the next node; every node of the mask is counted, charged or not.
#pragma once

#include <cstdint>

#include "podalloc/memory_state.h"

namespace podalloc::internal {

// Places a block: every node of `mask` gets one more assignment and `mask` as its group;
// `bytes` are taken from the free memory of the nodes in turn. Nodes that do not track
// `resource` are passed over (the kubelet would crash on them). Returns what could not be
// charged (0 when the mask had enough free memory).
uint64_t ChargeBlock(MemoryMachineState& machine, NumaMask mask, MemoryResource resource,
                     uint64_t bytes);

// Gives a block back: every node of the block loses one assignment (and returns to its own
// group at zero); the block's bytes go back to free memory, node by node, as far as each
// node has reserved memory of that resource.
void ReleaseBlock(MemoryMachineState& machine, const MemoryBlock& block);

}  // namespace podalloc::internal
