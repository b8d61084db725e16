// The fit report's query from JSON and the report to JSON (fit_report.h).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "podalloc/fit_report.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/nrt.h"
#include "podalloc/pod_json.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

using Json = nlohmann::json;
using Ordered = nlohmann::ordered_json;

absl::Status Bad(const std::string& key, const Json& value, const std::string& want) {
  return absl::InvalidArgumentError(absl::StrCat("fit query: ", key, ": ",
                                                 internal::JsonExcerpt(value), " is not ", want));
}

absl::StatusOr<Quantity> Amount(const Json& v, const std::string& key) {
  if (!v.is_string()) return Bad(key, v, "a quantity string");
  absl::StatusOr<Quantity> q = Quantity::Parse(v.get<std::string>());
  if (!q.ok()) return Bad(key, v, "a quantity");
  return *q;
}

Ordered Outcome(const FitOutcome& o) {
  Ordered j = Ordered::object();
  j["value"] = DecimalSiText(o.value);
  j["reason"] = o.reason;
  j["message"] = o.message;
  return j;
}

}  // namespace

absl::StatusOr<FitQuery> ParseFitQuery(std::string_view json) {
  PODALLOC_ASSIGN_OR_RETURN(Json doc, internal::ParseJson(json, internal::JsonPathStyle::kDotted));
  if (!doc.is_object()) return Bad("query", doc, "an object");
  FitQuery q;
  for (const auto& [key, v] : doc.items()) {
    if (key == "cpuFloor") {
      PODALLOC_ASSIGN_OR_RETURN(q.cpu_floor, Amount(v, key));
    } else if (key == "memoryFloor") {
      PODALLOC_ASSIGN_OR_RETURN(q.memory_floor, Amount(v, key));
    } else if (key == "allPolicies" || key == "zones") {
      if (!v.is_boolean()) return Bad(key, v, "true or false");
      (key == "zones" ? q.zones : q.all_policies) = v.get<bool>();
    } else if (key == "whatIf") {
      if (!v.is_array()) return Bad(key, v, "a list of {\"policy\", \"scope\"}");
      for (size_t i = 0; i < v.size(); ++i) {
        const Json& pair = v[i];
        const std::string where = absl::StrCat(key, "[", i, "]");
        if (!pair.is_object() || !pair.contains("policy") || !pair["policy"].is_string() ||
            (pair.contains("scope") && !pair["scope"].is_string())) {
          return Bad(where, pair, "{\"policy\": string, \"scope\": string}");
        }
        q.what_if.emplace_back(pair["policy"].get<std::string>(),
                               pair.value("scope", std::string("container")));
      }
    } else if (key == "shapes") {
      if (!v.is_array()) return Bad(key, v, "a list of pods");
      for (size_t i = 0; i < v.size(); ++i) {
        absl::StatusOr<Pod> pod = PodFromJson(v[i]);
        if (!pod.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("fit query: shapes[", i, "]: ", pod.status().message()));
        }
        q.shapes.push_back(*std::move(pod));
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("fit query: unknown key \"", key, "\""));
    }
  }
  return q;
}

std::string FitReportToJson(const FitReport& report, const FitQuery& query, int indent) {
  Ordered doc = Ordered::object();
  doc["stateVersion"] = report.state_version;
  doc["fingerprint"] = report.fingerprint;
  doc["floors"] = Ordered::object({{"cpu", query.cpu_floor.ToString()},
                                   {"memory", query.memory_floor.ToString()}});
  Ordered results = Ordered::array();
  for (const PolicyFit& p : report.results) {
    Ordered r = Ordered::object();
    r["policy"] = p.policy;
    r["scope"] = p.scope;
    r["configured"] = p.configured;
    Ordered resources = Ordered::array();
    for (const ResourceFit& f : p.resources) {
      Ordered res = Ordered::object();
      res["name"] = f.name;
      res["nrtAvailable"] = DecimalSiText(f.available);
      Ordered overall = Ordered::object();
      overall["largest"] = DecimalSiText(f.largest);
      overall["numaAffinity"] = f.numa_affinity.GetBits();
      if (f.next.has_value()) overall["next"] = Outcome(*f.next);
      res["overall"] = std::move(overall);
      if (!f.zones.empty()) {
        Ordered zones = Ordered::array();
        for (const ZoneFit& z : f.zones) {
          zones.push_back(Ordered::object({{"zone", absl::StrCat("node-", z.numa_id)},
                                           {"largest", DecimalSiText(z.largest)}}));
        }
        res["zones"] = std::move(zones);
      }
      if (f.plugin.has_value()) {
        res["plugin"] = Ordered::object(
            {{"largest", DecimalSiText(f.plugin->largest)}, {"agrees", f.plugin->agrees}});
      }
      resources.push_back(std::move(res));
    }
    r["resources"] = std::move(resources);
    results.push_back(std::move(r));
  }
  doc["results"] = std::move(results);
  if (!report.shapes.empty()) {
    Ordered shapes = Ordered::array();
    for (const ShapeFit& s : report.shapes) {
      Ordered j = Ordered::object();
      j["pod"] = s.pod;
      j["admitted"] = s.admitted;
      j["reason"] = s.reason;
      j["message"] = s.message;
      Ordered containers = Ordered::array();
      for (const ShapePlacement& c : s.containers) {
        containers.push_back(Ordered::object({{"name", c.container},
                                              {"cpus", c.cpus.ToString()},
                                              {"memoryNodes", c.memory_nodes.GetBits()}}));
      }
      j["containers"] = std::move(containers);
      shapes.push_back(std::move(j));
    }
    doc["shapes"] = std::move(shapes);
  }
  return doc.dump(indent, ' ', false, Ordered::error_handler_t::replace);
}

}  // namespace podalloc
