// File: tests/fuzz/fuzz_memory_checkpoint.cc
// The kubelet's memory_manager_state file through podalloc_node_checkpoint_restore (see
// restore_target.h for what is checked).
#include <cstddef>
#include <cstdint>

#include "restore_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static podalloc_fuzz::RestoreTarget target(PODALLOC_CHECKPOINT_MEMORY_MANAGER);
  target.Run(data, size);
  return 0;
}
