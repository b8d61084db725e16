// ResizeDecision -> JSON with nlohmann's insertion-ordered object, so the key order is the one
// the header documents.
#include <nlohmann/json.hpp>

#include "podalloc/resize_json.h"

namespace podalloc {

std::string ResizeDecisionToJson(const ResizeDecision& d, int indent) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["pod"] = Json{{"uid", d.pod_uid}};
  j["feasible"] = d.feasibility.feasible;
  j["reason"] = std::string(ResizeReasonName(d.feasibility.reason));
  j["message"] = d.feasibility.message;
  j["reason_detail"] = d.feasibility.reason_detail;
  j["applied"] = d.applied;
  Json writes = Json::array();
  for (const CgroupWrite& w : d.plan.writes) {
    Json entry;
    entry["cgroup"] = w.cgroup;
    entry["file"] = w.file;
    entry["value"] = w.value;
    writes.push_back(std::move(entry));
  }
  Json plan;
  plan["refused"] = d.plan.refused;
  plan["refusal"] = d.plan.refusal;
  plan["writes"] = std::move(writes);
  j["plan"] = std::move(plan);
  j["restarted_containers"] = d.restarted_containers;
  j["base_version"] = d.base_version;
  return j.dump(indent);
}

}  // namespace podalloc
