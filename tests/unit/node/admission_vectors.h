// Reading the node-admission conformance vectors (conformance/node_admission): their pod and
// node shapes into podalloc values, the rows podalloc does not own, and a tally that makes
// every test say how many rows it ran and why it left the others.
#pragma once

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "podalloc/node.h"
#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/resource_fit.h"

namespace podalloc::testing {

inline ResourceList VectorList(const nlohmann::json& j, const std::string& path) {
  if (j.is_null()) return {};
  auto list = ResourceListFromJson(j, path);
  INFO(path << ": " << j.dump());
  REQUIRE(list.ok());
  return *list;
}

// A vector pod ({containers, init_containers, overhead, resources, priority, static, mirror,
// uid, status.extended_resource_claim_status}) as the Pod the kubelet would see. Nameless
// containers get distinct names; pods are taken as written (the Go tests build them directly).
inline Pod VectorPod(const nlohmann::json& j, const std::string& default_uid) {
  Pod pod;
  pod.uid = j.value("uid", default_uid);
  pod.name = pod.uid;
  pod.namespace_name = "default";
  auto containers = [&](const char* key, const char* prefix, std::vector<Container>& out) {
    if (!j.contains(key)) return;
    for (size_t i = 0; i < j[key].size(); ++i) {
      const nlohmann::json& c = j[key][i];
      Container container;
      container.name = c.value("name", std::string(prefix) + std::to_string(i));
      container.restart_policy = c.value("restart_policy", "");
      const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      if (c.contains("requests")) container.resources.requests = VectorList(c["requests"], path);
      if (c.contains("limits")) container.resources.limits = VectorList(c["limits"], path);
      out.push_back(std::move(container));
    }
  };
  containers("init_containers", "init-", pod.init_containers);
  containers("containers", "app-", pod.containers);
  if (j.contains("overhead")) pod.overhead = VectorList(j["overhead"], "overhead");
  if (j.contains("resources")) {
    ResourceRequirements r;
    const nlohmann::json& res = j["resources"];
    if (res.contains("requests")) r.requests = VectorList(res["requests"], "resources.requests");
    if (res.contains("limits")) r.limits = VectorList(res["limits"], "resources.limits");
    pod.resources = r;
  }
  if (j.contains("priority")) pod.priority = j["priority"].get<int32_t>();
  if (j.value("static", false)) pod.config_source = "file";
  pod.mirror = j.value("mirror", false);
  if (j.contains("status") && j["status"].contains("extended_resource_claim_status")) {
    for (const auto& m : j["status"]["extended_resource_claim_status"]["request_mappings"]) {
      pod.status.extended_resource_request_mappings.push_back(
          {m.at("container_name").get<std::string>(), m.at("resource_name").get<std::string>(),
           m.value("request_name", "")});
    }
  }
  return pod;
}

inline std::vector<Pod> VectorPods(const nlohmann::json& list) {
  std::vector<Pod> pods;
  for (size_t i = 0; i < list.size(); ++i) {
    pods.push_back(VectorPod(list[i], "other-" + std::to_string(i)));
  }
  return pods;
}

// The gates the rows name, over their v1.36 defaults.
inline FitOptions VectorFitOptions(const nlohmann::json& row) {
  const nlohmann::json gates = row.value("feature_gates", nlohmann::json::object());
  FitOptions o;
  o.pod_level_resources = gates.value("PodLevelResources", true);
  o.dra_extended_resource = gates.value("DRAExtendedResource", true);
  return o;
}

inline std::vector<InsufficientResource> VectorInsufficient(const nlohmann::json& list) {
  std::vector<InsufficientResource> out;
  for (const auto& r : list) {
    out.push_back({r.at("resource").get<std::string>(), r.at("requested").get<int64_t>(),
                   r.at("used").get<int64_t>(), r.at("capacity").get<int64_t>(),
                   r.value("unresolvable", false)});
  }
  return out;
}

// Why a row is not run: kubelet checks podalloc does not own, and behaviour newer than v1.36.
inline std::optional<std::string> SkipReason(const nlohmann::json& row) {
  if (row.value("podalloc_scope", true) == false) return "podalloc_scope: false";
  if (row.value("post_v1_36", false)) return "post_v1_36: true";
  return std::nullopt;
}

// Counts the rows of one vector file; Report() prints the tally and fails when a row was
// neither run nor skipped for a stated reason.
class VectorTally {
 public:
  VectorTally(std::string file, size_t rows) : file_(std::move(file)), rows_(rows) {}
  void Ran() { ++ran_; }
  void Skipped(const std::string& why) { ++skipped_[why]; }
  void Report() const {
    size_t skipped = 0;
    std::string detail;
    for (const auto& [why, n] : skipped_) {
      skipped += n;
      detail += ", " + std::to_string(n) + " skipped (" + why + ")";
    }
    std::cout << file_ << ": " << ran_ << " of " << rows_ << " rows run" << detail << "\n";
    CHECK(ran_ > 0);
    CHECK(ran_ + skipped == rows_);
  }

 private:
  std::string file_;
  size_t rows_ = 0;
  size_t ran_ = 0;
  std::map<std::string, size_t> skipped_;
};

// Runs `run(row)` on every row of a vector file that podalloc owns, then reports the tally.
template <typename Fn>
void RunVectorRows(const std::string& file, const nlohmann::json& doc, Fn run) {
  VectorTally tally(file, doc.at("cases").size());
  for (const nlohmann::json& row : doc.at("cases")) {
    const std::string name = row.at("name");
    INFO(file << ": " << name);
    if (auto why = SkipReason(row)) {
      tally.Skipped(*why);
      continue;
    }
    run(row);
    tally.Ran();
  }
  tally.Report();
}

}  // namespace podalloc::testing
