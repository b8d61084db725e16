#include "kubelet_topologies.h"

#include <catch2/catch.hpp>
#include <map>

#include "podalloc/topology_json.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

const nlohmann::json& Doc() {
  static const nlohmann::json doc = LoadVectors("cpumanager/topologies.json");
  return doc;
}

const nlohmann::json* Record(const std::string& name) {
  for (const auto& t : Doc().at("topologies")) {
    if (t.at("name") == name) return &t;
  }
  return nullptr;
}

}  // namespace

bool HasKubeletTopology(const std::string& name) { return Record(name) != nullptr; }

Topology KubeletTopology(const std::string& name) {
  const nlohmann::json* record = Record(name);
  if (record == nullptr) FAIL("no kubelet test topology " << name);
  auto loaded = TopologyFromJsonValue(*record);
  if (!loaded.ok()) FAIL(name << ": " << loaded.status().ToString());
  TopologySpec spec = loaded->spec();
  const std::map<std::string, std::optional<int>*> counts = {
      {"num_cpus", &spec.num_cpus},
      {"num_cores", &spec.num_cores},
      {"num_sockets", &spec.num_sockets},
      {"num_numanodes", &spec.num_numa_nodes},
      {"num_uncorecache", &spec.num_uncore_caches}};
  for (const auto& [key, field] : counts) {
    if (!record->contains(key) || record->at(key).is_null()) *field = 0;
  }
  auto built = Topology::Build(spec);
  if (!built.ok()) FAIL(name << ": " << built.status().ToString());
  return *built;
}

CpuSet Cpus(const std::string& text) {
  auto set = CpuSet::Parse(text);
  if (!set.ok()) FAIL("bad cpuset \"" << text << "\": " << set.status().ToString());
  return *set;
}

}  // namespace podalloc::testing
