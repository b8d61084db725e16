// The document level of the hwloc XML check and the helpers every element uses.
#include "hwloc_xml_check.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "file_text.h"
#include "hwloc_xml_checker.h"
#include "hwloc_xml_values.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {
namespace hwloc_xml {
namespace {

constexpr std::array<ObjectType, 20> kTypes = {{
    {"Machine", Category::kNormal},
    {"Package", Category::kNormal},
    {"Die", Category::kNormal},
    {"Group", Category::kNormal},
    {"Core", Category::kNormal},
    {"PU", Category::kNormal},
    {"L1Cache", Category::kNormal, 1},
    {"L2Cache", Category::kNormal, 2},
    {"L3Cache", Category::kNormal, 3},
    {"L4Cache", Category::kNormal, 4},
    {"L5Cache", Category::kNormal, 5},
    {"L1iCache", Category::kNormal, 1, true},
    {"L2iCache", Category::kNormal, 2, true},
    {"L3iCache", Category::kNormal, 3, true},
    {"NUMANode", Category::kMemory},
    {"MemCache", Category::kMemory},
    {"Bridge", Category::kIo},
    {"PCIDev", Category::kIo},
    {"OSDev", Category::kIo},
    {"Misc", Category::kMisc},
}};

// hwloc 2.x writes version="2.0"; hwloc 3 writes "3.0" in the same shape for what podalloc
// reads.
bool KnownVersion(absl::string_view version) {
  return version == "2.0" || version == "3.0" ||
         (version.size() > 2 && version.substr(0, 2) == "2." && MatchesPattern(version, "9.9"));
}

}  // namespace

const ObjectType* FindType(absl::string_view name) {
  for (const ObjectType& type : kTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

const std::string* AttributeSet::Find(absl::string_view name) const {
  for (const auto& [key, value] : items_) {
    if (key == name) return &value;
  }
  return nullptr;
}

absl::Status Checker::Error(const XmlElement& element, absl::string_view problem) const {
  return absl::InvalidArgumentError(absl::StrCat(what_, ": line ", element.line(), ": <",
                                                 element.name(), ">: ", problem));
}

absl::Status Checker::AttributeError(const XmlElement& element, absl::string_view name,
                                     absl::string_view value, absl::string_view problem) const {
  return Error(element, absl::StrCat("attribute ", name, "=", QuotedExcerpt(value), ": ", problem));
}

absl::StatusOr<AttributeSet> Checker::Attributes(
    const XmlElement& element, std::initializer_list<absl::string_view> allowed,
    std::initializer_list<absl::string_view> required) const {
  AttributeSet set;
  set.items_ = element.Attributes();
  for (const auto& [name, value] : set.items_) {
    bool known = false;
    for (absl::string_view a : allowed) known = known || a == name;
    if (!known) {
      std::string list;
      for (absl::string_view a : allowed) absl::StrAppend(&list, list.empty() ? "" : ", ", a);
      return AttributeError(element, name, value,
                            absl::StrCat("not an attribute of <", element.name(),
                                         "> in hwloc's format (",
                                         list.empty() ? "it has none" : list, ")"));
    }
  }
  for (absl::string_view r : required) {
    if (set.Find(r) == nullptr) {
      return Error(element, absl::StrCat("the attribute ", r, " is required"));
    }
  }
  return set;
}

absl::Status Checker::NoChildren(const XmlElement& element) const {
  PODALLOC_ASSIGN_OR_RETURN(std::vector<XmlElement> children, element.Children(what_));
  if (!children.empty()) {
    return Error(children.front(), absl::StrCat("<", element.name(), "> has no child elements"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<uint64_t>> Checker::Unsigned(const XmlElement& element,
                                                          const AttributeSet& attributes,
                                                          absl::string_view name,
                                                          uint64_t max) const {
  const std::string* value = attributes.Find(name);
  if (value == nullptr) return std::optional<uint64_t>();
  auto parsed = ParseUnsigned(*value, max);
  if (!parsed.ok()) return AttributeError(element, name, *value, parsed.status().message());
  return std::optional<uint64_t>(*parsed);
}

absl::StatusOr<std::optional<int64_t>> Checker::Signed(const XmlElement& element,
                                                       const AttributeSet& attributes,
                                                       absl::string_view name, int64_t min,
                                                       int64_t max) const {
  const std::string* value = attributes.Find(name);
  if (value == nullptr) return std::optional<int64_t>();
  auto parsed = ParseSigned(*value, min, max);
  if (!parsed.ok()) return AttributeError(element, name, *value, parsed.status().message());
  return std::optional<int64_t>(*parsed);
}

absl::StatusOr<std::optional<CpuSet>> Checker::Bitmap(const XmlElement& element,
                                                      const AttributeSet& attributes,
                                                      absl::string_view name) const {
  const std::string* value = attributes.Find(name);
  if (value == nullptr) return std::optional<CpuSet>();
  auto parsed = ParseBitmap(*value);
  if (!parsed.ok()) return AttributeError(element, name, *value, parsed.status().message());
  return std::optional<CpuSet>(*parsed);
}

absl::StatusOr<const ObjectType*> Checker::TypeAttribute(const XmlElement& element,
                                                         const AttributeSet& attributes,
                                                         absl::string_view name) const {
  const std::string* value = attributes.Find(name);
  if (value == nullptr) return Error(element, absl::StrCat("the attribute ", name, " is required"));
  const ObjectType* type = FindType(*value);
  if (type == nullptr) {
    std::string list;
    for (const ObjectType& t : kTypes) absl::StrAppend(&list, list.empty() ? "" : ", ", t.name);
    return AttributeError(element, name, *value,
                          absl::StrCat("not an object type of hwloc's format (", list, ")"));
  }
  return type;
}

absl::Status Checker::Document(const XmlElement& topology) {
  if (topology.name() != "topology") {
    return Error(topology, "the root element of an hwloc export is <topology>");
  }
  PODALLOC_ASSIGN_OR_RETURN(AttributeSet attributes, Attributes(topology, {"version"}, {}));
  const std::string* version = attributes.Find("version");
  if (version == nullptr || !KnownVersion(*version)) {
    return Error(topology,
                 absl::StrCat("version ", version == nullptr ? "missing" : QuotedExcerpt(*version),
                              ": only hwloc's XML format 2 is accepted (hwloc 2.x writes "
                              "version=\"2.0\"); re-export older files with hwloc 2"));
  }
  write_io_ = *version != "3.0";
  PODALLOC_ASSIGN_OR_RETURN(std::vector<XmlElement> children, topology.Children(what_));
  if (children.empty() || children.front().name() != "object") {
    return Error(children.empty() ? topology : children.front(),
                 "the first child of <topology> must be the root <object type=\"Machine\">");
  }
  Sets root_sets;
  const ObjectType* root_type = nullptr;
  PODALLOC_RETURN_IF_ERROR(Object(children.front(), nullptr, nullptr, 0, true, &root_sets,
                                  &root_type));
  if (pus_.IsEmpty()) return Error(children.front(), "the machine has no PU object");
  if (numa_nodes_.IsEmpty()) return Error(children.front(), "the machine has no NUMANode object");
  root_complete_cpuset_ = root_sets.complete_cpuset;
  for (size_t i = 1; i < children.size(); ++i) {
    const XmlElement& child = children[i];
    const absl::string_view name = child.name();
    if (name == "distances2" || name == "distances2hetero") {
      PODALLOC_RETURN_IF_ERROR(Distances(child, name == "distances2hetero"));
    } else if (name == "cpukind") {
      PODALLOC_RETURN_IF_ERROR(CpuKind(child));
    } else if (name == "memattr") {
      PODALLOC_RETURN_IF_ERROR(MemoryAttribute(child));
    } else if (name == "support") {
      PODALLOC_RETURN_IF_ERROR(Support(child));
    } else if (name == "object") {
      return Error(child, "a second root object: an export has exactly one, the Machine");
    } else {
      return Error(child, "not an element of hwloc's format after the root object (expected "
                          "distances2, distances2hetero, support, memattr or cpukind)");
    }
  }
  return absl::OkStatus();
}

}  // namespace hwloc_xml

absl::StatusOr<std::string> CheckHwlocXml(absl::string_view xml, const std::string& what) {
  PODALLOC_ASSIGN_OR_RETURN(XmlDocument document, XmlDocument::Parse(xml, what));
  hwloc_xml::Checker checker(what);
  PODALLOC_RETURN_IF_ERROR(checker.Document(document.root()));
  return checker.Finish();
}

}  // namespace podalloc::internal
