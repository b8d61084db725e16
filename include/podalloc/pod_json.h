// File: podalloc/pod_json.h
// Reading a Pod from an already parsed Kubernetes v1 Pod JSON document (nlohmann::json), for
// callers that hold the document anyway (the C ABI, the simulator, tests). ParsePod in
// pod.h is the same reader over text. The subset read and the validation applied are those
// described there; field names follow the Kubernetes API (camelCase).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"
#include "podalloc/pod.h"

namespace podalloc {

// Never throws: every type mismatch becomes InvalidArgument naming the JSON path.
[[nodiscard]] absl::StatusOr<Pod> PodFromJson(const nlohmann::json& doc);

// Reads one resource list (a JSON object of name -> quantity string or number); `path`
// prefixes error messages, e.g. "spec.overhead".
[[nodiscard]] absl::StatusOr<ResourceList> ResourceListFromJson(const nlohmann::json& list,
                                                                std::string_view path);

}  // namespace podalloc
