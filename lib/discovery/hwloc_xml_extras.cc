// The elements after the root object of an hwloc XML export: distance matrices, CPU kinds,
// memory attributes and support flags (see hwloc_xml_check.h).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "file_text.h"
#include "hwloc_xml_checker.h"
#include "hwloc_xml_values.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal::hwloc_xml {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();
// hwloc's distance kinds: FROM_OS, FROM_USER, MEANS_LATENCY, MEANS_BANDWIDTH,
// HETEROGENEOUS_TYPES, VALUE_HOPS.
constexpr uint64_t kMaxDistanceKind = 63;

// The space-separated tokens of an <indexes> or <u64values> text as hwloc writes it: one space
// after each, the last one's optional.
absl::StatusOr<std::vector<absl::string_view>> Tokens(absl::string_view text) {
  std::vector<absl::string_view> tokens = absl::StrSplit(text, ' ');
  if (!tokens.empty() && tokens.back().empty()) tokens.pop_back();
  if (tokens.empty()) return absl::InvalidArgumentError("holds no value");
  for (absl::string_view token : tokens) {
    if (token.empty()) {
      return absl::InvalidArgumentError("values are separated by exactly one space");
    }
  }
  return tokens;
}

}  // namespace

bool Checker::ObjectExists(const ObjectType& type, uint64_t index, bool os_index) const {
  if (os_index) {
    const CpuSet& ids = type.Is("PU") ? pus_ : numa_nodes_;
    return index < static_cast<uint64_t>(CpuSet::kMaxCpus) && ids.Contains(static_cast<int>(index));
  }
  auto it = gp_types_.find(index);
  return it != gp_types_.end() && it->second == &type;
}

