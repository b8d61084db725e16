// File: capi/cpu_mask.cc
// Converting between the C ABI's CPU masks and CpuSet.

#include "cpu_mask.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"

namespace podalloc::capi {

absl::StatusOr<CpuSet> CpuSetFromMask(const uint64_t* words, size_t num_words, const char* name) {
  if (words == nullptr && num_words > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is NULL but its length is ", num_words, " words"));
  }
  CpuSet set;
  for (size_t i = 0; i < num_words; ++i) {
    uint64_t w = words[i];
    if (w == 0) continue;
    if (i >= static_cast<size_t>(CpuSet::kWords)) {
      const int cpu = static_cast<int>(i * 64) + std::countr_zero(w);
      return absl::InvalidArgumentError(absl::StrCat(name, " holds CPU ", cpu,
                                                     "; CPU ids must be below ",
                                                     CpuSet::kMaxCpus));
    }
    while (w != 0) {
      set.Add(static_cast<int>(i * 64) + std::countr_zero(w));
      w &= w - 1;
    }
  }
  return set;
}

size_t MaskWords(const CpuSet& set) {
  const auto& words = set.words();
  for (size_t i = words.size(); i > 0; --i) {
    if (words[i - 1] != 0) return i;
  }
  return 0;
}

absl::Status WriteMask(const CpuSet& set, uint64_t* out, size_t out_words, const char* name) {
  if (out_words > 0 && out == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(name, " is NULL but its length is ",
                                                   out_words, " words"));
  }
  const size_t needed = MaskWords(set);
  if (needed > out_words) {
    return absl::OutOfRangeError(absl::StrCat(name, " has ", out_words,
                                              " words; the CPU set needs ", needed));
  }
  const auto& words = set.words();
  for (size_t i = 0; i < out_words; ++i) out[i] = i < words.size() ? words[i] : 0;
  return absl::OkStatus();
}

}  // namespace podalloc::capi
