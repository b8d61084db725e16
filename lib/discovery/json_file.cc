#include "file_text.h"
#include "podalloc/discovery.h"
#include "podalloc/status_macros.h"
#include "podalloc/topology_json.h"

namespace podalloc {

absl::StatusOr<Topology> FromJson(std::string_view text) { return TopologyFromJson(text); }

absl::StatusOr<Topology> FromJsonFile(const std::filesystem::path& path) {
  PODALLOC_RETURN_IF_ERROR(internal::CheckPathArgument(path, "path"));
  PODALLOC_ASSIGN_OR_RETURN(std::string text, internal::ReadTextFile(path, "topology JSON"));
  auto topology = TopologyFromJson(text);
  if (!topology.ok()) return internal::Prefixed(topology.status(), path.string());
  return topology;
}

}  // namespace podalloc