absl::Status Checker::Distances(const XmlElement& element, bool heterogeneous) {
  PODALLOC_ASSIGN_OR_RETURN(
      AttributeSet attributes,
      heterogeneous
          ? Attributes(element, {"nbobjs", "kind", "name"}, {"nbobjs", "kind"})
          : Attributes(element, {"type", "nbobjs", "indexing", "kind", "name"},
                       {"type", "nbobjs", "indexing", "kind"}));
  PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> count,
                            Unsigned(element, attributes, "nbobjs", CpuSet::kMaxCpus));
  if (*count < 2) {
    return AttributeError(element, "nbobjs", *attributes.Find("nbobjs"),
                          "a matrix needs 2 objects or more");
  }
  PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> kind,
                            Unsigned(element, attributes, "kind", kMaxDistanceKind));
  if (*kind == 0) {
    return AttributeError(element, "kind", *attributes.Find("kind"), "hwloc needs a distance kind");
  }
  const ObjectType* type = nullptr;
  bool os_indexing = false;
  if (!heterogeneous) {
    PODALLOC_ASSIGN_OR_RETURN(type, TypeAttribute(element, attributes, "type"));
    // hwloc names PUs and NUMA nodes by os_index and everything else by gp_index.
    os_indexing = type->Is("PU") || type->Is("NUMANode");
    const std::string& indexing = *attributes.Find("indexing");
    if (indexing != (os_indexing ? "os" : "gp")) {
      return AttributeError(element, "indexing", indexing,
                            absl::StrCat("a matrix over ", type->name, " objects has indexing=\"",
                                         os_indexing ? "os" : "gp", "\""));
    }
  }
  AttributeList out;
  for (const auto& [name, value] : attributes.items()) out.emplace_back(name, value);
  const absl::string_view tag = heterogeneous ? "distances2hetero" : "distances2";
  writer_.Open(tag, out, false);

  PODALLOC_ASSIGN_OR_RETURN(std::vector<XmlElement> children, element.Children(what_));
  std::vector<uint64_t> seen;  // gp or os indexes, to refuse an object listed twice
  size_t indexes = 0, values = 0;
  const size_t n = static_cast<size_t>(*count);
  for (const XmlElement& child : children) {
    const bool is_index = child.name() == "indexes";
    if (!is_index && child.name() != "u64values") {
      return Error(child, absl::StrCat("not a child element of <", tag,
                                       "> (indexes, u64values)"));
    }
    if (is_index && values > 0) return Error(child, "<indexes> come before <u64values>");
    PODALLOC_ASSIGN_OR_RETURN(AttributeSet child_attributes,
                              Attributes(child, {"length"}, {"length"}));
    PODALLOC_ASSIGN_OR_RETURN(std::string text, child.Text(what_));
    PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> length,
                              Unsigned(child, child_attributes, "length", kMaxU64));
    if (*length != text.size()) {
      return Error(child, absl::StrCat("length=\"", *length, "\" but the text has ", text.size(),
                                       " bytes"));
    }
    auto tokens = Tokens(text);
    if (!tokens.ok()) return Error(child, tokens.status().message());
    for (absl::string_view token : *tokens) {
      if (is_index) {
        if (indexes == n) return Error(child, absl::StrCat("more than nbobjs=", n, " indexes"));
        const ObjectType* token_type = type;
        absl::string_view number = token;
        if (heterogeneous) {
          size_t colon = token.find(':');
          token_type =
              colon == absl::string_view::npos ? nullptr : FindType(token.substr(0, colon));
          if (token_type == nullptr) {
            return Error(child, absl::StrCat("index ", QuotedExcerpt(token),
                                             " is not <object type>:<gp_index>"));
          }
          number = token.substr(colon + 1);
        }
        auto index = ParseUnsigned(number, kMaxU64);
        if (!index.ok()) {
          return Error(child, absl::StrCat("index ", QuotedExcerpt(token), ": ",
                                           index.status().message()));
        }
        if (!ObjectExists(*token_type, *index, os_indexing)) {
          return Error(child, absl::StrCat("index ", QuotedExcerpt(token), " names no ",
                                           token_type->name, " object (by ",
                                           os_indexing ? "os_index" : "gp_index", ")"));
        }
        if (std::find(seen.begin(), seen.end(), *index) != seen.end()) {
          return Error(child, absl::StrCat("index ", QuotedExcerpt(token), " is listed twice"));
        }
        seen.push_back(*index);
        ++indexes;
      } else {
        if (values == n * n) {
          return Error(child, absl::StrCat("more than nbobjs^2=", n * n, " values"));
        }
        auto value = ParseUnsigned(token, kMaxU64);
        if (!value.ok()) {
          return Error(child, absl::StrCat("value ", QuotedExcerpt(token), ": ",
                                           value.status().message()));
        }
        ++values;
      }
    }
    writer_.TextElement(child.name(), {}, text);
  }
  if (indexes != n || values != n * n) {
    return Error(element, absl::StrCat("nbobjs=\"", n, "\" needs ", n, " indexes and ", n * n,
                                       " values; it has ", indexes, " and ", values));
  }
  writer_.Close(tag);
  return absl::OkStatus();
}

absl::Status Checker::CpuKind(const XmlElement& element) {
  PODALLOC_ASSIGN_OR_RETURN(AttributeSet attributes,
                            Attributes(element, {"cpuset", "forced_efficiency"}, {"cpuset"}));
  PODALLOC_ASSIGN_OR_RETURN(std::optional<CpuSet> cpus, Bitmap(element, attributes, "cpuset"));
  if (cpus->IsEmpty() || !cpus->IsSubsetOf(root_complete_cpuset_)) {
    return Error(element, absl::StrCat("cpuset ", cpus->ToString(),
                                       " must be non-empty and within the machine's CPUs"));
  }
  if (cpukind_cpus_.Intersects(*cpus)) {
    return Error(element, absl::StrCat("CPUs ", (cpukind_cpus_ & *cpus).ToString(),
                                       " are in two CPU kinds"));
  }
  cpukind_cpus_ |= *cpus;
  PODALLOC_RETURN_IF_ERROR(
      Signed(element, attributes, "forced_efficiency", -1, std::numeric_limits<int32_t>::max())
          .status());
  PODALLOC_ASSIGN_OR_RETURN(std::vector<XmlElement> children, element.Children(what_));
  AttributeList out;
  for (const auto& [name, value] : attributes.items()) out.emplace_back(name, value);
  writer_.Open("cpukind", out, children.empty());
  for (const XmlElement& child : children) {
    if (child.name() != "info") return Error(child, "a <cpukind> holds <info> elements only");
    PODALLOC_ASSIGN_OR_RETURN(AttributeSet info,
                              Attributes(child, {"name", "value"}, {"name", "value"}));
    PODALLOC_RETURN_IF_ERROR(NoChildren(child));
    writer_.Open("info", {{"name", *info.Find("name")}, {"value", *info.Find("value")}}, true);
  }
  if (!children.empty()) writer_.Close("cpukind");
  return absl::OkStatus();
}

