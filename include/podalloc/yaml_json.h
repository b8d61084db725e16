// File: podalloc/yaml_json.h
// Reading a YAML (or JSON) document into JSON values the way Kubernetes does before it decodes
// an object: sigs.k8s.io/yaml converts YAML to JSON with go-yaml v2's scalar rules (a plain
// `true`, `yes` or `on` is a boolean, `0x1F` and `017` are integers, `1e3` is a number, `~`
// and `null` are null; a quoted scalar is always a string), and its strict form reports keys
// given twice in one mapping. JSON is YAML, so JSON text goes through the same reader.
//
// The edge between text and the JSON-based readers (node configuration, pods): the rest of
// podalloc only sees nlohmann::json. Pure and reentrant; yaml-cpp does the parsing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace podalloc {

// A key given more than once in one mapping. go-yaml's strict mode reports it as
// `line <line>: key "<key>" already set in map`; the lenient conversion keeps the last value.
struct YamlDuplicateKey {
  std::string path;  // dotted path of the key, list positions in brackets: "a.b[0].c"
  int line = 0;      // 1-based line of the repeated key
  friend bool operator==(const YamlDuplicateKey&, const YamlDuplicateKey&) = default;
};

struct YamlDocument {
  nlohmann::json value;  // null for an empty document
  std::vector<YamlDuplicateKey> duplicates;  // in document order; the last value was kept
};

// Converts the first document of `text`. Errors (InvalidArgument): YAML syntax (with line and
// column), a mapping key that is not a scalar, .inf/.nan (JSON has no such number), nesting
// deeper than 256 levels, and more than 1,000,000 values once aliases are expanded.
[[nodiscard]] absl::StatusOr<YamlDocument> YamlToJson(std::string_view text);

// Every document of a stream (`---` separated), in order, with YamlToJson's rules and errors;
// an empty text has none.
[[nodiscard]] absl::StatusOr<std::vector<YamlDocument>> YamlDocumentsToJson(std::string_view text);

// Block-style YAML of a JSON document, keys in the document's order; strings are written
// double-quoted (JSON's spelling), so no value changes type when the YAML is read back.
std::string JsonToYaml(const nlohmann::ordered_json& doc);

}  // namespace podalloc
