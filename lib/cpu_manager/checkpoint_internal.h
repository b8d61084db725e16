// File: lib/cpu_manager/checkpoint_internal.h (private to the cpu_manager module)
// What the checkpoint codec hands the checksum: the JSON null maps (which go-spew renders
// differently from empty ones) and the spew dump itself.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "podalloc/cpu_checkpoint.h"

namespace podalloc::internal::cpu {

// Maps that were JSON null in the file (Go leaves them nil: "<nil>" instead of "map[]").
struct NullMaps {
  bool entries = false;
  bool pod_entries = false;
  std::set<std::string> pods;  // entries[pod] was null
};

std::string SpewCheckpoint(const CpuCheckpoint& checkpoint, CpuCheckpointFormat format,
                           std::string_view struct_name, const NullMaps& nulls);

}  // namespace podalloc::internal::cpu
