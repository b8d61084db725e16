// File: capi/topology.cc
// Topology handles: the discovery sources of podalloc/discovery.h behind C constructors,
// the JSON form, and the counts the kubelet's CPUTopology states.

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "buffer.h"
#include "cpu_mask.h"
#include "guard.h"
#include "handles.h"
#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"

namespace podalloc::capi {
namespace {

// The NUMA nodes as the topology manager's NewNUMAInfo reads them from cadvisor: every node,
// with its distance row indexed by NUMA id when the machine reports distances.
std::vector<NumaInfoNode> MergeNodes(const Topology& topology) {
  std::vector<NumaInfoNode> nodes;
  const std::vector<int>& ids = topology.NumaIds();
  const size_t width = ids.empty() ? 0 : static_cast<size_t>(ids.back()) + 1;
  for (int from : ids) {
    NumaInfoNode& node = nodes.emplace_back();
    node.id = from;
    if (!topology.HasDistances()) continue;
    std::vector<uint64_t>& row = node.distances.emplace(width, 0);
    for (int to : ids) row[to] = static_cast<uint64_t>(topology.Distance(from, to));
  }
  return nodes;
}

// Builds the handle only once the source has produced a topology, so a failed call
// leaves *out untouched.
absl::Status Publish(podalloc_topology** out, absl::StatusOr<Topology> topology) {
  if (!topology.ok()) return topology.status();
  const std::vector<NumaInfoNode> nodes = MergeNodes(*topology);
  PODALLOC_ASSIGN_OR_RETURN(NumaInfo numa, NumaInfo::Create(nodes, false));
  std::optional<NumaInfo> numa_distances;
  if (topology->HasDistances()) {
    PODALLOC_ASSIGN_OR_RETURN(numa_distances, NumaInfo::Create(nodes, true));
  }
  *out = new podalloc_topology(*std::move(topology), std::move(numa), std::move(numa_distances));
  return absl::OkStatus();
}

template <typename Source>
podalloc_status FromText(podalloc_topology** out, const char* data, size_t len,
                         const char* name, podalloc_error** err, Source&& source) {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view text, Text(data, len, name));
    return Publish(out, source(text));
  });
}

}  // namespace

}  // namespace podalloc::capi

podalloc_topology::podalloc_topology(podalloc::Topology t, podalloc::NumaInfo numa,
                                     std::optional<podalloc::NumaInfo> numa_distances)
    : topology(std::move(t)),
      layout(topology),
      cpuset_words(topology.cpus().UsedWords()),
      merge_numa(std::move(numa)),
      merge_numa_distances(std::move(numa_distances)) {}

using podalloc::capi::FromText;
using podalloc::capi::Guard;
using podalloc::capi::NotNull;

extern "C" {

PODALLOC_API podalloc_status podalloc_topology_discover(podalloc_topology** out,
                                                        podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    return podalloc::capi::Publish(out, podalloc::DiscoverHost());
  });
}

PODALLOC_API podalloc_status podalloc_topology_from_synthetic(podalloc_topology** out,
                                                              const char* description,
                                                              size_t description_len,
                                                              podalloc_error** err) noexcept {
  return FromText(out, description, description_len, "description", err,
                  [](std::string_view text) { return podalloc::FromHwlocSynthetic(text); });
}

PODALLOC_API podalloc_status podalloc_topology_from_xml(podalloc_topology** out,
                                                        const char* xml, size_t xml_len,
                                                        podalloc_error** err) noexcept {
  return FromText(out, xml, xml_len, "xml", err,
                  [](std::string_view text) { return podalloc::FromHwlocXmlBuffer(text); });
}

PODALLOC_API podalloc_status podalloc_topology_from_xml_file(podalloc_topology** out,
                                                             const char* path, size_t path_len,
                                                             podalloc_error** err) noexcept {
  return FromText(out, path, path_len, "path", err, [](std::string_view text) {
    return podalloc::FromHwlocXml(std::filesystem::path(std::string(text)));
  });
}

PODALLOC_API podalloc_status podalloc_topology_from_sysfs(podalloc_topology** out,
                                                          const char* root, size_t root_len,
                                                          podalloc_error** err) noexcept {
  return FromText(out, root, root_len, "root", err, [](std::string_view text) {
    return podalloc::FromSysfs(std::filesystem::path(std::string(text)));
  });
}

PODALLOC_API podalloc_status podalloc_topology_from_json(podalloc_topology** out,
                                                         const char* json, size_t json_len,
                                                         podalloc_error** err) noexcept {
  return FromText(out, json, json_len, "json", err,
                  [](std::string_view text) { return podalloc::FromJson(text); });
}

PODALLOC_API void podalloc_topology_destroy(podalloc_topology* topology) noexcept {
  delete topology;
}

PODALLOC_API podalloc_status podalloc_topology_to_json(podalloc_buffer* out,
                                                       const podalloc_topology* topology,
                                                       podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(topology, "topology"));
    podalloc::capi::FillBuffer(out, podalloc::TopologyToJsonString(topology->topology));
    return absl::OkStatus();
  });
}

PODALLOC_API const char* podalloc_topology_name(const podalloc_topology* topology) noexcept {
  return topology != nullptr ? topology->topology.name().c_str() : "";
}

PODALLOC_API int32_t podalloc_topology_num_cpus(const podalloc_topology* topology) noexcept {
  return topology != nullptr ? topology->topology.NumCpus() : 0;
}

PODALLOC_API int32_t podalloc_topology_num_cores(const podalloc_topology* topology) noexcept {
  return topology != nullptr ? topology->topology.NumCores() : 0;
}

PODALLOC_API int32_t podalloc_topology_num_sockets(const podalloc_topology* topology) noexcept {
  return topology != nullptr ? topology->topology.NumSockets() : 0;
}

PODALLOC_API int32_t podalloc_topology_num_numa_nodes(
    const podalloc_topology* topology) noexcept {
  return topology != nullptr ? topology->topology.NumNumaNodes() : 0;
}

PODALLOC_API int32_t podalloc_topology_num_uncore_caches(
    const podalloc_topology* topology) noexcept {
  return topology != nullptr ? topology->topology.NumUncoreCaches() : 0;
}

PODALLOC_API size_t podalloc_topology_cpuset_words(const podalloc_topology* topology) noexcept {
  return topology != nullptr ? topology->cpuset_words : 0;
}

PODALLOC_API podalloc_status podalloc_topology_cpus(uint64_t* out, size_t out_words,
                                                    const podalloc_topology* topology,
                                                    podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(topology, "topology"));
    return podalloc::capi::WriteMask(topology->topology.cpus(), out, out_words, "out");
  });
}

}  // extern "C"
