// YAML to JSON with the Kubernetes decoder's rules: go-yaml v2 scalars, keys resolved first,
// duplicate keys recorded with the last value kept, JSON read as YAML.
#include <catch2/catch.hpp>

#include <string>

#include "podalloc/yaml_json.h"

namespace podalloc {
namespace {

using nlohmann::json;

json Value(const std::string& text) {
  absl::StatusOr<YamlDocument> doc = YamlToJson(text);
  INFO(text << " -> " << doc.status().message());
  REQUIRE(doc.ok());
  return doc->value;
}

TEST_CASE("yaml: plain scalars resolve as go-yaml v2 does", "[yaml]") {
  const auto [text, want] = GENERATE(table<std::string, json>({
      {"v: true", json{{"v", true}}},
      {"v: yes", json{{"v", true}}},
      {"v: On", json{{"v", true}}},
      {"v: n", json{{"v", false}}},
      {"v: OFF", json{{"v", false}}},
      {"v: ~", json{{"v", nullptr}}},
      {"v:", json{{"v", nullptr}}},
      {"v: 110", json{{"v", 110}}},
      {"v: -1", json{{"v", -1}}},
      {"v: 0x1F", json{{"v", 31}}},
      {"v: 017", json{{"v", 15}}},
      {"v: 0b101", json{{"v", 5}}},
      {"v: 1_000", json{{"v", 1000}}},
      {"v: 18446744073709551615", json{{"v", 18446744073709551615ULL}}},
      {"v: 0.9", json{{"v", 0.9}}},
      {"v: 1e3", json{{"v", 1000.0}}},
      {"v: .5", json{{"v", 0.5}}},
      {"v: 08", json{{"v", 8.0}}},
      {"v: 10s", json{{"v", "10s"}}},
      {"v: 0-1,32", json{{"v", "0-1,32"}}},
      {"v: 1Gi", json{{"v", "1Gi"}}},
      {"v: '110'", json{{"v", "110"}}},
      {"v: \"true\"", json{{"v", "true"}}},
      {"v: !!str 5", json{{"v", "5"}}},
      {"yes: 1", json{{"true", 1}}},
      {"1: x", json{{"1", "x"}}},
      {"{\"a\": [1, \"b\", null, false]}", json{{"a", {1, "b", nullptr, false}}}},
  }));
  CAPTURE(text);
  CHECK(Value(text) == want);
}

TEST_CASE("yaml: duplicate keys keep the last value and are reported", "[yaml]") {
  absl::StatusOr<YamlDocument> doc = YamlToJson("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n");
  REQUIRE(doc.ok());
  CHECK(doc->value == json{{"a", 3}, {"b", {{"c", 2}}}});
  REQUIRE(doc->duplicates.size() == 2);
  CHECK(doc->duplicates[0] == YamlDuplicateKey{"b.c", 4});
  CHECK(doc->duplicates[1] == YamlDuplicateKey{"a", 5});
  // JSON is read the same way, so its repeated keys are seen too.
  doc = YamlToJson(R"({"x": [{"k": 1, "k": 2}]})");
  REQUIRE(doc.ok());
  REQUIRE(doc->duplicates.size() == 1);
  CHECK(doc->duplicates[0].path == "x[0].k");
}

TEST_CASE("yaml: errors name the place and never throw", "[yaml]") {
  for (const char* bad : {"*", "a: [1, 2", "a: .inf", "? [a]\n: 1", "a: \"unterminated"}) {
    CAPTURE(bad);
    absl::StatusOr<YamlDocument> doc = YamlToJson(bad);
    REQUIRE_FALSE(doc.ok());
    CHECK(std::string(doc.status().message()).rfind("yaml: ", 0) == 0);
  }
  CHECK(std::string(YamlToJson("a: [1, 2").status().message()).find("line ") != std::string::npos);
  // Deep nesting is refused before it can exhaust the stack.
  std::string deep(100000, '[');
  CHECK_FALSE(YamlToJson(deep).ok());
  CHECK(Value("").is_null());
}

TEST_CASE("yaml: a stream of documents", "[yaml]") {
  absl::StatusOr<std::vector<YamlDocument>> docs =
      YamlDocumentsToJson("a: 1\n---\nb: 2\n---\n- 3\n");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 3);
  CHECK((*docs)[0].value == json{{"a", 1}});
  CHECK((*docs)[2].value == json::array({3}));
  CHECK(YamlDocumentsToJson("")->empty());
}

}  // namespace
}  // namespace podalloc
