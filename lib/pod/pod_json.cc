// Reading the resource-relevant subset of a v1 Pod from JSON. The reader follows Go's
// decoding of k8s.io/api/core/v1 types: unknown fields are ignored, JSON null is the same
// as an absent field, and a quantity may be a string (surrounding spaces trimmed, as
// Quantity.UnmarshalJSON does) or a number.
#include "podalloc/pod_json.h"

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "pod_validation.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

using nlohmann::json;
using internal::JsonExcerpt;
using internal::QuoteInput;

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// A key comes from the document (a resource name), so it is escaped and bounded like any input.
std::string Child(std::string_view path, std::string_view key) {
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  if (!path.empty()) {
    out.append(path);
    out += '.';
  }
  internal::AppendEscaped(out, key);
  return out;
}

std::string Index(std::string_view path, size_t i) { return absl::StrCat(AV(path), "[", i, "]"); }

absl::Status TypeError(std::string_view path, std::string_view want, const json& got) {
  return absl::InvalidArgumentError(absl::StrCat(AV(path), ": must be ", AV(want), ", got ",
                                                 got.type_name(), " ", JsonExcerpt(got)));
}

// The member `key` of `obj`, or nullptr when absent or null.
const json* Field(const json& obj, std::string_view key) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

absl::Status ReadString(const json& obj, std::string_view key, std::string_view path,
                        std::string* out) {
  const json* v = Field(obj, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_string()) return TypeError(Child(path, key), "a string", *v);
  *out = v->get<std::string>();
  return absl::OkStatus();
}

// `obj` must be an object (null was already filtered by Field).
absl::Status ExpectObject(const json& obj, std::string_view path) {
  if (!obj.is_object()) return TypeError(path, "an object", obj);
  return absl::OkStatus();
}

absl::StatusOr<Quantity> QuantityFromJson(const json& v, std::string_view path) {
  std::string text;
  if (v.is_null()) return Quantity();  // Quantity.UnmarshalJSON reads null as zero
  if (v.is_string()) {
    text = v.get<std::string>();
    const auto first = text.find_first_not_of(" \t\n\r\f\v");
    const auto last = text.find_last_not_of(" \t\n\r\f\v");
    text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  } else if (v.is_number()) {
    text = v.dump();
  } else {
    return TypeError(path, "a quantity (string or number)", v);
  }
  auto q = Quantity::Parse(text);
  if (!q.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(AV(path), ": ", JsonExcerpt(v),
                                                   " is not a quantity (", q.status().message(),
                                                   ")"));
  }
  return *q;
}

absl::StatusOr<std::optional<ResourceList>> OptionalList(const json& obj, std::string_view key,
                                                         std::string_view path) {
  const json* v = Field(obj, key);
  if (v == nullptr) return std::optional<ResourceList>();
  PODALLOC_ASSIGN_OR_RETURN(ResourceList list, ResourceListFromJson(*v, Child(path, key)));
  return std::optional<ResourceList>(std::move(list));
}

absl::Status ReadRequirements(const json& obj, std::string_view path, ResourceRequirements* out) {
  PODALLOC_RETURN_IF_ERROR(ExpectObject(obj, path));
  PODALLOC_ASSIGN_OR_RETURN(auto requests, OptionalList(obj, "requests", path));
  PODALLOC_ASSIGN_OR_RETURN(auto limits, OptionalList(obj, "limits", path));
  if (requests) out->requests = std::move(*requests);
  if (limits) out->limits = std::move(*limits);
  return absl::OkStatus();
}

// Calls read(element, element_path) for each element of the array `key` of `obj`.
template <typename Fn>
absl::Status ForEachElement(const json& obj, std::string_view key, std::string_view path,
                            Fn read) {
  const json* v = Field(obj, key);
  if (v == nullptr) return absl::OkStatus();
  const std::string array_path = Child(path, key);
  if (!v->is_array()) return TypeError(array_path, "an array", *v);
  for (size_t i = 0; i < v->size(); ++i) {
    const std::string element_path = Index(array_path, i);
    if (!(*v)[i].is_object()) return TypeError(element_path, "an object", (*v)[i]);
    PODALLOC_RETURN_IF_ERROR(read((*v)[i], element_path));
  }
  return absl::OkStatus();
}

