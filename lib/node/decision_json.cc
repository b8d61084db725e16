// Decision -> JSON with nlohmann's insertion-ordered object, so the key order is the one the
// header documents.
#include <nlohmann/json.hpp>

#include "podalloc/decision_json.h"

namespace podalloc {
namespace {

using Json = nlohmann::ordered_json;

Json HintJson(const std::optional<TopologyHint>& hint) {
  if (!hint.has_value()) return nullptr;
  Json j;
  j["numa_nodes"] = hint->affinity.has_value() ? Json(hint->affinity->ToList()) : Json(nullptr);
  j["preferred"] = hint->preferred;
  return j;
}

Json FilesJson(const CgroupFiles& files) {
  Json j = Json::object();
  for (const CgroupFile& f : files) j[f.name] = f.value;
  return j;
}

Json ContainerJson(const ContainerDecision& c) {
  Json j;
  j["name"] = c.name;
  j["type"] = std::string(ContainerTypeName(c.type));
  j["isolation"] = std::string(IsolationLevelName(c.isolation));
  j["exclusive_cpus"] = c.exclusive_cpus;
  j["cpus"] = c.cpus.ToString();
  j["memory_nodes"] = c.memory_nodes.ToList();
  j["cpu_quota_disabled"] = c.cpu_quota_disabled;
  j["hint"] = HintJson(c.hint);
  Json blocks = Json::array();
  for (const MemoryBlock& b : c.memory_blocks) {
    Json block;
    block["numa_nodes"] = b.numa_affinity.ToList();
    block["type"] = b.type.Name();
    block["size"] = b.size;
    blocks.push_back(std::move(block));
  }
  j["memory_blocks"] = std::move(blocks);
  j["cgroup"] = FilesJson(c.cgroup_files);
  j["reasons"] = c.reasons;
  return j;
}

}  // namespace

std::string DecisionToJson(const Decision& d, int indent) {
  Json j;
  j["pod"] = Json{{"uid", d.pod_uid}, {"name", d.pod_name}, {"namespace", d.pod_namespace}};
  j["admitted"] = d.admitted;
  j["reason"] = d.reason;
  j["message"] = d.message;
  j["qos"] = std::string(QosClassName(d.qos));
  j["scope"] = TopologyScopeName(d.scope);
  j["pod_level"] = d.pod_level;
  j["pod_hint"] = HintJson(d.pod_hint);
  j["pod_cpus"] = d.pod_cpus.ToString();
  j["pod_shared_pool"] = d.pod_shared_pool.ToString();
  j["reasons"] = d.reasons;
  Json containers = Json::array();
  for (const ContainerDecision& c : d.containers) containers.push_back(ContainerJson(c));
  j["containers"] = std::move(containers);
  j["pod_cgroup"] = FilesJson(d.pod_cgroup_files);
  j["burstable_cgroup"] = FilesJson(d.burstable_cgroup_files);
  j["base_version"] = d.base_version;
  return j.dump(indent);
}

}  // namespace podalloc
