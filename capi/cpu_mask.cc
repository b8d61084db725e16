// File: capi/cpu_mask.cc
// Converting between the C ABI's CPU masks and CpuSet: whole-word copies (CpuSet::FromWords,
// CpuSet::ToWords), with errors naming the C argument.

#include "cpu_mask.h"

#include <span>
#include <string>

#include "absl/strings/str_cat.h"

namespace podalloc::capi {

absl::StatusOr<CpuSet> CpuSetFromMask(const uint64_t* words, size_t num_words, const char* name) {
  if (words == nullptr) {
    if (num_words == 0) return CpuSet();
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is NULL but its length is ", num_words, " words"));
  }
  absl::StatusOr<CpuSet> set = CpuSet::FromWords(std::span<const uint64_t>(words, num_words));
  if (!set.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": ", std::string(set.status().message())));
  }
  return set;
}

absl::Status WriteMask(const CpuSet& set, uint64_t* out, size_t out_words, const char* name) {
  if (out == nullptr && out_words > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is NULL but its length is ", out_words, " words"));
  }
  const size_t needed = set.ToWords(std::span<uint64_t>(out, out_words));
  if (needed > out_words) {
    return absl::OutOfRangeError(
        absl::StrCat(name, " has ", out_words, " words; the CPU set needs ", needed));
  }
  return absl::OkStatus();
}

}  // namespace podalloc::capi
