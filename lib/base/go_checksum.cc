// FNV-1a, encoding/json's string escaping and the fixed pieces of the spew dump the kubelet's
// checkpoint checksums cover.
#include "podalloc/internal/go_checksum.h"

#include "absl/strings/str_format.h"
#include "podalloc/internal/utf8.h"

namespace podalloc::internal::go {

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
