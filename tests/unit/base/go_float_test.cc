// ParseFloat32 against the behaviour of Go's strconv.ParseFloat(s, 32) (atof_test.go's cases
// where they apply to 32 bits, and the words of special()).
#include "podalloc/internal/go_float.h"

#include <cmath>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

namespace podalloc::internal::go {
namespace {

using Result = ParsedFloat32::Result;

TEST_CASE("go float: what strconv.ParseFloat accepts", "[go_float]") {
  const struct {
    const char* text;
    float value;
  } cases[] = {
      {"0", 0},          {"10", 10},        {"+5", 5},          {"-2.5", -2.5f},
      {".5", 0.5f},      {"5.", 5},         {"1e1", 10},        {"1E+1", 10},
      {"2.5e-1", 0.25f}, {"00012", 12},     {"1_000", 1000},    {"1_23.50_0_0e1_2", 1.235e14f},
      {"0x1p3", 8},      {"0X1.8P1", 3},    {"0x_1p0", 1},      {"-0x.8p1", -1},
      {"99.99999999", 100},  // rounds to float32 directly, as Go's bit size 32 does
      {"1e-50", 0},          // underflow is zero, not an error
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const ParsedFloat32 p = ParseFloat32(c.text);
    REQUIRE(p.result == Result::kOk);
    CHECK(p.value == c.value);
  }
  CHECK(std::signbit(ParseFloat32("-0").value));
}

TEST_CASE("go float: the special words", "[go_float]") {
  for (const char* inf : {"inf", "Inf", "+INF", "infinity", "+Infinity"}) {
    CAPTURE(inf);
    CHECK(ParseFloat32(inf).result == Result::kOk);
    CHECK(ParseFloat32(inf).value == std::numeric_limits<float>::infinity());
  }
  CHECK(ParseFloat32("-inf").value == -std::numeric_limits<float>::infinity());
  for (const char* nan : {"nan", "NaN", "NAN"}) {
    CAPTURE(nan);
    CHECK(ParseFloat32(nan).result == Result::kOk);
    CHECK(std::isnan(ParseFloat32(nan).value));
  }
}

TEST_CASE("go float: what it refuses", "[go_float]") {
  for (const char* bad :
       {"", " 1", "1 ", "+", "-", ".", "e1", "1e", "1e+", "1x", "1.2.3", "0x", "0x1", "0x1.8",
        "0xg", "_1", "1_", "1__0", "1_.5", "1._5", "1e_1", "-_1", "+nan", "-nan", "nan1", "infin",
        "in", "1,5", "1%", "١"}) {
    CAPTURE(bad);
    CHECK(ParseFloat32(bad).result == Result::kSyntax);
  }
}

TEST_CASE("go float: beyond the float32 range is ErrRange", "[go_float]") {
  for (const char* big : {"1e39", "-1e39", "3.5e38", "1e400", "1e99999", "0x1p128",
                          "1000000000000000000000000000000000000000000000"}) {
    CAPTURE(big);
    const ParsedFloat32 p = ParseFloat32(big);
    CHECK(p.result == Result::kRange);
    CHECK(std::isinf(p.value));
  }
  CHECK(ParseFloat32("3.4e38").result == Result::kOk);
  for (const char* tiny : {"1e-400", "1e-99999", "0x1p-200", "0.0000000000000000000000000000000000000000000000001"}) {
    CAPTURE(tiny);
    const ParsedFloat32 p = ParseFloat32(tiny);
    CHECK(p.result == Result::kOk);
    CHECK(p.value == 0);
  }
}

}  // namespace
}  // namespace podalloc::internal::go
