// YAML to JSON as sigs.k8s.io/yaml does it (YAMLToJSON / YAMLToJSONStrict): mappings become
// objects with string keys (a plain key is resolved first, so `yes:` is the key "true"),
// sequences arrays, scalars by go-yaml v2's rules; a key repeated in one mapping is recorded
// and its last value kept. yaml-cpp parses; its exceptions stop here.
#include "podalloc/yaml_json.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/utf8.h"
#include "podalloc/status_macros.h"
#include "yaml_scalar.h"

namespace podalloc {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 256;
constexpr size_t kMaxValues = 1000000;

absl::Status Bad(const YAML::Mark& mark, absl::string_view what) {
  if (mark.is_null()) return absl::InvalidArgumentError(absl::StrCat("yaml: ", what));
  return absl::InvalidArgumentError(absl::StrCat("yaml: line ", mark.line + 1, ", column ",
                                                 mark.column + 1, ": ", what));
}

// Untagged plain scalars carry the tag "?", quoted and block scalars "!" (always strings);
// explicit core-schema tags say what the text must be.
absl::StatusOr<json> Scalar(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return json(text);
  bool infinite = false;
  json value = internal::ResolvePlainScalar(text, infinite);
  if (infinite) {
    return Bad(node.Mark(), absl::StrCat(internal::QuoteInput(text), " has no JSON form (json: unsupported value)"));
  }
  return value;
}

// go-yaml reads UTF-8 only and stops at the first invalid sequence; so does this reader, so
// every string that leaves it is valid UTF-8 (JSON output and messages depend on that).
absl::Status CheckUtf8(std::string_view text) {
  const size_t bad = internal::FirstInvalidUtf8(text);
  if (bad == std::string_view::npos) return absl::OkStatus();
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(bad), '\n');
  return absl::InvalidArgumentError(absl::StrCat(
      "yaml: line ", line, ": invalid UTF-8 byte 0x",
      absl::Hex(static_cast<unsigned char>(text[bad]), absl::kZeroPad2), " at offset ", bad));
}

class Converter {
 public:
  explicit Converter(std::vector<YamlDuplicateKey>& duplicates) : duplicates_(duplicates) {}

  absl::StatusOr<json> Convert(const YAML::Node& node, const std::string& path, int depth) {
    if (depth > kMaxDepth) return Bad(node.Mark(), "nesting deeper than 256 levels");
    if (++values_ > kMaxValues) {
      return Bad(node.Mark(), "more than 1000000 values once aliases are expanded");
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return json(nullptr);
      case YAML::NodeType::Scalar:
        return Scalar(node);
      case YAML::NodeType::Sequence: {
        json out = json::array();
        size_t i = 0;
        for (const YAML::Node& item : node) {
          PODALLOC_ASSIGN_OR_RETURN(json v, Convert(item, absl::StrCat(path, "[", i, "]"), depth + 1));
          out.push_back(std::move(v));
          ++i;
        }
        return out;
      }
      case YAML::NodeType::Map: {
        json out = json::object();
        for (auto it = node.begin(); it != node.end(); ++it) {
          PODALLOC_ASSIGN_OR_RETURN(std::string key, Key(it->first));
          const std::string child = path.empty() ? key : absl::StrCat(path, ".", key);
          PODALLOC_ASSIGN_OR_RETURN(json v, Convert(it->second, child, depth + 1));
          if (out.contains(key)) duplicates_.push_back({child, it->first.Mark().line + 1});
          out[key] = std::move(v);
        }
        return out;
      }
    }
    return json(nullptr);
  }

 private:
  // YAMLToJSON turns resolved non-string keys into their text: true -> "true", 0x10 -> "16".
  static absl::StatusOr<std::string> Key(const YAML::Node& key) {
    if (key.IsNull()) return std::string("null");
    if (!key.IsScalar()) return Bad(key.Mark(), "a mapping key must be a scalar");
    PODALLOC_ASSIGN_OR_RETURN(json k, Scalar(key));
    if (k.is_string()) return k.get<std::string>();
    if (k.is_null()) return std::string("null");
    return k.dump();
  }

  std::vector<YamlDuplicateKey>& duplicates_;
  size_t values_ = 0;
};

}  // namespace

absl::StatusOr<YamlDocument> YamlToJson(std::string_view text) {
  PODALLOC_RETURN_IF_ERROR(CheckUtf8(text));
  YamlDocument doc;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    Converter converter(doc.duplicates);
    PODALLOC_ASSIGN_OR_RETURN(doc.value, converter.Convert(root, "", 0));
  } catch (const YAML::Exception& e) {
    return Bad(e.mark, e.msg);
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("yaml: ", e.what()));
  }
  return doc;
}

absl::StatusOr<std::vector<YamlDocument>> YamlDocumentsToJson(std::string_view text) {
  PODALLOC_RETURN_IF_ERROR(CheckUtf8(text));
  std::vector<YamlDocument> docs;
  try {
    for (const YAML::Node& root : YAML::LoadAll(std::string(text))) {
      YamlDocument doc;
      Converter converter(doc.duplicates);
      PODALLOC_ASSIGN_OR_RETURN(doc.value, converter.Convert(root, "", 0));
      docs.push_back(std::move(doc));
    }
  } catch (const YAML::Exception& e) {
    return Bad(e.mark, e.msg);
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("yaml: ", e.what()));
  }
  return docs;
}

}  // namespace podalloc
