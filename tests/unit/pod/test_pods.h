// Small builders shared by the pod module's tests: pods and resource lists from JSON text.
#pragma once

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/quantity.h"

namespace podalloc::testing {

// The pod exactly as written, without the API server's defaulting: the functions under test
// mirror kubelet helpers whose own tests build pods that were never defaulted.
inline Pod PodFrom(const std::string& json) {
  PodParseOptions as_written;
  as_written.apply_api_server_defaults = false;
  auto pod = ParsePod(json, as_written);
  INFO(json << "\n" << std::string(pod.status().message()));
  REQUIRE(pod.ok());
  return *pod;
}

inline ResourceList ListFrom(const nlohmann::json& json, const std::string& what = "list") {
  auto list = ResourceListFromJson(json, what);
  INFO(what << ": " << std::string(list.status().message()));
  REQUIRE(list.ok());
  return *list;
}

inline ResourceList ListFrom(const std::string& json) {
  return ListFrom(nlohmann::json::parse(json));
}

inline Quantity QuantityFrom(const std::string& text) {
  auto q = Quantity::Parse(text);
  INFO("parsing \"" << text << "\": " << std::string(q.status().message()));
  REQUIRE(q.ok());
  return *q;
}

inline std::string Show(const ResourceList& list) {
  std::string out = "{";
  for (const auto& [name, q] : list) out += " " + name + ": " + q.ToString();
  return out + " }";
}

}  // namespace podalloc::testing
