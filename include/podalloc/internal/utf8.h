// File: podalloc/internal/utf8.h
// Decoding one UTF-8 sequence the way Go's unicode/utf8 does, for the code that must treat
// input bytes as Go would (encoding/json's string escaping) or show them safely (quoted input
// in error messages). Internal to podalloc: no API promise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace podalloc::internal {

// The length of the valid UTF-8 sequence at text[i] and its code point, or 0 where Go's
// decoder would yield RuneError (bad lead or continuation byte, truncation, overlong form,
// surrogate, beyond U+10FFFF).
inline int Utf8Length(std::string_view text, size_t i, uint32_t* rune) {
  const auto c = static_cast<unsigned char>(text[i]);
  const int len = c < 0x80            ? 1
                  : (c >> 5) == 0x6    ? 2
                  : (c >> 4) == 0xe    ? 3
                  : (c >> 3) == 0x1e   ? 4
                                       : 0;
  if (len == 0 || i + len > text.size()) return 0;
  uint32_t r = len == 1 ? c : c & (0x7f >> len);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    r = (r << 6) | (b & 0x3f);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (r < kMin[len] || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return 0;
  *rune = r;
  return len;
}

// The offset of the first byte of `text` that does not start a valid UTF-8 sequence, or
// std::string_view::npos when all of it is valid (ASCII is skipped a byte at a time).
inline size_t FirstInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t rune = 0;
    const int len = Utf8Length(text, i, &rune);
    if (len == 0) return i;
    i += static_cast<size_t>(len);
  }
  return std::string_view::npos;
}

}  // namespace podalloc::internal
