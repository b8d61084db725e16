// File: capi/buffer.h
// Filling a podalloc_buffer from C++ text.
#pragma once

#include <string_view>

#include "podalloc/podalloc.h"

namespace podalloc::capi {

// Allocates a NUL-terminated copy of `text` into *out (which the caller checked is not
// NULL). Throws std::bad_alloc, leaving *out untouched; call it last, once nothing else
// can fail, so a failed call leaves the caller's buffer as it was.
void FillBuffer(podalloc_buffer* out, std::string_view text);

}  // namespace podalloc::capi
