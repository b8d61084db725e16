// The hwloc sources: synthetic descriptions and XML exports. Both go through hwloc's own
// loader and then SpecFromHwloc, so tests built from synthetic strings exercise the same
// mapping as real machines.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "file_text.h"
#include "hwloc_model.h"
#include "hwloc_xml_check.h"
#include "podalloc/discovery.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

// Builds the Topology, prefixing model errors with the source.
absl::StatusOr<Topology> Finish(TopologySpec spec, const std::string& what) {
  auto topology = Topology::Build(std::move(spec));
  if (!topology.ok()) return internal::Prefixed(topology.status(), what);
  return topology;
}

}  // namespace

absl::StatusOr<Topology> FromHwlocSynthetic(std::string_view description,
                                            const SyntheticExtras& extras) {
  const std::string text(description);
  const std::string what = absl::StrCat("synthetic topology \"", text, "\"");
  internal::HwlocHandle handle;
  PODALLOC_RETURN_IF_ERROR(internal::LoadHwloc(handle, what, [&](hwloc_topology_t t) {
    return hwloc_topology_set_synthetic(t, text.c_str());
  }));
  PODALLOC_ASSIGN_OR_RETURN(TopologySpec spec, internal::SpecFromHwloc(handle.get()));
  spec.name = extras.name.empty() ? text : extras.name;
  for (const auto& [id, bytes] : extras.numa_memory_bytes) {
    auto it = std::find_if(spec.numa_nodes.begin(), spec.numa_nodes.end(),
                           [id = id](const NumaNodeInfo& n) { return n.id == id; });
    if (it == spec.numa_nodes.end()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": memory given for NUMA node ", id,
                                                     ", which the machine does not have (",
                                                     spec.numa_nodes.size(), " NUMA nodes)"));
    }
    it->memory_bytes = bytes;
  }
  if (!extras.distances.empty()) spec.distances = extras.distances;
  return Finish(std::move(spec), what);
}

namespace {

// The model of an XML export, named `name`; errors are prefixed with `what`. hwloc reads the
// checked, canonical rewrite of the text, never the text itself (hwloc_xml_check.h).
absl::StatusOr<Topology> FromXmlText(absl::string_view text, const std::string& name,
                                     const std::string& what) {
  PODALLOC_ASSIGN_OR_RETURN(std::string checked, internal::CheckHwlocXml(text, what));
  internal::HwlocHandle handle;
  PODALLOC_RETURN_IF_ERROR(internal::Prefixed(
      internal::LoadHwloc(handle, "the XML topology",
                          [&](hwloc_topology_t t) {
                            return hwloc_topology_set_xmlbuffer(
                                t, checked.c_str(), static_cast<int>(checked.size() + 1));
                          }),
      what));
  absl::StatusOr<TopologySpec> spec = internal::SpecFromHwloc(handle.get());
  if (!spec.ok()) return internal::Prefixed(spec.status(), what);
  spec->name = name;
  return Finish(*std::move(spec), what);
}

}  // namespace

absl::StatusOr<Topology> FromHwlocXmlBuffer(std::string_view xml) {
  if (xml.size() > internal::kMaxTopologyFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("XML topology: ", xml.size(), " bytes is larger than the limit of ",
                     internal::kMaxTopologyFileBytes, " bytes"));
  }
  return FromXmlText(absl::string_view(xml.data(), xml.size()), "xml", "XML topology");
}

absl::StatusOr<Topology> FromHwlocXml(const std::filesystem::path& path) {
  PODALLOC_RETURN_IF_ERROR(internal::CheckPathArgument(path, "path"));
  PODALLOC_ASSIGN_OR_RETURN(std::string text, internal::ReadTextFile(path, "XML topology"));
  return FromXmlText(text, path.stem().string(), path.string());
}

}  // namespace podalloc
