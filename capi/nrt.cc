// File: capi/nrt.cc
// NodeResourceTopology export, the pod fingerprint and the fit report: options or query JSON
// in, the object (JSON or YAML), the signature or the report out. Translation only; the work
// is lib/nrt's.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "buffer.h"
#include "guard.h"
#include "node_handles.h"
#include "podalloc/fit_report.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/nrt.h"

namespace podalloc::capi {
namespace {

// Pods as v1 Pod objects (only metadata.namespace and metadata.name are read), in a JSON
// array or a v1 List's "items".
absl::StatusOr<std::vector<PodName>> PodNamesArg(const char* data, size_t len) {
  PODALLOC_ASSIGN_OR_RETURN(std::string_view text, Text(data, len, "pods_json"));
  PODALLOC_ASSIGN_OR_RETURN(nlohmann::json doc,
                            internal::ParseJson(text, internal::JsonPathStyle::kDotted));
  const nlohmann::json* items = &doc;
  if (doc.is_object() && doc.contains("items")) items = &doc["items"];
  if (!items->is_array()) {
    return absl::InvalidArgumentError("pods_json: expected a list of pods or a v1 List");
  }
  std::vector<PodName> pods;
  for (size_t i = 0; i < items->size(); ++i) {
    const nlohmann::json& pod = (*items)[i];
    const nlohmann::json* metadata =
        pod.is_object() && pod.contains("metadata") ? &pod["metadata"] : nullptr;
    auto field = [&](const char* key) -> absl::StatusOr<std::string> {
      if (metadata == nullptr || !metadata->is_object()) {
        return absl::InvalidArgumentError(absl::StrCat("pods_json[", i, "].metadata: missing"));
      }
      auto it = metadata->find(key);
      if (it == metadata->end()) return std::string();
      if (!it->is_string()) {
        return absl::InvalidArgumentError(absl::StrCat("pods_json[", i, "].metadata.", key,
                                                       ": ", internal::JsonExcerpt(*it),
                                                       " is not a string"));
      }
      return it->get<std::string>();
    };
    PodName name;
    PODALLOC_ASSIGN_OR_RETURN(name.namespace_name, field("namespace"));
    PODALLOC_ASSIGN_OR_RETURN(name.name, field("name"));
    if (name.name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("pods_json[", i, "].metadata.name: missing"));
    }
    pods.push_back(std::move(name));
  }
  return pods;
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::Guard;
using podalloc::capi::GuardNode;
using podalloc::capi::NotNull;
using podalloc::capi::Text;

extern "C" {

PODALLOC_API podalloc_status podalloc_node_nrt(podalloc_buffer* out, const podalloc_node* node,
                                               const char* options_json, size_t options_json_len,
                                               uint32_t flags, podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    if ((flags & ~uint32_t{PODALLOC_NRT_YAML}) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("flags: unknown bits 0x", absl::Hex(flags)));
    }
    PODALLOC_ASSIGN_OR_RETURN(std::string_view text,
                              Text(options_json, options_json_len, "options_json"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::NrtOptions options, podalloc::ParseNrtOptions(text));
    PODALLOC_ASSIGN_OR_RETURN(std::string doc, (flags & PODALLOC_NRT_YAML) != 0
                                                   ? podalloc::ExportNrtYaml(n, options)
                                                   : podalloc::ExportNrt(n, options));
    podalloc::capi::FillBuffer(out, doc);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_pod_fingerprint(podalloc_buffer* out, const char* pods_json,
                                                      size_t pods_json_len,
                                                      podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(std::vector<podalloc::PodName> pods,
                              podalloc::capi::PodNamesArg(pods_json, pods_json_len));
    podalloc::capi::FillBuffer(out, podalloc::PodFingerprint(pods));
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_fit_report(podalloc_buffer* out,
                                                      const podalloc_node* node,
                                                      const char* query_json,
                                                      size_t query_json_len,
                                                      podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view text,
                              Text(query_json, query_json_len, "query_json"));
    podalloc::FitQuery query;
    if (!text.empty()) {
      PODALLOC_ASSIGN_OR_RETURN(query, podalloc::ParseFitQuery(text));
    }
    PODALLOC_ASSIGN_OR_RETURN(podalloc::FitReport report, podalloc::WhatStillFits(n, query));
    podalloc::capi::FillBuffer(out, podalloc::FitReportToJson(report, query));
    return absl::OkStatus();
  });
}

}  // extern "C"
