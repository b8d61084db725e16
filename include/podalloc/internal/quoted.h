// File: podalloc/internal/quoted.h
// Input quoted inside an error message: between double quotes, with quotes and backslashes
// escaped and control bytes as \xHH (Go's %q for the ASCII the kubelet's messages quote), and
// cut on a UTF-8 character boundary after `limit` bytes with the full size said, so a huge or
// binary input cannot make a huge or broken message. Internal to podalloc: no API promise.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace podalloc::internal {

std::string Quoted(std::string_view text,
                   size_t limit = std::numeric_limits<size_t>::max());

}  // namespace podalloc::internal
