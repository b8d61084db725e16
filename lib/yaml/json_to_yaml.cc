// Block-style YAML for documents podalloc writes (the NRT object, decisions). Every string is
// written as a JSON string, which is also a YAML double-quoted scalar, so "1k" or "true" never
// change type on the way back.
#include <string>

#include "podalloc/yaml_json.h"

namespace podalloc {
namespace {

using Json = nlohmann::ordered_json;

bool IsScalar(const Json& v) { return !v.is_object() && !v.is_array(); }
bool IsEmptyCollection(const Json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

std::string Scalar(const Json& v) { return v.dump(); }

void Write(const Json& v, int indent, std::string& out);

// A mapping's entries at `indent`; the first line may already be begun (a list item's "- ").
void WriteObject(const Json& v, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (const auto& [key, value] : v.items()) {
    if (!(first && first_inline)) out.append(indent, ' ');
    first = false;
    out += Json(key).dump();
    out += ":";
    if (IsScalar(value) || IsEmptyCollection(value)) {
      out += " " + Scalar(value) + "\n";
    } else {
      out += "\n";
      Write(value, value.is_array() ? indent : indent + 2, out);
    }
  }
}

void Write(const Json& v, int indent, std::string& out) {
  if (v.is_object()) {
    WriteObject(v, indent, false, out);
    return;
  }
  for (const Json& item : v) {
    out.append(indent, ' ');
    out += "- ";
    if (item.is_object() && !item.empty()) {
      WriteObject(item, indent + 2, true, out);
    } else if (IsScalar(item) || IsEmptyCollection(item)) {
      out += Scalar(item) + "\n";
    } else {
      out += "\n";
      Write(item, indent + 2, out);
    }
  }
}

}  // namespace

std::string JsonToYaml(const Json& doc) {
  std::string out;
  if (IsScalar(doc) || IsEmptyCollection(doc)) return Scalar(doc) + "\n";
  Write(doc, 0, out);
  return out;
}

}  // namespace podalloc
