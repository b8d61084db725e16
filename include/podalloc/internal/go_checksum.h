// File: podalloc/internal/go_checksum.h
// The Go renderings behind the kubelet's checkpoint checksums, shared by the CPU and memory
// manager checkpoints: checkpointmanager/checksum hashes go-spew's "%#v" dump of the
// checkpoint (k8s.io/utils/dump.ForHash) with FNV-1a 32, and the V3/V4 data checksum covers
// text that encoding/json wrote. Internal to podalloc: no API promise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace podalloc::internal::go {

// hash/fnv's New32a over `bytes`.
uint32_t Fnv1a32(std::string_view bytes);

// checksum.New of a Go string: spew prints the top-level value's type first, so the hash
// covers "(string)" followed by the raw text.
uint32_t StringChecksum(std::string_view text);

// Appends `text` as encoding/json writes a string: quoted; \" \\ \b \f \n \r \t (the short
// forms of \b and \f since Go 1.22); other control bytes and the HTML characters < > & as
// \u00xx; U+2028 and U+2029 escaped; each byte of invalid UTF-8 replaced by \ufffd.
void AppendJsonString(std::string& out, std::string_view text);

// --- go-spew under dump.ForHash (SortKeys, DisablePointerAddresses, DisableCapacities, methods
// off). Inside a value only struct fields carry a "(type)"; map keys, map values and slice
// elements print bare, strings unquoted.

// A nil map, slice or pointer.
inline constexpr std::string_view kSpewNil = "<nil>";

// "(*state.<struct_name>){": the pointer to the checkpoint struct the checksum is taken of.
std::string SpewCheckpointOpen(std::string_view struct_name);
// The Checksum field, zero while hashing, and the struct's closing brace.
void AppendSpewZeroChecksum(std::string& out);

// The elements of `range`, one space apart, each written by append(out, element).
template <typename Range, typename AppendElement>
void AppendSpewElements(std::string& out, const Range& range, AppendElement append) {
  bool first = true;
  for (const auto& element : range) {
    if (!first) out += ' ';
    first = false;
    append(out, element);
  }
}

// "[e1 e2]": a slice, each element written by append(out, element).
template <typename Range, typename AppendElement>
void AppendSpewSlice(std::string& out, const Range& range, AppendElement append) {
  out += '[';
  AppendSpewElements(out, range, append);
  out += ']';
}

// "map[k1:v1 k2:v2]": each value written by append(out, key, value). SortKeys orders numbers
// numerically and strings bytewise, which is how a std::map of either iterates.
template <typename Map, typename AppendValue>
void AppendSpewMap(std::string& out, const Map& map, AppendValue append) {
  out += "map[";
  AppendSpewElements(out, map, [&](std::string& o, const auto& entry) {
    absl::StrAppend(&o, entry.first, ":");
    append(o, entry.first, entry.second);
  });
  out += ']';
}

// kSpewNil for an absent value, else append(out, *value): Go's nil maps, slices and pointers
// kept apart from empty ones.
template <typename T, typename AppendValue>
void AppendSpewOrNil(std::string& out, const std::optional<T>& value, AppendValue append) {
  if (value) {
    append(out, *value);
  } else {
    out += kSpewNil;
  }
}

}  // namespace podalloc::internal::go