absl::Status ReadContainer(const json& obj, std::string_view path, Container* c) {
  PODALLOC_RETURN_IF_ERROR(ReadString(obj, "name", path, &c->name));
  PODALLOC_RETURN_IF_ERROR(ReadString(obj, "restartPolicy", path, &c->restart_policy));
  if (const json* r = Field(obj, "resources")) {
    PODALLOC_RETURN_IF_ERROR(ReadRequirements(*r, Child(path, "resources"), &c->resources));
  }
  return ForEachElement(obj, "resizePolicy", path, [&](const json& e, const std::string& p) {
    ContainerResizePolicy policy;
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "resourceName", p, &policy.resource_name));
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "restartPolicy", p, &policy.restart_policy));
    c->resize_policy.push_back(std::move(policy));
    return absl::OkStatus();
  });
}

absl::Status ReadContainers(const json& spec, std::string_view key, std::string_view path,
                            std::vector<Container>* out) {
  return ForEachElement(spec, key, path, [&](const json& e, const std::string& p) {
    Container c;
    PODALLOC_RETURN_IF_ERROR(ReadContainer(e, p, &c));
    out->push_back(std::move(c));
    return absl::OkStatus();
  });
}

absl::Status ReadStatusResources(const json& obj, std::string_view path,
                                 std::optional<ResourceList>* requests,
                                 std::optional<ResourceList>* limits, bool* present) {
  const json* r = Field(obj, "resources");
  if (r == nullptr) return absl::OkStatus();
  const std::string p = Child(path, "resources");
  PODALLOC_RETURN_IF_ERROR(ExpectObject(*r, p));
  if (present != nullptr) *present = true;
  PODALLOC_ASSIGN_OR_RETURN(*requests, OptionalList(*r, "requests", p));
  PODALLOC_ASSIGN_OR_RETURN(*limits, OptionalList(*r, "limits", p));
  return absl::OkStatus();
}

absl::Status ReadContainerStatuses(const json& status, std::string_view key,
                                   std::string_view path, std::vector<ContainerStatus>* out) {
  return ForEachElement(status, key, path, [&](const json& e, const std::string& p) {
    ContainerStatus cs;
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "name", p, &cs.name));
    PODALLOC_ASSIGN_OR_RETURN(cs.allocated_resources, OptionalList(e, "allocatedResources", p));
    PODALLOC_RETURN_IF_ERROR(
        ReadStatusResources(e, p, &cs.resources_requests, &cs.resources_limits, nullptr));
    out->push_back(std::move(cs));
    return absl::OkStatus();
  });
}

absl::Status ReadConditions(const json& status, std::string_view path,
                            std::vector<PodCondition>* out) {
  return ForEachElement(status, "conditions", path, [&](const json& e, const std::string& p) {
    PodCondition c;
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "type", p, &c.type));
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "status", p, &c.status));
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "reason", p, &c.reason));
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "message", p, &c.message));
    out->push_back(std::move(c));
    return absl::OkStatus();
  });
}

// status.extendedResourceClaimStatus: only the request mappings matter to admission.
absl::Status ReadExtendedResourceClaimStatus(const json& status, std::string_view path,
                                             PodStatus* out) {
  const json* claim = Field(status, "extendedResourceClaimStatus");
  if (claim == nullptr) return absl::OkStatus();
  const std::string p = Child(path, "extendedResourceClaimStatus");
  PODALLOC_RETURN_IF_ERROR(ExpectObject(*claim, p));
  return ForEachElement(*claim, "requestMappings", p, [&](const json& e, const std::string& ep) {
    ExtendedResourceRequestMapping m;
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "containerName", ep, &m.container_name));
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "resourceName", ep, &m.resource_name));
    PODALLOC_RETURN_IF_ERROR(ReadString(e, "requestName", ep, &m.request_name));
    out->extended_resource_request_mappings.push_back(std::move(m));
    return absl::OkStatus();
  });
}

