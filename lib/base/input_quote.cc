// Quoting refused input in error messages: escaped, valid UTF-8, bounded.
#include "podalloc/internal/input_quote.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/utf8.h"

namespace podalloc::internal {
namespace {

void AppendHexByte(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

// Go's strconv.Quote spells these control bytes with a letter.
const char* NamedEscape(unsigned char c) {
  switch (c) {
    case '\a': return "\\a";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\v': return "\\v";
    default: return nullptr;
  }
}

}  // namespace

size_t AppendEscapedInput(std::string& out, std::string_view text, size_t max_bytes) {
  size_t i = 0;
  while (i < text.size()) {
    const auto ascii = static_cast<unsigned char>(text[i]);
    if (ascii >= 0x20 && ascii < 0x7f && ascii != '"' && ascii != '\\') {  // most input
      if (i + 1 > max_bytes) break;
      out += static_cast<char>(ascii);
      ++i;
      continue;
    }
    uint32_t rune = 0;
    const int len = Utf8Length(text, i, &rune);
    // C1 controls (U+0080..U+009F) are valid UTF-8 but would act on a terminal.
    const size_t step = len > 1 && rune >= 0xa0 ? static_cast<size_t>(len) : 1;
    if (i + step > max_bytes) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (step > 1) {
      out.append(text.data() + i, step);
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (const char* named = NamedEscape(c)) {
      out += named;
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      AppendHexByte(out, c);
    }
    i += step;
  }
  return i;
}

std::string QuoteInput(std::string_view text, size_t max_bytes) {
  std::string out = "\"";
  out.reserve(2 + (text.size() < max_bytes ? text.size() : max_bytes));
  const size_t shown = AppendEscapedInput(out, text, max_bytes);
  if (shown == text.size()) {
    out += '"';
  } else {
    absl::StrAppend(&out, "...\" (", text.size(), " bytes)");
  }
  return out;
}

void AppendEscaped(std::string& out, std::string_view text, size_t max_bytes) {
  if (AppendEscapedInput(out, text, max_bytes) != text.size()) out += "...";
}

std::string EscapeInput(std::string_view text, size_t max_bytes) {
  std::string out;
  AppendEscaped(out, text, max_bytes);
  return out;
}

}  // namespace podalloc::internal
