#include "node_charge.h"

namespace podalloc::internal {

uint64_t ChargeBlock(MemoryMachineState& machine, NumaMask mask, MemoryResource resource,
                     uint64_t bytes) {
  for (uint64_t bits = mask.bits(); bits != 0; bits &= bits - 1) {
    MemoryNumaNodeState* node = machine.Node(std::countr_zero(bits));
    if (node == nullptr) continue;
    ++node->number_of_assignments;
    node->cells = mask;
    if (bytes == 0) continue;
    MemoryTable* table = node->Find(resource);
    if (table == nullptr || table->free == 0) continue;
    const uint64_t taken = table->free < bytes ? table->free : bytes;
    table->free -= taken;
    table->reserved += taken;
    bytes -= taken;
  }
  return bytes;
}

void ReleaseBlock(MemoryMachineState& machine, const MemoryBlock& block) {
  uint64_t bytes = block.size;
  for (uint64_t bits = block.numa_affinity.bits(); bits != 0; bits &= bits - 1) {
    const int id = std::countr_zero(bits);
    MemoryNumaNodeState* node = machine.Node(id);
    if (node == nullptr) continue;
    --node->number_of_assignments;
    if (node->number_of_assignments == 0) node->cells = NumaMask::Single(id);
    if (bytes == 0) continue;
    MemoryTable* table = node->Find(block.type);
    if (table == nullptr || table->reserved == 0) continue;
    const uint64_t given = table->reserved < bytes ? table->reserved : bytes;
    table->reserved -= given;
    table->free += given;
    bytes -= given;
  }
}

}  // namespace podalloc::internal
