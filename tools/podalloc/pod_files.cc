// Pods from JSON or YAML files: JSON is tried first (the common case, and its errors are the
// clearer ones for a JSON file), YAML otherwise.
#include "pod_files.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/pod_json.h"
#include "podalloc/yaml_json.h"

namespace podalloc::cli {
namespace {

absl::Status AppendDocument(const nlohmann::json& doc, const std::string& origin,
                            std::vector<Pod>& out) {
  const nlohmann::json* list = &doc;
  if (doc.is_object() && doc.contains("items")) list = &doc["items"];
  if (!list->is_array()) {
    absl::StatusOr<Pod> pod = PodFromJson(doc);
    if (!pod.ok()) return absl::InvalidArgumentError(absl::StrCat(origin, ": ", pod.status().message()));
    out.push_back(*std::move(pod));
    return absl::OkStatus();
  }
  for (size_t i = 0; i < list->size(); ++i) {
    absl::StatusOr<Pod> pod = PodFromJson((*list)[i]);
    if (!pod.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": item ", i, ": ", pod.status().message()));
    }
    out.push_back(*std::move(pod));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AppendPods(std::string_view text, const std::string& origin, std::vector<Pod>& out) {
  std::vector<Pod> pods;
  absl::StatusOr<nlohmann::json> doc = internal::ParseJson(text, internal::JsonPathStyle::kDotted);
  const size_t first = text.find_first_not_of(" \t\r\n");
  const bool looks_like_json =
      first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
  if (doc.ok()) {
    if (absl::Status s = AppendDocument(*doc, origin, pods); !s.ok()) return s;
  } else if (looks_like_json) {
    // A file that opens as JSON does is JSON: its errors are JSON's, not YAML's.
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": not valid JSON: ", doc.status().message()));
  } else {
    absl::StatusOr<std::vector<YamlDocument>> docs = YamlDocumentsToJson(text);
    if (!docs.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": not valid YAML: ", docs.status().message()));
    }
    for (size_t i = 0; i < docs->size(); ++i) {
      const YamlDocument& d = (*docs)[i];
      if (d.value.is_null()) continue;  // an empty document between separators
      const std::string where = docs->size() > 1 ? absl::StrCat(origin, " document ", i) : origin;
      if (!d.duplicates.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": ",
                                                       internal::QuoteInput(d.duplicates.front().path),
                                                       " is given more than once (line ",
                                                       d.duplicates.front().line, ")"));
      }
      if (absl::Status s = AppendDocument(d.value, where, pods); !s.ok()) return s;
    }
  }
  for (Pod& p : pods) out.push_back(std::move(p));
  return absl::OkStatus();
}

}  // namespace podalloc::cli
