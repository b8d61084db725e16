// Decision and AdmissionExplanation -> JSON with nlohmann's insertion-ordered object, so the key
// order is the one the headers document.
#include <nlohmann/json.hpp>

#include "podalloc/admission_explanation.h"
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
  Json devices = Json::object();
  for (const auto& [resource, ids] : c.devices) devices[resource] = ids;
  j["devices"] = std::move(devices);
  j["cgroup"] = FilesJson(c.cgroup_files);
  j["reasons"] = c.reasons;
  return j;
}

Json HintListJson(const std::optional<std::vector<TopologyHint>>& hints) {
  if (!hints.has_value()) return nullptr;
  Json list = Json::array();
  for (const TopologyHint& h : *hints) list.push_back(HintJson(h));
  return list;
}

// A merge of `container` ("" for the pod's merge); `with_outcome` adds "admitted" (a
// topology rejection is refused by definition and leaves it out).
Json MergeJson(const std::string& container, const MergeExplanation& m, bool with_outcome) {
  Json j;
  j["container"] = container.empty() ? Json(nullptr) : Json(container);
  j["policy"] = TopologyPolicyName(m.policy);
  j["merged_hint"] = HintJson(m.merged);
  if (with_outcome) j["admitted"] = m.admitted;
  j["blocking_provider"] = m.blocking_provider.empty() ? Json(nullptr) : Json(m.blocking_provider);
  Json providers = Json::array();
  for (const ProviderHintSummary& p : m.providers) {
    Json pj;
    pj["name"] = p.provider;
    pj["admits_alone"] = p.admits_alone;
    Json resources = Json::array();
    for (const ResourceHintSummary& res : p.resources) {
      Json rj;
      rj["resource"] = res.resource;
      rj["no_preference"] = res.no_preference;
      rj["hints"] = res.no_preference ? Json(nullptr) : HintListJson(res.hints);
      resources.push_back(std::move(rj));
    }
    pj["resources"] = std::move(resources);
    providers.push_back(std::move(pj));
  }
  j["providers"] = std::move(providers);
  return j;
}

Json TopologyRejectionJson(const std::optional<TopologyRejection>& r) {
  if (!r.has_value()) return nullptr;
  return MergeJson(r->container, r->merge, /*with_outcome=*/false);
}

Json InsufficientJson(const std::vector<InsufficientResource>& list) {
  Json out = Json::array();
  for (const InsufficientResource& f : list) {
    Json j;
    j["resource"] = f.resource;
    j["requested"] = f.requested;
    j["used"] = f.used;
    j["capacity"] = f.capacity;
    j["short_by"] = f.Shortfall();
    j["unresolvable"] = f.unresolvable;
    out.push_back(std::move(j));
  }
  return out;
}

Json PreemptionJson(const std::optional<PreemptionPlan>& p) {
  if (!p.has_value()) return nullptr;
  Json j;
  j["found"] = p->found;
  j["victims"] = p->victims;
  Json shortfall = Json::array();
  for (const PreemptionNeed& n : p->shortfall) {
    shortfall.push_back(Json{{"resource", n.resource}, {"amount", n.amount}});
  }
  j["shortfall"] = std::move(shortfall);
  j["victim_reason"] = kPreemptingReason;
  j["victim_message"] = kPreemptionMessage;
  return j;
}

Json DecisionJson(const Decision& d) {
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
  j["topology_rejection"] = TopologyRejectionJson(d.topology_rejection);
  j["insufficient_resources"] = InsufficientJson(d.insufficient_resources);
  j["preemption"] = PreemptionJson(d.preemption);
  Json containers = Json::array();
  for (const ContainerDecision& c : d.containers) containers.push_back(ContainerJson(c));
  j["containers"] = std::move(containers);
  j["pod_cgroup"] = FilesJson(d.pod_cgroup_files);
  j["burstable_cgroup"] = FilesJson(d.burstable_cgroup_files);
  j["base_version"] = d.base_version;
  return j;
}

}  // namespace

std::string DecisionToJson(const Decision& d, int indent) { return DecisionJson(d).dump(indent); }

std::string AdmissionExplanationToJson(const AdmissionExplanation& e, int indent) {
  Json j;
  j["decision"] = DecisionJson(e.decision);
  Json merges = Json::array();
  for (const MergeRecord& r : e.merges) {
    merges.push_back(MergeJson(r.container, r.merge, /*with_outcome=*/true));
  }
  j["merges"] = std::move(merges);
  j["no_merge_reason"] = e.no_merge_reason.empty() ? Json(nullptr) : Json(e.no_merge_reason);
  return j.dump(indent);
}

}  // namespace podalloc
