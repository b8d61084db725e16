// The Go renderings behind checkpoint checksums: FNV-1a 32 against hash/fnv's published
// values, encoding/json's string escaping, and the go-spew pieces assembled into a checkpoint
// dump whose checksum a kubelet wrote.
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "podalloc/internal/go_checksum.h"

namespace podalloc::internal::go {
namespace {

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

void AppendInt(std::string& out, int64_t v) { absl::StrAppend(&out, v); }

TEST_CASE("base: FNV-1a 32 matches hash/fnv's New32a", "[base][go_checksum]") {
  // The FNV reference values: the offset basis for no input, then two short strings.
  CHECK(Fnv1a32("") == 0x811c9dc5u);
  CHECK(Fnv1a32("a") == 0xe40c292cu);
  CHECK(Fnv1a32("foobar") == 0xbf9cf968u);
  // Bytes above 0x7f hash as unsigned values.
  CHECK(Fnv1a32("\xff") != Fnv1a32("\x7f"));
  CHECK(Fnv1a32(std::string_view("\0", 1)) == 0x050c5d1fu);
}

TEST_CASE("base: a Go string's checksum hashes its spew type tag too", "[base][go_checksum]") {
  CHECK(StringChecksum("") == Fnv1a32("(string)"));
  CHECK(StringChecksum("hello") == Fnv1a32("(string)hello"));
  CHECK(StringChecksum("hello") == 3797367711u);
}

TEST_CASE("base: JSON strings are escaped as encoding/json writes them", "[base][go_checksum]") {
  CHECK(Json("") == R"("")");
  CHECK(Json("plain-0,4-7") == R"("plain-0,4-7")");
  CHECK(Json("a\"b\\c") == R"("a\"b\\c")");
  CHECK(Json("\n\r\t") == R"("\n\r\t")");
  CHECK(Json("\b\f") == R"("\b\f")");
  CHECK(Json(std::string_view("\0\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
  CHECK(Json("\x7f") == "\"\x7f\"");  // DEL is not escaped
  CHECK(Json("<a&b>") == R"("\u003ca\u0026b\u003e")");
  // Valid multi-byte UTF-8 is copied, except the JavaScript line terminators.
  CHECK(Json("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
  CHECK(Json("\xe2\x80\xa8\xe2\x80\xa9") == R"("\u2028\u2029")");
  // Each byte Go's decoder rejects becomes one U+FFFD.
  CHECK(Json("\xff") == R"("\ufffd")");
  CHECK(Json("a\xc3") == R"("a\ufffd")");                       // truncated
  CHECK(Json("\xe2\x82") == R"("\ufffd\ufffd")");               // truncated three-byte form
  CHECK(Json("\xc0\xaf") == R"("\ufffd\ufffd")");               // overlong '/'
  CHECK(Json("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");     // surrogate half
  CHECK(Json("\xf4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
  CHECK(Json("\xc3(") == R"("\ufffd(")");                       // bad continuation
}

TEST_CASE("base: spew maps, slices and nil values", "[base][go_checksum]") {
  std::string out;
  AppendSpewMap(out, std::map<std::string, std::string>{}, [](std::string&, auto&, auto&) {});
  CHECK(out == "map[]");

  out.clear();
  // Keys ascend as SortKeys orders them: numerically for numbers, bytewise for strings.
  const std::map<int64_t, std::vector<int64_t>> numbered = {{10, {1, 2}}, {2, {}}, {-1, {7}}};
  AppendSpewMap(out, numbered, [](std::string& o, int64_t, const std::vector<int64_t>& v) {
    AppendSpewSlice(o, v, AppendInt);
  });
  CHECK(out == "map[-1:[7] 2:[] 10:[1 2]]");

  out.clear();
  const std::map<std::string, std::string> named = {{"b", "x"}, {"B", "y"}, {"\xc3\xa9", "z"}};
  AppendSpewMap(out, named, [](std::string& o, const std::string&, const std::string& v) {
    o += v;  // strings print unquoted
  });
  CHECK(out == "map[B:y b:x \xc3\xa9:z]");

  out.clear();
  const std::optional<std::vector<int64_t>> none, empty = std::vector<int64_t>{};
  const auto slice = [](std::string& o, const std::vector<int64_t>& v) {
    AppendSpewSlice(o, v, AppendInt);
  };
  AppendSpewOrNil(out, none, slice);
  out += ' ';
  AppendSpewOrNil(out, empty, slice);
  CHECK(out == "<nil> []");

  out.clear();
  AppendSpewElements(out, std::vector<int>{3, 1}, [](std::string& o, int v) {
    absl::StrAppend(&o, v, ":{}");
  });
  CHECK(out == "3:{} 1:{}");
}

TEST_CASE("base: spew pieces rebuild a kubelet-written checkpoint checksum",
          "[base][go_checksum]") {
  // The kubelet's cpu_manager_state {"policyName":"none","defaultCpuSet":"","checksum":
  // 1353318690}: its V2 struct, hashed under the legacy name, with an empty (not nil) map.
  std::string text = SpewCheckpointOpen("CPUManagerCheckpoint");
  text += "PolicyName:(string)none DefaultCPUSet:(string) Entries:(map[string]map[string]string)";
  AppendSpewMap(text, std::map<std::string, std::map<std::string, std::string>>{},
                [](std::string&, auto&, auto&) {});
  AppendSpewZeroChecksum(text);
  CHECK(text ==
        "(*state.CPUManagerCheckpoint){PolicyName:(string)none DefaultCPUSet:(string) "
        "Entries:(map[string]map[string]string)map[] Checksum:(checksum.Checksum)0}");
  CHECK(Fnv1a32(text) == 1353318690u);
}

}  // namespace
}  // namespace podalloc::internal::go
