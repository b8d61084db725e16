// The object tree of an hwloc XML export: placement, attributes and sets of every <object>,
// written back in canonical form as it is checked (see hwloc_xml_check.h for the rules and
// why hwloc needs them).
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "hwloc_xml_checker.h"
#include "hwloc_xml_values.h"
#include "podalloc/io_device.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal::hwloc_xml {
namespace {

// Real exports nest about a dozen levels (Machine, Groups, Package, Die, caches, Core, PU and
// memory); the bound keeps the recursion here and in hwloc shallow.
constexpr int kMaxDepth = 64;
constexpr uint64_t kMaxInt32 = std::numeric_limits<int32_t>::max();
constexpr uint64_t kMaxUint32 = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxInt64 = std::numeric_limits<int64_t>::max();

bool IsCache(const ObjectType& type) { return type.cache_level > 0; }

// Where hwloc's v2 format puts an object of `type` below one of `parent` (nullptr = root).
const char* PlacementProblem(const ObjectType& type, const ObjectType* parent) {
  if (parent == nullptr) {
    return type.Is("Machine") ? nullptr : "the root object must have type=\"Machine\"";
  }
  if (type.Is("Machine")) return "Machine is the root object only";
  if (type.category == Category::kMisc) return nullptr;  // hwloc attaches Misc anywhere
  if (parent->category == Category::kMisc) return "only Misc objects go below a Misc object";
  if (parent->Is("PU")) return "a PU holds no objects but Misc ones";
  if (parent->Is("NUMANode")) return "a NUMANode holds no objects but Misc ones";
  switch (type.category) {
    case Category::kNormal:
      return parent->category == Category::kNormal
                 ? nullptr
                 : "a CPU-side object must be a child of a CPU-side object";
    case Category::kMemory:
      return parent->category == Category::kNormal || parent->Is("MemCache")
                 ? nullptr
                 : "a NUMANode or MemCache must be a memory child of a CPU-side object or MemCache";
    case Category::kIo:
      return parent->category == Category::kNormal || parent->category == Category::kIo
                 ? nullptr
                 : "an I/O object must be a child of a CPU-side or I/O object";
    case Category::kMisc:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

absl::Status Checker::ObjectAttributes(const XmlElement& element, const AttributeSet& attributes,
                                       const ObjectType& type, bool root) {
  const bool io = type.category == Category::kIo;
  // Which type-specific attributes apply, as hwloc reads them.
  for (const auto& [name, value] : attributes.items()) {
    const char* applies = nullptr;
    if (name == "local_memory") {
      if (!type.Is("NUMANode")) applies = "NUMANode objects";
    } else if (name == "cache_size" || name == "cache_linesize" ||
               name == "cache_associativity" || name == "cache_type") {
      if (!IsCache(type) && !type.Is("MemCache")) applies = "caches";
    } else if (name == "depth") {
      if (!IsCache(type) && !type.Is("MemCache") && !type.Is("Bridge")) {
        applies = "caches and bridges";
      }
    } else if (name == "kind" || name == "subkind" || name == "dont_merge") {
      if (!type.Is("Group")) applies = "Group objects";
    } else if (name == "pci_busid" || name == "pci_type" || name == "pci_link_speed") {
      if (!type.Is("PCIDev") && !type.Is("Bridge")) applies = "PCIDev and Bridge objects";
    } else if (name == "bridge_type" || name == "bridge_pci") {
      if (!type.Is("Bridge")) applies = "Bridge objects";
    } else if (name == "osdev_type") {
      if (!type.Is("OSDev")) applies = "OSDev objects";
    } else if (name == "allowed_cpuset" || name == "allowed_nodeset") {
      if (!root) applies = "the root object";
    }
    if (applies != nullptr) {
      return AttributeError(element, name, value,
                            absl::StrCat("belongs to ", applies, ", not to ", type.name));
    }
  }
  // hwloc keeps os_index in an unsigned int, with all ones meaning "unknown"; the model reads
  // socket, core and cache ids as int.
  PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> os_index,
                            Unsigned(element, attributes, "os_index",
                                     io ? kMaxUint32 - 1 : kMaxInt32));
  PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> gp_index,
                            Unsigned(element, attributes, "gp_index", kMaxInt64));
  if (gp_index.has_value()) {
    if (*gp_index == 0) {
      return AttributeError(element, "gp_index", "0", "hwloc numbers objects from 1");
    }
    if (!gp_types_.emplace(*gp_index, &type).second) {
      return AttributeError(element, "gp_index", std::to_string(*gp_index),
                            "another object has the same gp_index");
    }
  }
  if ((type.Is("PU") || type.Is("NUMANode")) && !os_index.has_value()) {
    return Error(element, absl::StrCat("a ", type.name, " needs its os_index"));
  }
  PODALLOC_RETURN_IF_ERROR(
      Unsigned(element, attributes, "local_memory", std::numeric_limits<uint64_t>::max()).status());
  PODALLOC_RETURN_IF_ERROR(
      Unsigned(element, attributes, "cache_size", std::numeric_limits<uint64_t>::max()).status());
  PODALLOC_RETURN_IF_ERROR(Unsigned(element, attributes, "cache_linesize", kMaxUint32).status());
  PODALLOC_RETURN_IF_ERROR(
      Signed(element, attributes, "cache_associativity", -1, kMaxInt32).status());
  PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> cache_type,
                            Unsigned(element, attributes, "cache_type", 2));
  PODALLOC_ASSIGN_OR_RETURN(std::optional<uint64_t> depth,
                            Unsigned(element, attributes, "depth", kMaxUint32));
  if (IsCache(type)) {
    // hwloc derives the type from depth and cache_type and compares them.
    if (!depth.has_value() || *depth != static_cast<uint64_t>(type.cache_level)) {
      return Error(element,
                   absl::StrCat("an ", type.name, " needs depth=\"", type.cache_level, "\""));
    }
    if (!cache_type.has_value() || (type.instruction_cache ? *cache_type != 2 : *cache_type == 2)) {
      return Error(element, absl::StrCat("an ", type.name, " needs cache_type=\"",
                                         type.instruction_cache ? "2\" (instruction)"
                                                                : "0\" (unified) or \"1\" (data)"));
    }
  }
  PODALLOC_RETURN_IF_ERROR(Unsigned(element, attributes, "kind", kMaxUint32).status());
  PODALLOC_RETURN_IF_ERROR(Unsigned(element, attributes, "subkind", kMaxUint32).status());
  PODALLOC_RETURN_IF_ERROR(Unsigned(element, attributes, "dont_merge", 1).status());
  PODALLOC_RETURN_IF_ERROR(Unsigned(element, attributes, "osdev_type", kMaxUint32).status());
  struct Format {
    absl::string_view attribute, pattern, example;
  };
  for (const Format& f : {Format{"pci_busid", "x:x:x.x", "0000:00:1f.2"},
                          Format{"pci_type", "x [x:x] [x:x] x", "0106 [8086:a102] [15d9:0888] 31"},
                          Format{"pci_link_speed", "9.9", "0.250000"},
                          Format{"bridge_type", "9-9", "1-1"},
                          Format{"bridge_pci", "x:[x-x]", "0000:[01-01]"}}) {
    const std::string* value = attributes.Find(f.attribute);
    if (value != nullptr && !MatchesPattern(*value, f.pattern)) {
      return AttributeError(element, f.attribute, *value,
                            absl::StrCat("expected the form \"", f.example, "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status Checker::ObjectSets(const XmlElement& element, const AttributeSet& attributes,
                                 const ObjectType& type, const Sets* parent_sets, bool root,
                                 Sets* sets) {
  static constexpr absl::string_view kSetNames[] = {"cpuset", "complete_cpuset", "nodeset",
                                                   "complete_nodeset"};
  CpuSet* fields[] = {&sets->cpuset, &sets->complete_cpuset, &sets->nodeset,
                      &sets->complete_nodeset};
  const bool has_sets = type.category == Category::kNormal || type.category == Category::kMemory;
  for (size_t i = 0; i < 4; ++i) {
    PODALLOC_ASSIGN_OR_RETURN(std::optional<CpuSet> set, Bitmap(element, attributes, kSetNames[i]));
    if (has_sets != set.has_value()) {
      // hwloc dereferences the sets of CPU-side and memory objects without checking them.
      return Error(element, has_sets ? absl::StrCat("a ", type.name, " needs ", kSetNames[i],
                                                    " (every CPU-side and memory object has "
                                                    "cpuset, complete_cpuset, nodeset and "
                                                    "complete_nodeset)")
                                     : absl::StrCat("a ", type.name, " has no ", kSetNames[i]));
    }
    if (set.has_value()) *fields[i] = *set;
  }
  if (!has_sets) return absl::OkStatus();
  if (!sets->cpuset.IsSubsetOf(sets->complete_cpuset)) {
    return Error(element, "cpuset is not within complete_cpuset");
  }
  if (!sets->nodeset.IsSubsetOf(sets->complete_nodeset)) {
    return Error(element, "nodeset is not within complete_nodeset");
  }
  if (parent_sets != nullptr) {
    const CpuSet* parents[] = {&parent_sets->cpuset, &parent_sets->complete_cpuset,
                               &parent_sets->nodeset, &parent_sets->complete_nodeset};
    for (size_t i = 0; i < 4; ++i) {
      if (!fields[i]->IsSubsetOf(*parents[i])) {
        return Error(element, absl::StrCat(kSetNames[i], " ", fields[i]->ToString(),
                                           " is not within its parent's ", kSetNames[i], " ",
                                           parents[i]->ToString()));
      }
    }
  }
  if (root && (sets->cpuset.IsEmpty() || sets->nodeset.IsEmpty())) {
    // hwloc aborts the load of a machine without a usable CPU or node (with a message on stderr).
    return Error(element, "the root object needs a non-empty cpuset and nodeset");
  }
  if (root) {
    for (auto [name, complete] : {std::pair<absl::string_view, const CpuSet*>{
                                      "allowed_cpuset", &sets->complete_cpuset},
                                  {"allowed_nodeset", &sets->complete_nodeset}}) {
      PODALLOC_ASSIGN_OR_RETURN(std::optional<CpuSet> allowed, Bitmap(element, attributes, name));
      if (allowed.has_value() && !allowed->IsSubsetOf(*complete)) {
        return Error(element, absl::StrCat(name, " is not within complete_",
                                           name.substr(8)));
      }
    }
  }
  // A PU's complete_cpuset is its own CPU, a NUMA node's complete_nodeset its own node:
  // hwloc finds them by these indexes (distances, the model's CPU and node ids).
  if (type.Is("PU") || type.Is("NUMANode")) {
    const bool pu = type.Is("PU");
    const int id = std::stoi(*attributes.Find("os_index"));  // checked: at most INT32_MAX
    const CpuSet& own = pu ? sets->complete_cpuset : sets->complete_nodeset;
    CpuSet& seen = pu ? pus_ : numa_nodes_;
    if (own.Size() != 1 || own.First() != id) {
      return Error(element, absl::StrCat("the ", pu ? "complete_cpuset" : "complete_nodeset",
                                         " of ", type.name, " P#", id, " must hold exactly ",
                                         pu ? "CPU " : "node ", id, ", not ", own.ToString()));
    }
    if (seen.Contains(id)) return Error(element, absl::StrCat("a second ", type.name, " P#", id));
    seen.Add(id);
  }
  return absl::OkStatus();
}

absl::Status Checker::Object(const XmlElement& element, const ObjectType* parent_type,
                             const Sets* parent_sets, int depth, bool write, Sets* sets_out,
                             const ObjectType** type_out) {
  if (depth >= kMaxDepth) {
    return Error(element, absl::StrCat("objects nested deeper than ", kMaxDepth, " levels"));
  }
  PODALLOC_ASSIGN_OR_RETURN(
      AttributeSet attributes,
      Attributes(element,
                 {"type", "os_index", "gp_index", "name", "subtype", "cpuset", "complete_cpuset",
                  "allowed_cpuset", "nodeset", "complete_nodeset", "allowed_nodeset",
                  "local_memory", "cache_size", "cache_linesize", "cache_associativity",
                  "cache_type", "depth", "kind", "subkind", "dont_merge", "bridge_type",
                  "bridge_pci", "pci_busid", "pci_type", "pci_link_speed", "osdev_type"},
                 {"type"}));
  PODALLOC_ASSIGN_OR_RETURN(const ObjectType* type, TypeAttribute(element, attributes, "type"));
  if (const char* problem = PlacementProblem(*type, parent_type); problem != nullptr) {
    return Error(element, absl::StrCat(type->name, parent_type != nullptr
                                                        ? absl::StrCat(" below ", parent_type->name)
                                                        : std::string(),
                                       ": ", problem));
  }
  const bool root = parent_type == nullptr;
  PODALLOC_RETURN_IF_ERROR(ObjectAttributes(element, attributes, *type, root));
  // The sets live on the heap: this function recurses once per level.
  auto sets = std::make_unique<Sets>();
  PODALLOC_RETURN_IF_ERROR(ObjectSets(element, attributes, *type, parent_sets, root, sets.get()));
  if (type->category == Category::kIo) {
    PODALLOC_RETURN_IF_ERROR(IoIdentity(element, attributes, *type));
  }
  // Misc objects are of no use to the model; they are left out.
  write = write && (type->category == Category::kNormal || type->category == Category::kMemory ||
                    (type->category == Category::kIo && write_io_));
  if (write) {
    AttributeList out = {{"type", type->name}};
    for (const auto& [name, value] : attributes.items()) {
      if (name != "type") out.emplace_back(name, value);
    }
    writer_.Open("object", out, false);
  }
  PODALLOC_RETURN_IF_ERROR(ObjectChildren(element, *type, sets.get(), depth, write));
  if (write) writer_.Close("object");
  *sets_out = *sets;
  *type_out = type;
  return absl::OkStatus();
}

absl::Status Checker::IoIdentity(const XmlElement& element, const AttributeSet& attributes,
                                 const ObjectType& type) {
  if (!write_io_) return absl::OkStatus();
  if (type.Is("PCIDev")) {
    const std::string* busid = attributes.Find("pci_busid");
    if (busid == nullptr) return Error(element, "a PCIDev needs its pci_busid");
    // hwloc 2 keeps the domain in 16 bits and writes it as 4 digits: a longer one would be cut.
    if (!IsPciBusId(*busid) || busid->find(':') != 4) {
      return AttributeError(element, "pci_busid", *busid,
                            "expected the form \"0000:00:1f.2\" (lowercase hex, a 16-bit domain, "
                            "device at most 1f, function at most 7)");
    }
    if (!pci_bus_ids_.insert(*busid).second) {
      return AttributeError(element, "pci_busid", *busid, "another PCIDev has the same bus id");
    }
  } else if (type.Is("OSDev")) {
    const std::string* name = attributes.Find("name");
    if (name == nullptr || name->empty()) return Error(element, "an OSDev needs its name");
    const std::string* osdev_type = attributes.Find("osdev_type");
    // hwloc 2's types: 0 block, 1 GPU, 2 network, 3 OpenFabrics, 4 DMA, 5 co-processor.
    if (osdev_type == nullptr || osdev_type->size() != 1 || (*osdev_type)[0] < '0' ||
        (*osdev_type)[0] > '5') {
      return Error(element, "an OSDev needs osdev_type=\"0\" to \"5\" (block, GPU, network, "
                            "OpenFabrics, DMA, co-processor)");
    }
    if (!os_device_names_.insert(*name).second) {
      return AttributeError(element, "name", *name, "another OSDev has the same name");
    }
  }
  return absl::OkStatus();
}

absl::Status Checker::ObjectChildren(const XmlElement& element, const ObjectType& type,
                                     const Sets* sets, int depth, bool write) {
  PODALLOC_ASSIGN_OR_RETURN(std::vector<XmlElement> children, element.Children(what_));
  bool objects_started = false;
  auto child_sets = std::make_unique<Sets>();
  auto cpu_side = std::make_unique<CpuSet>();  // union of the CPU-side children's complete_cpuset
  auto memory = std::make_unique<CpuSet>();    // union of the memory children's complete_nodeset
  int last_first_cpu = -1;                     // lowest CPU of the previous CPU-side child
  for (const XmlElement& child : children) {
    const absl::string_view name = child.name();
    if (name == "object") {
      objects_started = true;
      const ObjectType* child_type = nullptr;
      PODALLOC_RETURN_IF_ERROR(
          Object(child, &type, sets, depth + 1, write, child_sets.get(), &child_type));
      // Sibling objects of one kind never share a CPU or a node in hwloc's tree.
      if (child_type->category == Category::kNormal) {
        if (cpu_side->Intersects(child_sets->complete_cpuset)) {
          return Error(child, absl::StrCat("its complete_cpuset ",
                                           child_sets->complete_cpuset.ToString(),
                                           " overlaps a sibling's"));
        }
        *cpu_side |= child_sets->complete_cpuset;
        // hwloc exports CPU-side children by their lowest CPU, CPU-less ones last; it reorders
        // others with a banner on stderr ("out-of-order XML topology load").
        const int first = child_sets->complete_cpuset.IsEmpty()
                              ? CpuSet::kMaxCpus
                              : child_sets->complete_cpuset.First();
        if (first < last_first_cpu) {
          return Error(child, "CPU-side siblings are listed in the order of their lowest CPU "
                              "(complete_cpuset), CPU-less ones last");
        }
        last_first_cpu = first;
      } else if (child_type->category == Category::kMemory) {
        if (memory->Intersects(child_sets->complete_nodeset)) {
          return Error(child, absl::StrCat("its complete_nodeset ",
                                           child_sets->complete_nodeset.ToString(),
                                           " overlaps a sibling's"));
        }
        *memory |= child_sets->complete_nodeset;
      }
      continue;
    }
    if (objects_started) {
      // hwloc reads page_type, info and userdata before the child objects only.
      return Error(child, absl::StrCat("<", name, "> must come before the child objects"));
    }
    if (name == "info") {
      PODALLOC_ASSIGN_OR_RETURN(AttributeSet info, Attributes(child, {"name", "value"},
                                                              {"name", "value"}));
      PODALLOC_RETURN_IF_ERROR(NoChildren(child));
      if (write) {
        writer_.Open("info", {{"name", *info.Find("name")}, {"value", *info.Find("value")}}, true);
      }
    } else if (name == "page_type") {
      if (!type.Is("NUMANode")) return Error(child, "only a NUMANode has page types");
      PODALLOC_ASSIGN_OR_RETURN(AttributeSet page, Attributes(child, {"size", "count"},
                                                              {"size", "count"}));
      PODALLOC_RETURN_IF_ERROR(
          Unsigned(child, page, "size", std::numeric_limits<uint64_t>::max()).status());
      PODALLOC_RETURN_IF_ERROR(
          Unsigned(child, page, "count", std::numeric_limits<uint64_t>::max()).status());
      PODALLOC_RETURN_IF_ERROR(NoChildren(child));
      if (write) {
        writer_.Open("page_type", {{"size", *page.Find("size")}, {"count", *page.Find("count")}},
                     true);
      }
    } else if (name == "userdata") {
      // Left out: hwloc drops user data unless the application registered a callback.
      PODALLOC_ASSIGN_OR_RETURN(AttributeSet data,
                                Attributes(child, {"name", "length", "encoding"}, {}));
      PODALLOC_RETURN_IF_ERROR(Unsigned(child, data, "length", kMaxUint32).status());
      PODALLOC_RETURN_IF_ERROR(child.Text(what_).status());
    } else {
      return Error(child, absl::StrCat("not a child element of <object> in hwloc's format "
                                       "(page_type, info, userdata, object)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace podalloc::internal::hwloc_xml
