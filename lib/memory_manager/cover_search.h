// File: lib/memory_manager/cover_search.h
// Finding few NUMA nodes whose memory covers a request, without trying every mask: the
// kubelet walks all 2^N masks to find the smallest ones that fit, which is the same as
// asking for the fewest nodes, then the numerically smallest mask among them. With one
// resource that is a sort; with several resources that must fit together (memory and
// hugepages) it is a small branch-and-bound over the nodes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "podalloc/bitmask.h"

namespace podalloc::internal {

// Candidate nodes and what each contributes per dimension (a resource's free or
// allocatable bytes), and what must be covered.
struct CoverProblem {
  std::vector<int> ids;          // candidate NUMA ids, ascending (at most 64)
  size_t dims = 0;
  std::vector<uint64_t> values;  // [candidate * dims + dimension]
  std::vector<uint64_t> need;    // [dimension]
};

// The fewest candidates that cover `need`, at least `at_least`; nullopt if even all of
// them do not.
std::optional<int> FewestCovering(const CoverProblem& problem, int at_least);

// The numerically smallest mask of exactly `count` candidates that covers `need`.
std::optional<NumaMask> SmallestCover(const CoverProblem& problem, int count);

}  // namespace podalloc::internal
