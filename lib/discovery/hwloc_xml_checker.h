// File: lib/discovery/hwloc_xml_checker.h
// The state of one CheckHwlocXml run, shared by its parts: the document and the helpers every
// element uses (hwloc_xml_check.cc), the object tree (hwloc_xml_objects.cc) and the elements
// after it, distances, CPU kinds, memory attributes and support flags (hwloc_xml_extras.cc).
// What later elements refer to (PU and NUMA node indexes, the gp_index of every object) is
// collected while the tree is checked.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "hwloc_xml_writer.h"
#include "podalloc/cpuset.h"
#include "xml_tree.h"

namespace podalloc::internal::hwloc_xml {

enum class Category { kNormal, kMemory, kIo, kMisc };

// An object type of hwloc's v2 format, by its name in type="...".
struct ObjectType {
  absl::string_view name;
  Category category;
  int cache_level = 0;  // 1..5 for the CPU caches
  bool instruction_cache = false;
  bool Is(absl::string_view n) const { return name == n; }
};
// nullptr for a name hwloc's v2 format does not have.
const ObjectType* FindType(absl::string_view name);

// The attributes of one element, checked against the names the element may carry.
class AttributeSet {
 public:
  const std::string* Find(absl::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  friend class Checker;
  std::vector<std::pair<std::string, std::string>> items_;
};

class Checker {
 public:
  explicit Checker(std::string what) : what_(std::move(what)) {}

  absl::Status Document(const XmlElement& topology);
  std::string Finish() { return writer_.Finish(); }

  // --- shared helpers ---
  // InvalidArgument "<what>: line N: <element>: <problem>".
  absl::Status Error(const XmlElement& element, absl::string_view problem) const;
  // The same for one attribute: "<element> attribute name="value": <problem>".
  absl::Status AttributeError(const XmlElement& element, absl::string_view name,
                              absl::string_view value, absl::string_view problem) const;
  // The element's attributes; InvalidArgument for any not in `allowed` or missing from
  // `required`.
  absl::StatusOr<AttributeSet> Attributes(const XmlElement& element,
                                          std::initializer_list<absl::string_view> allowed,
                                          std::initializer_list<absl::string_view> required) const;
  // The element's children; InvalidArgument when it has any.
  absl::Status NoChildren(const XmlElement& element) const;
  // Typed attribute values (nullopt when absent), errors naming the attribute.
  absl::StatusOr<std::optional<uint64_t>> Unsigned(const XmlElement& element,
                                                   const AttributeSet& attributes,
                                                   absl::string_view name, uint64_t max) const;
  absl::StatusOr<std::optional<int64_t>> Signed(const XmlElement& element,
                                                const AttributeSet& attributes,
                                                absl::string_view name, int64_t min,
                                                int64_t max) const;
  absl::StatusOr<std::optional<CpuSet>> Bitmap(const XmlElement& element,
                                               const AttributeSet& attributes,
                                               absl::string_view name) const;
  absl::StatusOr<const ObjectType*> TypeAttribute(const XmlElement& element,
                                                  const AttributeSet& attributes,
                                                  absl::string_view name) const;

  // --- hwloc_xml_objects.cc: the object tree ---
  struct Sets {
    CpuSet cpuset, complete_cpuset, nodeset, complete_nodeset;
  };
  absl::Status Object(const XmlElement& element, const ObjectType* parent_type,
                      const Sets* parent_sets, int depth, bool write, Sets* sets_out,
                      const ObjectType** type_out);
  absl::Status ObjectAttributes(const XmlElement& element, const AttributeSet& attributes,
                                const ObjectType& type, bool root);
  absl::Status ObjectSets(const XmlElement& element, const AttributeSet& attributes,
                          const ObjectType& type, const Sets* parent_sets, bool root, Sets* sets);
  absl::Status ObjectChildren(const XmlElement& element, const ObjectType& type, const Sets* sets,
                              int depth, bool write);
  // What the device list needs of PCIDev and OSDev objects (hwloc_xml_objects.cc).
  absl::Status IoIdentity(const XmlElement& element, const AttributeSet& attributes,
                          const ObjectType& type);

  // --- hwloc_xml_extras.cc: what follows the root object ---
  absl::Status Distances(const XmlElement& element, bool heterogeneous);
  absl::Status CpuKind(const XmlElement& element);
  absl::Status MemoryAttribute(const XmlElement& element);
  absl::Status Support(const XmlElement& element);
  // Whether an object of `type` with index `index` exists: the os_index for PUs and NUMA
  // nodes, else the gp_index.
  bool ObjectExists(const ObjectType& type, uint64_t index, bool os_index) const;

 private:
  std::string what_;
  Writer writer_;
  CpuSet pus_;         // os_index of every PU
  CpuSet numa_nodes_;  // os_index of every NUMA node
  CpuSet root_complete_cpuset_;
  CpuSet cpukind_cpus_;  // CPUs some <cpukind> names
  absl::flat_hash_map<uint64_t, const ObjectType*> gp_types_;  // gp_index -> type
  // hwloc 2 format documents hand their I/O objects to hwloc; version 3.0 ones do not (hwloc 3
  // numbers OS-device types differently).
  bool write_io_ = true;
  std::set<std::string> pci_bus_ids_;      // of the PCIDev objects
  std::set<std::string> os_device_names_;  // of the OSDev objects
};

}  // namespace podalloc::internal::hwloc_xml
