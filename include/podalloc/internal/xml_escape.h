// File: podalloc/internal/xml_escape.h
// Text as XML character data or a double-quoted attribute value: the markup characters
// (", <, >, &) as entities, and newline, carriage return and tab as character references, so an attribute keeps them
// (a parser would fold them to spaces otherwise). Used by every XML podalloc writes (hwloc
// XML exports, SVG pictures).
#pragma once

#include <string>
#include <string_view>

namespace podalloc::internal {

inline void AppendXmlEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '"': out += "&quot;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default: out += c;
    }
  }
}

inline std::string XmlEscaped(std::string_view text) {
  std::string out;
  AppendXmlEscaped(out, text);
  return out;
}

}  // namespace podalloc::internal