absl::Status ReadStatus(const json& status, std::string_view path, PodStatus* out) {
  PODALLOC_RETURN_IF_ERROR(ExpectObject(status, path));
  PODALLOC_RETURN_IF_ERROR(ReadString(status, "qosClass", path, &out->qos_class));
  PODALLOC_RETURN_IF_ERROR(
      ReadContainerStatuses(status, "containerStatuses", path, &out->container_statuses));
  PODALLOC_RETURN_IF_ERROR(ReadContainerStatuses(status, "initContainerStatuses", path,
                                                 &out->init_container_statuses));
  PODALLOC_RETURN_IF_ERROR(ReadContainerStatuses(status, "ephemeralContainerStatuses", path,
                                                 &out->ephemeral_container_statuses));
  PODALLOC_RETURN_IF_ERROR(ReadConditions(status, path, &out->conditions));
  PODALLOC_ASSIGN_OR_RETURN(out->allocated_resources,
                            OptionalList(status, "allocatedResources", path));
  PODALLOC_RETURN_IF_ERROR(ReadExtendedResourceClaimStatus(status, path, out));
  return ReadStatusResources(status, path, &out->resources_requests, &out->resources_limits,
                             &out->has_resources);
}

// metadata.annotations: the config source and mirror markers of static pods.
absl::Status ReadAnnotations(const json& meta, Pod* pod) {
  const json* annotations = Field(meta, "annotations");
  if (annotations == nullptr) return absl::OkStatus();
  PODALLOC_RETURN_IF_ERROR(ExpectObject(*annotations, "metadata.annotations"));
  PODALLOC_RETURN_IF_ERROR(ReadString(*annotations, "kubernetes.io/config.source",
                                      "metadata.annotations", &pod->config_source));
  pod->mirror = annotations->contains("kubernetes.io/config.mirror");
  return absl::OkStatus();
}

// spec.priority: an int32, as the API types it.
absl::Status ReadPriority(const json& spec, Pod* pod) {
  const json* v = Field(spec, "priority");
  if (v == nullptr) return absl::OkStatus();
  const bool in_range =
      v->is_number_unsigned()  ? v->get<uint64_t>() <= uint64_t{INT32_MAX}
      : v->is_number_integer() ? v->get<int64_t>() >= INT32_MIN && v->get<int64_t>() <= INT32_MAX
                               : false;
  if (!in_range) return TypeError("spec.priority", "a 32-bit integer", *v);
  pod->priority = static_cast<int32_t>(v->get<int64_t>());
  return absl::OkStatus();
}

