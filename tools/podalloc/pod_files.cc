// Pods from JSON or YAML files: JSON is tried first (the common case, and its errors are the
// clearer ones for a JSON file), YAML otherwise.
#include "pod_files.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/pod_json.h"
#include "podalloc/status_macros.h"
#include "podalloc/yaml_json.h"

namespace podalloc::cli {
namespace {

// A key given twice in a YAML document is refused for pods (the API server would refuse it).
absl::Status CheckDuplicates(const YamlDocument& d, const std::string& where) {
  if (d.duplicates.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      where, ": ", internal::QuoteInput(d.duplicates.front().path),
      " is given more than once (line ", d.duplicates.front().line, ")"));
}

// A pod file without metadata.namespace means the default namespace, as kubectl reads it.
void DefaultNamespace(nlohmann::json& pod) {
  if (!pod.is_object()) return;
  auto metadata = pod.find("metadata");
  if (metadata == pod.end() || !metadata->is_object()) return;
  auto ns = metadata->find("namespace");
  if (ns == metadata->end() || ns->is_null()) (*metadata)["namespace"] = "default";
}

absl::Status AppendDocument(nlohmann::json doc, const std::string& origin,
                            std::vector<Pod>& out) {
  nlohmann::json* list = &doc;
  if (doc.is_object() && doc.contains("items")) list = &doc["items"];
  if (!list->is_array()) {
    DefaultNamespace(doc);
    absl::StatusOr<Pod> pod = PodFromJson(doc);
    if (!pod.ok()) return absl::InvalidArgumentError(absl::StrCat(origin, ": ", pod.status().message()));
    out.push_back(*std::move(pod));
    return absl::OkStatus();
  }
  for (size_t i = 0; i < list->size(); ++i) {
    DefaultNamespace((*list)[i]);
    absl::StatusOr<Pod> pod = PodFromJson((*list)[i]);
    if (!pod.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": item ", i, ": ", pod.status().message()));
    }
    out.push_back(*std::move(pod));
  }
  return absl::OkStatus();
}

// A file's documents, each with the name its errors start with: one JSON document, or the
// non-empty YAML documents between `---` separators (a key given twice is refused for pods,
// as the API server would).
struct Document {
  nlohmann::json value;
  std::string where;
};
absl::StatusOr<std::vector<Document>> Documents(std::string_view text, const std::string& origin) {
  std::vector<Document> out;
  absl::StatusOr<nlohmann::json> doc = internal::ParseJson(text, internal::JsonPathStyle::kDotted);
  if (doc.ok()) {
    out.push_back(Document{*std::move(doc), origin});
    return out;
  }
  if (internal::LooksLikeJson(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": not valid JSON: ", doc.status().message()));
  }
  absl::StatusOr<std::vector<YamlDocument>> docs = YamlDocumentsToJson(text);
  if (!docs.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": not valid YAML: ", docs.status().message()));
  }
  for (size_t i = 0; i < docs->size(); ++i) {
    YamlDocument& d = (*docs)[i];
    if (d.value.is_null()) continue;  // an empty document between separators
    std::string where = docs->size() > 1 ? absl::StrCat(origin, " document ", i) : origin;
    PODALLOC_RETURN_IF_ERROR(CheckDuplicates(d, where));
    out.push_back(Document{std::move(d.value), std::move(where)});
  }
  return out;
}

// One document's pods appended to `items`: a pod, a list of pods or a v1 List.
void AppendItems(const nlohmann::json& doc, nlohmann::json& items) {
  const nlohmann::json* list = &doc;
  if (doc.is_object() && doc.contains("items")) list = &doc["items"];
  if (!list->is_array()) {
    items.push_back(doc);
    DefaultNamespace(items.back());
    return;
  }
  for (const nlohmann::json& pod : *list) {
    items.push_back(pod);
    DefaultNamespace(items.back());
  }
}

}  // namespace

absl::Status AppendPods(std::string_view text, const std::string& origin, std::vector<Pod>& out) {
  PODALLOC_ASSIGN_OR_RETURN(std::vector<Document> docs, Documents(text, origin));
  std::vector<Pod> pods;
  for (const Document& d : docs) PODALLOC_RETURN_IF_ERROR(AppendDocument(d.value, d.where, pods));
  for (Pod& p : pods) out.push_back(std::move(p));
  return absl::OkStatus();
}

absl::StatusOr<PodsToRestore> RunningPods(std::string_view text, const std::string& origin) {
  PODALLOC_ASSIGN_OR_RETURN(std::vector<Document> docs, Documents(text, origin));
  nlohmann::json items = nlohmann::json::array();
  for (const Document& d : docs) AppendItems(d.value, items);
  // The library's reader takes a JSON list; YAML's strings are UTF-8 (checked on reading).
  return ParsePodsToRestore(items.dump(), origin);
}

}  // namespace podalloc::cli
