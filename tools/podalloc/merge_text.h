// File: tools/podalloc/merge_text.h
// The topology manager's merges and the resource fit's shortfalls for a person: each hint
// provider's hints per resource, grouped preferred / not preferred, and amounts as quantities.
// Shared by `podalloc simulate --explain` and `podalloc explain`.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "podalloc/bitmask.h"
#include "podalloc/hint.h"
#include "podalloc/merge_explanation.h"

namespace podalloc::cli {

// A hint's NUMA nodes in the kubelet's list syntax, "any" without an affinity.
std::string HintWord(const TopologyHint& hint);
// NUMA ids with runs as ranges: "0-3,5" (the CPU list syntax), for masks of many nodes.
std::string NumaRanges(const NumaMask& mask);
// "NUMA 0-1 (preferred)", "any NUMA node (not preferred)".
std::string HintPhrase(const TopologyHint& hint);

// Each provider of the merge on its own line at `indent`, its resources below it:
// "cpu_manager:" / "  cpu: preferred {0} {1}; not preferred {0,1}".
void PrintProviderHints(const MergeExplanation& merge, std::string_view indent, std::ostream& out);

// A resource fit amount (fit units: millicores for cpu, bytes for memory, ephemeral storage
// and hugepages) as a quantity: "18", "1500m", "4Gi"; counts stay plain numbers.
std::string FitAmountText(std::string_view resource, int64_t amount);

}  // namespace podalloc::cli
