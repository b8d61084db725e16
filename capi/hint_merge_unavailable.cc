// File: capi/hint_merge_unavailable.cc
// The hint merge entry points of a build without the topology manager module: the ABI keeps
// every symbol, and the merge answers UNIMPLEMENTED.

#include "guard.h"
#include "merge_numa.h"

namespace podalloc::capi {

std::shared_ptr<const NumaInfo> MakeMergeNuma(const NumaRows&, bool) { return nullptr; }

}  // namespace podalloc::capi

extern "C" {

PODALLOC_API void podalloc_merge_options_init(podalloc_merge_options* options) noexcept {
  if (options != nullptr) *options = podalloc_merge_options PODALLOC_MERGE_OPTIONS_INIT;
}

PODALLOC_API podalloc_status podalloc_hints_merge(podalloc_merge_result*, const podalloc_topology*,
                                                  const podalloc_hint*, const size_t*, size_t,
                                                  const podalloc_merge_options*,
                                                  podalloc_error** err) noexcept {
  return podalloc::capi::Guard(err, [] {
    return absl::UnimplementedError("this build of podalloc has no topology manager");
  });
}

}  // extern "C"
