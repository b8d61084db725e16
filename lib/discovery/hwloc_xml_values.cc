#include "hwloc_xml_values.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/hex_digit.h"

namespace podalloc::internal::hwloc_xml {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

absl::StatusOr<uint64_t> ParseUnsigned(absl::string_view text, uint64_t max) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), IsDigit)) {
    return absl::InvalidArgumentError("expected a decimal integer");
  }
  if (text.size() > 1 && text[0] == '0') {
    return absl::InvalidArgumentError("a decimal integer has no leading zeros");
  }
  uint64_t value = 0;
  for (char c : text) {
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10) {
      return absl::InvalidArgumentError(absl::StrCat("out of range (0..", max, ")"));
    }
    value = value * 10 + digit;
  }
  return value;
}

absl::StatusOr<int64_t> ParseSigned(absl::string_view text, int64_t min, int64_t max) {
  const bool negative = !text.empty() && text[0] == '-';
  auto out_of_range = [&] {
    return absl::InvalidArgumentError(absl::StrCat("out of range (", min, "..", max, ")"));
  };
  auto magnitude = ParseUnsigned(negative ? text.substr(1) : text, uint64_t{1} << 63);
  if (!magnitude.ok()) {
    if (magnitude.status().message().substr(0, 12) == "out of range") return out_of_range();
    return magnitude.status();
  }
  if (negative && *magnitude == 0) return absl::InvalidArgumentError("\"-0\" is not an integer");
  if (!negative && *magnitude > static_cast<uint64_t>(INT64_MAX)) return out_of_range();
  const int64_t value = negative ? static_cast<int64_t>(~*magnitude + 1)  // two's complement
                                 : static_cast<int64_t>(*magnitude);
  if (value < min || value > max) return out_of_range();
  return value;
}

absl::StatusOr<CpuSet> ParseBitmap(absl::string_view text) {
  if (text.substr(0, 7) == "0xf...f") {
    return absl::InvalidArgumentError("an infinite set (\"0xf...f\") is not accepted");
  }
  std::vector<absl::string_view> words;
  for (size_t begin = 0;;) {
    size_t comma = text.find(',', begin);
    words.push_back(text.substr(begin, comma == absl::string_view::npos ? comma : comma - begin));
    if (words.size() > static_cast<size_t>(CpuSet::kMaxCpus / 32)) {
      return absl::InvalidArgumentError(
          absl::StrCat("more than ", CpuSet::kMaxCpus / 32, " words (", CpuSet::kMaxCpus,
                       " bits)"));
    }
    if (comma == absl::string_view::npos) break;
    begin = comma + 1;
  }
  if (words.front().empty() || words.back().empty()) {
    return absl::InvalidArgumentError(
        "expected comma-separated words \"0x\" and 1 to 8 hex digits, most significant first");
  }
  CpuSet set;
  for (size_t w = 0; w < words.size(); ++w) {
    absl::string_view word = words[words.size() - 1 - w];  // the last word holds bits 0-31
    if (word.empty()) continue;
    if (word.size() < 3 || word.size() > 10 || word[0] != '0' || word[1] != 'x') {
      return absl::InvalidArgumentError(absl::StrCat(
          "word ", words.size() - w, " is not \"0x\" and 1 to 8 hex digits"));
    }
    uint32_t bits = 0;
    for (char c : word.substr(2)) {
      int v = HexDigitValue(c);
      if (v < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "word ", words.size() - w, " is not \"0x\" and 1 to 8 hex digits"));
      }
      bits = (bits << 4) | static_cast<uint32_t>(v);
    }
    for (int bit = 0; bit < 32; ++bit) {
      if ((bits >> bit) & 1u) set.Add(static_cast<int>(w * 32) + bit);
    }
  }
  return set;
}

bool MatchesPattern(absl::string_view text, absl::string_view pattern) {
  size_t at = 0;
  for (char p : pattern) {
    if (p == 'x' || p == '9') {
      size_t start = at;
      while (at < text.size() &&
             (p == 'x' ? HexDigitValue(text[at]) >= 0 : IsDigit(text[at]))) {
        ++at;
      }
      if (at == start) return false;
    } else {
      if (at >= text.size() || text[at] != p) return false;
      ++at;
    }
  }
  return at == text.size();
}

}  // namespace podalloc::internal::hwloc_xml
