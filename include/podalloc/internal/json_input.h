// File: podalloc/internal/json_input.h
// JSON at podalloc's input edge: every document a caller hands in (pod, pod list, topology,
// node config, checkpoint, resize usage) is parsed by ParseJson, and every error that shows a
// piece of such a document renders it with JsonExcerpt. Both are bounded: a document may nest
// at most kMaxJsonDepth levels (nlohmann's parser is iterative, but copying, comparing or
// printing a parsed value recurses once per level, so a 100 000-deep array would overflow the
// stack later), and an excerpt stops after a fixed number of bytes however large the value.
// Internal to podalloc: no API promise.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace podalloc::internal {

// Deepest nesting of arrays and objects accepted. A pod nests about 15 levels (managedFields
// included), a topology, node config or checkpoint under 6; Go's encoding/json stops at
// 10 000, which podalloc's recursive walks over a parsed value could not afford.
inline constexpr int kMaxJsonDepth = 512;

// How a parse error names the place it happened.
enum class JsonPathStyle {
  kPointer,  // "/spec/containers/0/name" (topology JSON, checkpoints)
  kDotted,   // "spec.containers[0].name" (pod JSON, node config, as the API server names fields)
};

// Parses one JSON document. Every failure is InvalidArgument with a bounded message: syntax
// errors give nlohmann's line, column and reason with the last token quoted; a number beyond
// the range of a double and nesting deeper than kMaxJsonDepth name the path where they occur.
// nlohmann keeps the last of repeated keys in an object; given `duplicate_keys`, each repeated
// key is appended to it (as read, unescaped) so the caller can warn about it.
absl::StatusOr<nlohmann::json> ParseJson(std::string_view text,
                                         JsonPathStyle style = JsonPathStyle::kPointer,
                                         std::vector<std::string>* duplicate_keys = nullptr);
absl::StatusOr<nlohmann::ordered_json> ParseOrderedJson(
    std::string_view text, JsonPathStyle style = JsonPathStyle::kPointer);

// encoding/json's lookup of a struct field in `object`: the member whose name equals `name`
// ignoring ASCII case; with several spellings, the last in document order (Go assigns them in
// order, so the last one wins). Null when there is none. For the kubelet's checkpoint files.
const nlohmann::ordered_json* GoJsonField(const nlohmann::ordered_json& object,
                                          std::string_view name);

// The first byte that is not white space opens an object or an array: a document that may be
// JSON or YAML is then JSON, and its errors are JSON's rather than YAML's.
inline bool LooksLikeJson(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

// Bytes of rendered JSON an excerpt shows before it is cut.
inline constexpr size_t kJsonExcerptBytes = 80;

// `value` as compact JSON for an error message, cut after `max_bytes` with "...". Strings are
// escaped as QuoteInput escapes them. Never recursive, never longer than about max_bytes.
std::string JsonExcerpt(const nlohmann::json& value, size_t max_bytes = kJsonExcerptBytes);
std::string JsonExcerpt(const nlohmann::ordered_json& value,
                        size_t max_bytes = kJsonExcerptBytes);

}  // namespace podalloc::internal
