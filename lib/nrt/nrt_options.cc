// NrtOptions from the JSON the C ABI and the command line take. Unknown keys are refused so a
// misspelt option is not silently ignored.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/nrt.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

using Json = nlohmann::json;

absl::Status Bad(const std::string& key, const Json& value, const std::string& want) {
  return absl::InvalidArgumentError(absl::StrCat("NRT options: ", key, ": ",
                                                 internal::JsonExcerpt(value), " is not ", want));
}

absl::StatusOr<std::string> Text(const Json& v, const std::string& key) {
  if (!v.is_string()) return Bad(key, v, "a string");
  return v.get<std::string>();
}

absl::StatusOr<bool> Flag(const Json& v, const std::string& key) {
  if (!v.is_boolean()) return Bad(key, v, "true or false");
  return v.get<bool>();
}

}  // namespace

absl::StatusOr<NrtOptions> ParseNrtOptions(std::string_view json) {
  PODALLOC_ASSIGN_OR_RETURN(Json doc, internal::ParseJson(json, internal::JsonPathStyle::kDotted));
  if (!doc.is_object()) return Bad("options", doc, "an object");
  NrtOptions o;
  for (const auto& [key, v] : doc.items()) {
    if (key == "nodeName") {
      PODALLOC_ASSIGN_OR_RETURN(o.node_name, Text(v, key));
    } else if (key == "nodeUID") {
      PODALLOC_ASSIGN_OR_RETURN(o.node_uid, Text(v, key));
    } else if (key == "fingerprint") {
      PODALLOC_ASSIGN_OR_RETURN(o.fingerprint, Flag(v, key));
    } else if (key == "legacyTopologyPolicies") {
      PODALLOC_ASSIGN_OR_RETURN(o.legacy_topology_policies, Flag(v, key));
    } else if (key == "publishMaxNUMANodes") {
      PODALLOC_ASSIGN_OR_RETURN(o.publish_max_numa_nodes, Flag(v, key));
    } else if (key == "method") {
      if (v == "all") {
        o.method = FingerprintMethod::kAll;
      } else if (v == "with-exclusive-resources") {
        o.method = FingerprintMethod::kWithExclusiveResources;
      } else {
        return Bad(key, v, "\"all\" or \"with-exclusive-resources\"");
      }
    } else if (key == "fingerprintRule") {
      if (v != "plugin" && v != "rte") return Bad(key, v, "\"plugin\" or \"rte\"");
      o.rule = v == "rte" ? FingerprintRule::kRte : FingerprintRule::kPlugin;
    } else if (key == "mode") {
      if (v != "exact" && v != "rte") return Bad(key, v, "\"exact\" or \"rte\"");
      o.mode = v == "rte" ? NrtMode::kRte : NrtMode::kExact;
    } else if (key == "resourceExclude") {
      if (!v.is_object()) return Bad(key, v, "an object of node name to resource names");
      for (const auto& [node, names] : v.items()) {
        const std::string where = absl::StrCat(key, ".", node);
        if (!names.is_array()) return Bad(where, names, "a list of resource names");
        for (const Json& name : names) {
          PODALLOC_ASSIGN_OR_RETURN(std::string n, Text(name, where));
          o.resource_exclude[node].insert(std::move(n));
        }
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("NRT options: unknown key \"", key, "\""));
    }
  }
  return o;
}

}  // namespace podalloc
