// File: capi/cpu_mask.h
// CPU sets as the C ABI carries them: arrays of 64-bit words, CPU c being bit c % 64 of
// word c / 64 (the layout of Linux cpu masks and of Go's and Rust's bit sets). The words a
// set needs are CpuSet::UsedWords().
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/cpuset.h"

namespace podalloc::capi {

// The set held by `words` (NULL only when num_words is 0). InvalidArgument naming `name`
// when a bit at or beyond CpuSet::kMaxCpus is set.
absl::StatusOr<CpuSet> CpuSetFromMask(const uint64_t* words, size_t num_words, const char* name);

// Writes `set` into out[0, out_words), zero-filling past it. OutOfRange naming `name` when it
// does not fit, leaving `out` untouched.
absl::Status WriteMask(const CpuSet& set, uint64_t* out, size_t out_words, const char* name);

}  // namespace podalloc::capi
