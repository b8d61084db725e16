// File: lib/cpu_manager/checkpoint_internal.h (private to the cpu_manager module)
// Pieces shared by the checkpoint codec and checksum: JSON null maps (which go-spew renders
// differently from empty ones) and Go's JSON string escaping.
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

// Appends `s` as a JSON string the way Go's encoding/json writes it (HTML-safe escapes).
void AppendGoJsonString(std::string& out, std::string_view s);

}  // namespace podalloc::internal::cpu