absl::Status Checker::MemoryAttribute(const XmlElement& element) {
  PODALLOC_ASSIGN_OR_RETURN(AttributeSet attributes,
                            Attributes(element, {"name", "flags"}, {"name", "flags"}));
  // Exactly one of HIGHER_FIRST (1) and LOWER_FIRST (2), with NEED_INITIATOR (4) or not.
  PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> flags,
                            Unsigned(element, attributes, "flags", 7));
  if (*flags != 1 && *flags != 2 && *flags != 5 && *flags != 6) {
    return AttributeError(element, "flags", *attributes.Find("flags"),
                          "not a valid combination of hwloc's memory attribute flags");
  }
  PODALLOC_ASSIGN_OR_RETURN(std::vector<XmlElement> children, element.Children(what_));
  for (const XmlElement& child : children) {
    if (child.name() != "memattr_value") {
      return Error(child, "a <memattr> holds <memattr_value> elements only");
    }
    PODALLOC_ASSIGN_OR_RETURN(
        AttributeSet value,
        Attributes(child,
                   {"target_obj_gp_index", "target_obj_type", "value", "initiator_cpuset",
                    "initiator_obj_gp_index", "initiator_obj_type"},
                   {"target_obj_gp_index", "target_obj_type", "value"}));
    PODALLOC_RETURN_IF_ERROR(NoChildren(child));
    PODALLOC_ASSIGN_OR_RETURN(const ObjectType* target,
                              TypeAttribute(child, value, "target_obj_type"));
    PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> gp,
                              Unsigned(child, value, "target_obj_gp_index", kMaxU64));
    if (!ObjectExists(*target, *gp, false)) {
      return Error(child, absl::StrCat("no ", target->name, " object has gp_index ", *gp));
    }
    PODALLOC_RETURN_IF_ERROR(Unsigned(child, value, "value", kMaxU64).status());
    PODALLOC_RETURN_IF_ERROR(Bitmap(child, value, "initiator_cpuset").status());
    if (value.Find("initiator_obj_type") != nullptr ||
        value.Find("initiator_obj_gp_index") != nullptr) {
      PODALLOC_ASSIGN_OR_RETURN(const ObjectType* initiator,
                                TypeAttribute(child, value, "initiator_obj_type"));
      PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> initiator_gp,
                                Unsigned(child, value, "initiator_obj_gp_index", kMaxU64));
      if (!initiator_gp.has_value() || !ObjectExists(*initiator, *initiator_gp, false)) {
        return Error(child, "initiator_obj_type and initiator_obj_gp_index must name an object");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Checker::Support(const XmlElement& element) {
  PODALLOC_ASSIGN_OR_RETURN(AttributeSet attributes,
                            Attributes(element, {"name", "value"}, {"name"}));
  PODALLOC_RETURN_IF_ERROR(Signed(element, attributes, "value", std::numeric_limits<int32_t>::min(),
                                  std::numeric_limits<int32_t>::max())
                               .status());
  return NoChildren(element);
}

}  // namespace podalloc::internal::hwloc_xml
