#include "hwloc_xml_writer.h"

#include <string_view>

#include "podalloc/internal/xml_escape.h"

namespace podalloc::internal::hwloc_xml {

Writer::Writer() {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<topology version=\"2.0\">\n";
  depth_ = 1;
}

void Writer::Indent() { out_.append(static_cast<size_t>(depth_) * 2, ' '); }

void Writer::Attribute(absl::string_view name, absl::string_view value) {
  out_ += ' ';
  out_.append(name.data(), name.size());
  out_ += "=\"";
  AppendXmlEscaped(out_, std::string_view(value.data(), value.size()));
  out_ += '"';
}

void Writer::Open(absl::string_view name, const AttributeList& attributes, bool empty) {
  Indent();
  out_ += '<';
  out_.append(name.data(), name.size());
  for (const auto& [key, value] : attributes) Attribute(key, value);
  out_ += empty ? "/>\n" : ">\n";
  if (!empty) ++depth_;
}

void Writer::Close(absl::string_view name) {
  --depth_;
  Indent();
  out_ += "</";
  out_.append(name.data(), name.size());
  out_ += ">\n";
}

void Writer::TextElement(absl::string_view name, const AttributeList& attributes,
                         absl::string_view text) {
  Indent();
  out_ += '<';
  out_.append(name.data(), name.size());
  for (const auto& [key, value] : attributes) Attribute(key, value);
  Attribute("length", std::to_string(text.size()));
  out_ += '>';
  // Checked by the caller: digits, type names, ':' and spaces only.
  out_.append(text.data(), text.size());
  out_ += "</";
  out_.append(name.data(), name.size());
  out_ += ">\n";
}

std::string Writer::Finish() {
  out_ += "</topology>\n";
  return std::move(out_);
}

}  // namespace podalloc::internal::hwloc_xml
