// File: lib/discovery/hwloc_xml_values.h
// The value syntaxes of hwloc's XML format, parsed strictly: the exact forms hwloc writes, so
// that hwloc's lenient readers (strtoul, sscanf, hwloc_bitmap_sscanf) can only ever see input
// they read the same way. Each function returns InvalidArgument with a short reason; the
// caller adds the file, line and attribute.
#pragma once

#include <cstdint>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "podalloc/cpuset.h"

namespace podalloc::internal::hwloc_xml {

// A decimal integer in [0, max]: digits only, no sign, spaces or leading zeros ("007" would
// be octal to hwloc's strtoull(..., 0) in distance matrices).
absl::StatusOr<uint64_t> ParseUnsigned(absl::string_view text, uint64_t max);
// A decimal integer in [min, max], with an optional leading '-'.
absl::StatusOr<int64_t> ParseSigned(absl::string_view text, int64_t min, int64_t max);

// An hwloc bitmap as hwloc_bitmap_asprintf writes it: comma-separated 32-bit words, most
// significant first, each "0x" and 1 to 8 hex digits, or empty for a zero word between two
// others ("0x00000008,,0x0"). The infinite form "0xf...f" is refused, and so is any bit at or
// beyond CpuSet::kMaxCpus (4096).
absl::StatusOr<CpuSet> ParseBitmap(absl::string_view text);

// Whether `text` has the shape `pattern`, where in the pattern 'x' stands for one or more hex
// digits, '9' for one or more decimal digits, and every other character for itself: the
// fixed formats of hwloc's PCI attributes ("x:x:x.x" for a bus id).
bool MatchesPattern(absl::string_view text, absl::string_view pattern);

}  // namespace podalloc::internal::hwloc_xml
