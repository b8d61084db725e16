// The pod reader on hostile documents (tests/data/repro items 2, 12 and 13): nesting far beyond
// any pod, numbers beyond a double, and values whose echo would be huge or not UTF-8. Each is an
// InvalidArgument naming the field, with a short message.
#include <string>

#include <catch2/catch.hpp>

#include "podalloc/pod_json.h"

namespace podalloc {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Pod> pod = ParsePod(text);
  REQUIRE_FALSE(pod.ok());
  CHECK(pod.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(pod.status().message());
}

std::string Deep(int depth) {
  return std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']');
}

TEST_CASE("pod bounds: 100000 nested arrays are refused at the JSON edge", "[pod][json][bounds]") {
  // deep_nesting.c case 0: a name of the wrong type, rendered in the error before the fix.
  std::string message = ErrorOf(R"({"metadata":{"name":)" + Deep(100000) +
                                R"(},"spec":{"containers":[{"name":"c"}]}})");
  CHECK_THAT(message, Catch::StartsWith("pod JSON is malformed: metadata.name[0][0]") &&
                          Catch::Contains("nests deeper than 512"));
  CHECK(message.size() < 300);
  // Case 1: the whole document.
  message = ErrorOf(Deep(100000));
  CHECK_THAT(message, Catch::StartsWith("pod JSON is malformed: [0][0]"));
  // Deep but allowed: the type error quotes a short excerpt of the value.
  message = ErrorOf(R"({"metadata":{"name":)" + Deep(500) + R"(},"spec":{}})");
  CHECK_THAT(message, Catch::StartsWith("metadata.name: must be a string, got array [[[[") &&
                          Catch::EndsWith("..."));
  CHECK(message.size() < 200);
}

TEST_CASE("pod bounds: a number beyond a double names its field", "[pod][json][bounds]") {
  CHECK(ErrorOf(R"({"spec":{"containers":[{"name":"c"}]},"x":1e400})") ==
        "pod JSON is malformed: x: the number \"1e400\" is beyond the range of a double");
  CHECK(ErrorOf("[1e400]") ==
        "pod JSON is malformed: [0]: the number \"1e400\" is beyond the range of a double");
  CHECK(ErrorOf(R"({"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":-1e400}}}]}})") ==
        "pod JSON is malformed: spec.containers[0].resources.requests.cpu: the number "
        "\"-1e400\" is beyond the range of a double");
}

TEST_CASE("pod bounds: echoed values are escaped and bounded", "[pod][json][bounds]") {
  // A restart policy of 10 MB.
  const std::string huge(10 * 1024 * 1024, 'A');
  std::string message = ErrorOf(R"({"spec":{"containers":[{"name":"c","restartPolicy":")" +
                                huge + R"("}]}})");
  CHECK_THAT(message, Catch::Contains("...\" (10485760 bytes) is not a supported value"));
  CHECK(message.size() < 400);
  // Control characters written as JSON escapes reach the reader as raw bytes.
  message = ErrorOf(R"({"kind":"P\u0000d\u001b","spec":{}})");
  CHECK(message == R"(kind: "P\x00d\x1b" is not "Pod")");
  // A resource name is part of the path: escaped too.
  message = ErrorOf(R"({"spec":{"containers":[{"name":"c","resources":{"requests":{"a\nb":"x"}}}]}})");
  CHECK_THAT(message, Catch::StartsWith(R"(spec.containers[0].resources.requests.a\nb: )"));
  // A duplicated 10 MB container name is quoted once, bounded.
  const std::string name(10 * 1024 * 1024, 'n');
  message = ErrorOf(R"({"spec":{"containers":[{"name":")" + name + R"("},{"name":")" + name +
                    R"("}]}})");
  CHECK_THAT(message, Catch::StartsWith("spec.containers[1].name: \"nnnn") &&
                          Catch::EndsWith("...\" (10485760 bytes) duplicates spec.containers[0].name"));
}

}  // namespace
}  // namespace podalloc
