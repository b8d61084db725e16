// File: podalloc/pod_json.h
// Reading a Pod from an already parsed Kubernetes v1 Pod JSON document (nlohmann::json), for
// callers that hold the document anyway (the C ABI, the simulator, tests). ParsePod in
// pod.h is the same reader over text. The subset read and the validation applied are those
// described there; field names follow the Kubernetes API (camelCase). docs/pod-json.md
// describes the format.
//
// The kubelet only sees pods after the API server has defaulted them, so by default the
// reader applies that defaulting (ApplyApiServerDefaults, pod_defaults.h) before validating:
// a manifest with limits only gets its requests, pod-level ones included, as it would once
// stored. Pods read back from the API server are already defaulted and come out unchanged.
// PodParseOptions turns it off, e.g. to read a pod exactly as written.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"
#include "podalloc/pod.h"
#include "podalloc/pod_defaults.h"

namespace podalloc {

struct PodParseOptions {
  // Apply the API server's resource defaulting before validation.
  bool apply_api_server_defaults = true;
  DefaultingOptions defaulting;
};

// Never throws: every type mismatch becomes InvalidArgument naming the JSON path.
[[nodiscard]] absl::StatusOr<Pod> PodFromJson(const nlohmann::json& doc,
                                              const PodParseOptions& options = {});

// ParsePod (pod.h) with options; ParsePod(text) is ParsePod(text, PodParseOptions{}).
[[nodiscard]] absl::StatusOr<Pod> ParsePod(std::string_view json, const PodParseOptions& options);

// What the reader does once it has read a pod, for pods built by other means (the C ABI's
// typed pods): the API server's defaulting, when the options ask for it, and the validation
// of the defaulted pod. Error paths are those of the pod's JSON form (spec.containers[1]...).
[[nodiscard]] absl::Status DefaultAndValidatePod(Pod& pod, const PodParseOptions& options = {});

// Reads one resource list (a JSON object of name -> quantity string or number); `path`
// prefixes error messages, e.g. "spec.overhead".
[[nodiscard]] absl::StatusOr<ResourceList> ResourceListFromJson(const nlohmann::json& list,
                                                                std::string_view path);

}  // namespace podalloc
