// File: capi/struct_out.h
// Filling a caller's versioned output struct: its struct_size must cover the first published
// layout, and nothing past the caller's struct_size is written, so a program built against an
// older header (smaller struct) or a newer one (fields we do not know) is served correctly.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/podalloc.h"

namespace podalloc::capi {

inline absl::Status CheckStructSize(uint32_t struct_size, size_t first_layout, const char* init) {
  if (struct_size >= first_layout) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("out->struct_size is ", struct_size,
                                                 "; expected at least ", first_layout,
                                                 " (initialise with ", init, ")"));
}

// Copies `value` into `out` up to the caller's struct_size and keeps that size.
template <typename T>
void CopyOut(T* out, const T& value) {
  const uint32_t size = out->struct_size;
  std::memcpy(out, &value, std::min<size_t>(size, sizeof value));
  out->struct_size = size;
}

// Borrowed text of a string the handle owns.
inline podalloc_text TextOf(const std::string& s) { return podalloc_text{s.data(), s.size()}; }

}  // namespace podalloc::capi
