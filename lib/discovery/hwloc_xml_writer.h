// File: lib/discovery/hwloc_xml_writer.h
// Writes the checked document back out in the one shape hwloc's minimal XML reader
// (topology-xml-nolibxml.c) was written for: the header lines it skips, then
// `<topology version="2.0">` at the start of a line, one element per line, attribute values in
// double quotes with only the escapes it decodes (&quot; &lt; &gt; &amp; &#10; &#13; &#9;), and
// text content exactly as long as its `length` attribute says. hwloc then never meets a
// comment, a CDATA section, single quotes, a character reference it cannot read or a '>'
// inside a value, whatever the original file held.
#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

namespace podalloc::internal::hwloc_xml {

using AttributeList = std::vector<std::pair<absl::string_view, absl::string_view>>;

class Writer {
 public:
  Writer();
  // <name a="v" ...> (or <name .../> when `empty`); Close(name) ends a non-empty element.
  void Open(absl::string_view name, const AttributeList& attributes, bool empty);
  void Close(absl::string_view name);
  // <name a="v" ... length="N">text</name>, N being the text's size.
  void TextElement(absl::string_view name, const AttributeList& attributes, absl::string_view text);
  // The document; the writer is spent.
  std::string Finish();

 private:
  void Indent();
  void Attribute(absl::string_view name, absl::string_view value);
  std::string out_;
  int depth_ = 0;
};

}  // namespace podalloc::internal::hwloc_xml
