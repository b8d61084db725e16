// Huge page sizes in their two spellings: the resource name ("hugepages-2Mi") and runc's
// unit string ("2MB"), and per-size sums of hugepage resources.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "podalloc/pod.h"

namespace podalloc::internal {

// The page size in bytes named by "hugepages-<quantity>", or nullopt when the name is not a
// hugepage resource or its size is not a positive quantity (HugePageSizeFromResourceName).
std::optional<int64_t> HugePageSizeFromResourceName(std::string_view name);

// runc's spelling of a page size: bytes divided by 1024 while it divides evenly, with the unit
// B, KB, MB, GB, TB or PB; nullopt when the remainder would not fit the largest unit
// (HugePageUnitSizeFromByteSize).
std::optional<std::string> HugePageUnitSize(int64_t bytes);

// HugePageLimits: page size -> Σ of the hugepage quantities of that size in `list`, bytes.
// Names whose size does not parse are left out (the kubelet's cgroup manager skips them).
std::map<int64_t, int64_t> HugePageLimits(const ResourceList& list);

}  // namespace podalloc::internal
