#include "podalloc/internal/quoted.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace podalloc::internal {

std::string Quoted(std::string_view text, size_t limit) {
  size_t cut = std::min(limit, text.size());
  // Back off to a character boundary: never end inside a UTF-8 sequence.
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string out = "\"";
  for (size_t i = 0; i < cut; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (cut < text.size()) absl::StrAppend(&out, "... (", text.size(), " bytes)");
  return out;
}

}  // namespace podalloc::internal
