// FNV-1a, encoding/json's string escaping and the fixed pieces of the spew dump the kubelet's
// checkpoint checksums cover.
#include "podalloc/internal/go_checksum.h"

#include "absl/strings/str_format.h"

namespace podalloc::internal::go {
namespace {

// The length of the valid UTF-8 sequence at text[i] and its code point, or 0 where Go's
// decoder would yield RuneError (bad lead or continuation byte, truncation, overlong form,
// surrogate, beyond U+10FFFF).
int Utf8Length(std::string_view text, size_t i, uint32_t* rune) {
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

}  // namespace

uint32_t Fnv1a32(std::string_view bytes) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

uint32_t StringChecksum(std::string_view text) {
  std::string typed = "(string)";
  typed.append(text.data(), text.size());
  return Fnv1a32(typed);
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    uint32_t rune = 0;
    const int len = Utf8Length(text, i, &rune);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (len > 1) {
      // Valid in JSON, but not in JavaScript strings: Go escapes the line and paragraph
      // separators.
      if (rune == 0x2028 || rune == 0x2029) {
        out += absl::StrFormat("\\u%04x", rune);
      } else {
        out.append(text.substr(i, len));
      }
      i += len;
      continue;
    }
    const char c = text[i++];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':  // short forms for \b and \f since Go 1.22
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&':
        out += absl::StrFormat("\\u%04x", static_cast<unsigned>(c));
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string SpewCheckpointOpen(std::string_view struct_name) {
  return absl::StrCat("(*state.", absl::string_view(struct_name.data(), struct_name.size()),
                      "){");
}

void AppendSpewZeroChecksum(std::string& out) { out += " Checksum:(checksum.Checksum)0}"; }

}  // namespace podalloc::internal::go
