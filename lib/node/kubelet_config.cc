// DecodeKubeletConfiguration (pkg/kubelet/kubeletconfig/util/codec/codec.go): the document is
// read as YAML (JSON is YAML), its TypeMeta checked, then decoded strictly; when the only
// complaints are unknown or duplicate fields the kubelet decodes it again leniently and logs
// "Using lenient decoding as strict decoding failed" -- here the complaints become warnings.
// Defaults, relative paths and validation follow, then podalloc reads its fields.
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "kubelet_config_internal.h"
#include "kubelet_config_schema.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/kubelet_config.h"
#include "podalloc/status_macros.h"
#include "podalloc/yaml_json.h"

namespace podalloc {
namespace {

using nlohmann::json;

absl::Status DecodeError(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("failed to decode: ", what));
}

// The TypeMeta the kubelet's scheme knows: exactly one group/version and kind.
absl::Status CheckTypeMeta(const json& doc) {
  const auto kind = doc.find("kind");
  const auto version = doc.find("apiVersion");
  for (const auto& it : {kind, version}) {
    if (it != doc.end() && !it->is_null() && !it->is_string()) {
      return DecodeError(absl::StrCat("couldn't get version/kind; json parse error: json: cannot "
                                      "unmarshal ",
                                      it->type_name(), " into Go struct field .",
                                      it == kind ? "kind" : "apiVersion", " of type string"));
    }
  }
  const std::string k = kind != doc.end() && kind->is_string() ? kind->get<std::string>() : "";
  const std::string v =
      version != doc.end() && version->is_string() ? version->get<std::string>() : "";
  if (k.empty()) return DecodeError(absl::StrCat("Object 'Kind' is missing in '", internal::JsonExcerpt(doc), "'"));
  if (v.empty()) {
    return DecodeError(absl::StrCat("Object 'apiVersion' is missing in '", internal::JsonExcerpt(doc), "'"));
  }
  if (k != kKubeletConfigKind || v != kKubeletConfigApiVersion) {
    return DecodeError(absl::StrCat("no kind ", internal::QuoteInput(k),
                                    " is registered for version ", internal::QuoteInput(v),
                                    " (known: ", std::string(kKubeletConfigApiVersion), " ",
                                    std::string(kKubeletConfigKind), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<KubeletConfiguration> DecodeKubeletConfiguration(std::string_view data,
                                                                std::string_view config_dir) {
  absl::StatusOr<YamlDocument> yaml = YamlToJson(data);
  if (!yaml.ok()) return DecodeError(yaml.status().message());
  KubeletConfiguration out;
  json& doc = yaml->value;
  if (!doc.is_object()) {
    return DecodeError(absl::StrCat("couldn't get version/kind; json parse error: json: cannot "
                                    "unmarshal ",
                                    doc.type_name(), " into Go value of type struct"));
  }
  PODALLOC_RETURN_IF_ERROR(CheckTypeMeta(doc));

  // Strict decoding's complaints, in the order the kubelet lists them: the YAML decoder's
  // duplicate keys, then the JSON decoder's unknown fields.
  for (const YamlDuplicateKey& d : yaml->duplicates) {
    out.warnings.push_back(absl::StrCat("duplicate field \"", d.path, "\" (line ", d.line,
                                        "): the last value is used, as the kubelet's lenient "
                                        "decoding does"));
  }
  std::vector<std::string> unknown;
  if (absl::Status s = internal::DecodeKubeletFields(doc, unknown); !s.ok()) {
    return DecodeError(s.message());
  }
  for (const std::string& path : unknown) {
    out.warnings.push_back(absl::StrCat("unknown field \"", path,
                                        "\": ignored, as the kubelet's lenient decoding does"));
  }

  internal::ApplyKubeletDefaults(doc);
  internal::ResolveKubeletPaths(doc, config_dir);
  PODALLOC_RETURN_IF_ERROR(ValidateKubeletConfiguration(doc));
  PODALLOC_ASSIGN_OR_RETURN(out.node_config,
                            internal::NodeConfigFromKubeletDocument(doc, out.warnings));
  out.node_config.warnings = out.warnings;
  out.document = std::move(doc);
  return out;
}

}  // namespace podalloc
