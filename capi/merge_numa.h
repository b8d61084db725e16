// File: capi/merge_numa.h
// The NUMA facts the topology manager's merge reads, kept in each topology handle so a
// merge call builds nothing. Kept apart from handles.h: the topology manager's headers and
// the topology model's headers are included by different translation units.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "podalloc/podalloc.h"

namespace podalloc {
class NumaInfo;
}

namespace podalloc::capi {

// A topology's NUMA node ids (ascending) and, when it reports distances, one row per node
// indexed by NUMA id (0 where no node has that id).
struct NumaRows {
  std::vector<int> ids;
  std::vector<std::vector<uint64_t>> distances;  // empty: no distances
};

// NumaInfo for merging (hint_merge.cc); nullptr when keep_distances is asked for a topology
// without distances, or when the merge is not part of this build.
std::shared_ptr<const NumaInfo> MakeMergeNuma(const NumaRows& rows, bool keep_distances);

// The handle's NumaInfo (topology.cc); nullptr as MakeMergeNuma says.
const NumaInfo* MergeNumaOf(const podalloc_topology& topology, bool with_distances);

}  // namespace podalloc::capi
