// File: lib/discovery/xml_tree.h
// A well-formed XML document, parsed by libxml2, as a read-only tree of elements with their
// line numbers. Discovery checks hwloc exports on this tree before hwloc sees any of it: hwloc's
// own minimal XML reader trusts its input (see hwloc_xml_check.h).
//
// The parse is strict and closed: no network, no external DTD, no entity declarations (so no
// entity expansion attacks), no namespaces; libxml2's own limits bound the nesting depth
// (256) and the size of a text node. Everything but elements, text and comments (CDATA
// sections, processing instructions, entity references) is refused where it appears.
#pragma once

#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

struct _xmlDoc;
struct _xmlNode;

namespace podalloc::internal {

// One element of a parsed document; valid while its XmlDocument lives.
class XmlElement {
 public:
  explicit XmlElement(const _xmlNode* node) : node_(node) {}

  absl::string_view name() const;
  long line() const;
  // The attributes in document order (name, value with entities and character references
  // replaced, as XML defines).
  std::vector<std::pair<std::string, std::string>> Attributes() const;
  // The child elements in order. InvalidArgument (naming `what` and the line) for text that is
  // not whitespace, CDATA, processing instructions or entity references; comments are skipped.
  absl::StatusOr<std::vector<XmlElement>> Children(const std::string& what) const;
  // The element's text, for elements that hold text only; InvalidArgument for child elements
  // or anything but text and comments.
  absl::StatusOr<std::string> Text(const std::string& what) const;

 private:
  const _xmlNode* node_;
};

class XmlDocument {
 public:
  // Parses `text`; InvalidArgument "<what>: line N: <libxml2's message>" when it is not
  // well-formed XML 1.0 or uses the refused features above.
  static absl::StatusOr<XmlDocument> Parse(absl::string_view text, const std::string& what);

  XmlElement root() const;

 private:
  struct Free {
    void operator()(_xmlDoc* doc) const;
  };
  explicit XmlDocument(_xmlDoc* doc) : doc_(doc) {}
  std::unique_ptr<_xmlDoc, Free> doc_;
};

}  // namespace podalloc::internal
