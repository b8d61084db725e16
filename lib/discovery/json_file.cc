#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"

namespace podalloc {

absl::StatusOr<Topology> FromJson(std::string_view text) { return TopologyFromJson(text); }

absl::StatusOr<Topology> FromJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path.string()));
  auto topology = TopologyFromJson(text.str());
  if (!topology.ok()) {
    return absl::Status(topology.status().code(),
                        absl::StrCat(path.string(), ": ", std::string(topology.status().message())));
  }
  return topology;
}

}  // namespace podalloc
