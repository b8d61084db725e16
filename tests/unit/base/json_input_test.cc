// ParseJson and JsonExcerpt: the bounded JSON edge every input document goes through.
#include "podalloc/internal/json_input.h"

#include <string>

#include <catch2/catch.hpp>

namespace podalloc::internal {
namespace {

std::string Nested(int depth, const std::string& pre = "", const std::string& post = "") {
  return pre + std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']') + post;
}

std::string Error(const absl::Status& s) { return std::string(s.message()); }

TEST_CASE("json input: documents within the limits parse as json::parse does", "[json_input]") {
  const std::string text = R"({"a":[1,-2,3.5,"x",true,null,{"b":{}}],"c":18446744073709551615})";
  absl::StatusOr<nlohmann::json> doc = ParseJson(text);
  REQUIRE(doc.ok());
  CHECK(*doc == nlohmann::json::parse(text));
  absl::StatusOr<nlohmann::ordered_json> ordered = ParseOrderedJson(R"({"z":1,"a":2})");
  REQUIRE(ordered.ok());
  CHECK(ordered->dump() == R"({"z":1,"a":2})");
  CHECK(ParseJson(Nested(kMaxJsonDepth)).ok());
}

TEST_CASE("json input: nesting beyond the limit is refused with its path", "[json_input]") {
  absl::StatusOr<nlohmann::json> doc = ParseJson(Nested(kMaxJsonDepth + 1));
  REQUIRE(doc.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Error(doc.status()) ==
        Error(ParseJson(Nested(kMaxJsonDepth + 1)).status()));  // deterministic
  CHECK_THAT(Error(doc.status()), Catch::Contains("nests deeper than 512"));

  // 100 000 levels, the reproducer's depth, inside an object: the path names the field.
  doc = ParseJson(Nested(100000, R"({"metadata":{"name":)", "}}"),
                  JsonPathStyle::kDotted);
  REQUIRE(!doc.ok());
  const std::string message = Error(doc.status());
  CHECK_THAT(message, Catch::StartsWith("metadata.name[0][0][0]"));
  CHECK(message.size() < 300);

  doc = ParseJson(Nested(100000, R"({"cpus":[{"id":)", "}]}"));
  REQUIRE(!doc.ok());
  CHECK_THAT(Error(doc.status()), Catch::StartsWith("/cpus/0/id/0/0/"));
}

TEST_CASE("json input: a number beyond a double names its path", "[json_input]") {
  CHECK(Error(ParseJson(R"({"schema":1e400})").status()) ==
        "/schema: the number \"1e400\" is beyond the range of a double");
  CHECK(Error(ParseJson("[1e400]").status()) ==
        "/0: the number \"1e400\" is beyond the range of a double");
  CHECK(Error(ParseJson(R"({"a":[0,{"b":-1e400}]})", JsonPathStyle::kDotted).status()) ==
        "a[1].b: the number \"-1e400\" is beyond the range of a double");
  CHECK(Error(ParseJson("1e400", JsonPathStyle::kDotted).status()) ==
        "(document): the number \"1e400\" is beyond the range of a double");
  // 400 digits: an integer too large for any integer type, read as a double, still too large.
  CHECK_THAT(Error(ParseJson("{\"x\":1" + std::string(400, '0') + "}").status()),
             Catch::StartsWith("/x: the number \"1000") &&
                 Catch::Contains("(401 bytes) is beyond the range of a double"));
  // Large but finite numbers are numbers.
  CHECK(ParseJson("[1e308, -1e308, 1e-400]").ok());
}

TEST_CASE("json input: syntax errors keep nlohmann's position, quote the token safely",
          "[json_input]") {
  absl::StatusOr<nlohmann::json> doc = ParseJson("{\"a\": tru}");
  REQUIRE(!doc.ok());
  CHECK_THAT(Error(doc.status()),
             Catch::StartsWith("parse error at line 1, column ") &&
                 Catch::Contains("syntax error while parsing value - invalid literal") &&
                 Catch::EndsWith("tru}\""));
  // The ill-formed byte is escaped, not copied into the message.
  doc = ParseJson("[\"0\xff\"]");
  REQUIRE(!doc.ok());
  CHECK_THAT(Error(doc.status()), Catch::Contains("ill-formed UTF-8 byte") &&
                                      Catch::EndsWith("last read: \"\\\"0\\xff\""));
  // A 10 MB string that never ends is not echoed whole.
  doc = ParseJson("[\"" + std::string(10 * 1024 * 1024, 'x'));
  REQUIRE(!doc.ok());
  CHECK(Error(doc.status()).size() < 400);
  CHECK(!ParseJson("").ok());
  CHECK(!ParseJson("[1] [2]").ok());
}

TEST_CASE("json input: excerpts are bounded, escaped and never recursive", "[json_input]") {
  CHECK(JsonExcerpt(nlohmann::json::parse(R"({"a":[1,"x"],"b":null})")) ==
        R"({"a":[1,"x"],"b":null})");
  CHECK(JsonExcerpt(nlohmann::json(5)) == "5");
  CHECK(JsonExcerpt(nlohmann::json("a\"b")) == R"("a\"b")");
  // A value built in memory may hold bytes no parser would have let through.
  CHECK(JsonExcerpt(nlohmann::json("\xff\n")) == R"("\xff\n")");
  CHECK(JsonExcerpt(nlohmann::json(std::string(1000, 'y')), 10) == "\"yyyyyyyyy...");
  const std::string excerpt = JsonExcerpt(nlohmann::json::parse(std::string(1000, '[') +
                                                                std::string(1000, ']')));
  CHECK(excerpt == std::string(kJsonExcerptBytes, '[') + "...");
  nlohmann::json wide = nlohmann::json::array();
  for (int i = 0; i < 100000; ++i) wide.push_back(i);
  CHECK(JsonExcerpt(wide).size() < kJsonExcerptBytes + 10);
}

}  // namespace
}  // namespace podalloc::internal