absl::Status ReadPod(const json& doc, const PodParseOptions& options, Pod* pod) {
  if (!doc.is_object()) return TypeError("pod", "an object", doc);
  std::string kind, api_version;
  PODALLOC_RETURN_IF_ERROR(ReadString(doc, "kind", "", &kind));
  PODALLOC_RETURN_IF_ERROR(ReadString(doc, "apiVersion", "", &api_version));
  if (!kind.empty() && kind != "Pod") {
    return absl::InvalidArgumentError(absl::StrCat("kind: ", QuoteInput(kind), " is not \"Pod\""));
  }
  if (!api_version.empty() && api_version != "v1") {
    return absl::InvalidArgumentError(
        absl::StrCat("apiVersion: ", QuoteInput(api_version), " is not \"v1\""));
  }
  if (const json* meta = Field(doc, "metadata")) {
    PODALLOC_RETURN_IF_ERROR(ExpectObject(*meta, "metadata"));
    PODALLOC_RETURN_IF_ERROR(ReadString(*meta, "name", "metadata", &pod->name));
    PODALLOC_RETURN_IF_ERROR(ReadString(*meta, "namespace", "metadata", &pod->namespace_name));
    PODALLOC_RETURN_IF_ERROR(ReadString(*meta, "uid", "metadata", &pod->uid));
    PODALLOC_RETURN_IF_ERROR(ReadAnnotations(*meta, pod));
  }
  const json* spec = Field(doc, "spec");
  if (spec == nullptr) return absl::InvalidArgumentError("spec: required, the pod has no spec");
  PODALLOC_RETURN_IF_ERROR(ExpectObject(*spec, "spec"));
  PODALLOC_RETURN_IF_ERROR(ReadContainers(*spec, "initContainers", "spec", &pod->init_containers));
  PODALLOC_RETURN_IF_ERROR(ReadContainers(*spec, "containers", "spec", &pod->containers));
  PODALLOC_RETURN_IF_ERROR(
      ReadContainers(*spec, "ephemeralContainers", "spec", &pod->ephemeral_containers));
  PODALLOC_RETURN_IF_ERROR(ReadPriority(*spec, pod));
  PODALLOC_ASSIGN_OR_RETURN(auto overhead, OptionalList(*spec, "overhead", "spec"));
  if (overhead) pod->overhead = std::move(*overhead);
  if (const json* r = Field(*spec, "resources")) {
    ResourceRequirements pod_level;
    PODALLOC_RETURN_IF_ERROR(ReadRequirements(*r, "spec.resources", &pod_level));
    pod->resources = std::move(pod_level);
  }
  if (const json* status = Field(doc, "status")) {
    PODALLOC_RETURN_IF_ERROR(ReadStatus(*status, "status", &pod->status));
  }
  return DefaultAndValidatePod(*pod, options);
}

}  // namespace

absl::StatusOr<ResourceList> ResourceListFromJson(const json& list, std::string_view path) {
  if (!list.is_object()) return TypeError(path, "an object of resource quantities", list);
  ResourceList out;
  for (auto it = list.begin(); it != list.end(); ++it) {
    PODALLOC_ASSIGN_OR_RETURN(Quantity q, QuantityFromJson(it.value(), Child(path, it.key())));
    out.emplace(it.key(), q);
  }
  return out;
}

absl::Status DefaultAndValidatePod(Pod& pod, const PodParseOptions& options) {
  const bool gate = options.defaulting.pod_level_resources;
  if (!options.apply_api_server_defaults) return internal::ValidatePod(pod, gate);
  // The API server validates the defaulted pod, so that decides (a defaulted pod-level
  // request above its limit is rejected, values equal once rounded to 1m are accepted).
  // When the pod as written is invalid too, its error names the field the author wrote
  // rather than the copy defaulting made of it.
  absl::Status as_written = internal::ValidatePod(pod, gate);
  // A pod the API server had nothing to add to (one read back from it) is valid as written.
  if (!ApplyApiServerDefaults(pod, options.defaulting)) return as_written;
  absl::Status defaulted = internal::ValidatePod(pod, gate);
  if (defaulted.ok()) return defaulted;
  if (!as_written.ok()) return as_written;
  return absl::InvalidArgumentError(
      absl::StrCat(defaulted.message(), " (after the API server's defaulting)"));
}

absl::StatusOr<Pod> PodFromJson(const json& doc, const PodParseOptions& options) {
  try {
    Pod pod;
    PODALLOC_RETURN_IF_ERROR(ReadPod(doc, options, &pod));
    return pod;
  } catch (const json::exception& e) {
    // Only reachable for documents built in memory (e.g. strings that are not UTF-8).
    return absl::InvalidArgumentError(absl::StrCat("pod JSON: ", internal::EscapeInput(e.what())));
  }
}

absl::StatusOr<Pod> ParsePod(std::string_view text) {
  return ParsePod(text, PodParseOptions{});
}

absl::StatusOr<Pod> ParsePod(std::string_view text, const PodParseOptions& options) {
  absl::StatusOr<json> doc = internal::ParseJson(text, internal::JsonPathStyle::kDotted);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("pod JSON is malformed: ", doc.status().message()));
  }
  return PodFromJson(*doc, options);
}

}  // namespace podalloc
