#include "support/seed.h"
#include "podalloc/quantity.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace podalloc {
namespace {

Quantity Q(const std::string& text) {
  auto q = Quantity::Parse(text);
  INFO("parsing \"" << text << "\": " << std::string(q.status().message()));
  REQUIRE(q.ok());
  return *q;
}

struct ValidCase {
  const char* text;
  int64_t milli;
  int64_t value;
  const char* canonical;
  Quantity::Format format;
};

TEST_CASE("quantity: valid forms parse to exact values and format canonically",
          "[quantity]") {
  using F = Quantity::Format;
  const ValidCase cases[] = {
      {"0", 0, 0, "0", F::kDecimalSI},
      {"1", 1000, 1, "1", F::kDecimalSI},
      {"100m", 100, 1, "100m", F::kDecimalSI},
      {"1000m", 1000, 1, "1", F::kDecimalSI},
      {"1500m", 1500, 2, "1500m", F::kDecimalSI},
      {"1.5", 1500, 2, "1500m", F::kDecimalSI},
      {"1.0", 1000, 1, "1", F::kDecimalSI},
      {"001", 1000, 1, "1", F::kDecimalSI},
      {".5", 500, 1, "500m", F::kDecimalSI},
      {"5.", 5000, 5, "5", F::kDecimalSI},
      {"+5", 5000, 5, "5", F::kDecimalSI},
      {"-1", -1000, -1, "-1", F::kDecimalSI},
      {"-1.5", -1500, -2, "-1500m", F::kDecimalSI},
      {"-100m", -100, -1, "-100m", F::kDecimalSI},
      {"1n", 1, 1, "1n", F::kDecimalSI},
      {"1.5n", 1, 1, "2n", F::kDecimalSI},  // below 1n rounds up
      {"100u", 1, 1, "100u", F::kDecimalSI},
      {"0.1m", 1, 1, "100u", F::kDecimalSI},
      {"1500u", 2, 1, "1500u", F::kDecimalSI},
      {"0.000000001", 1, 1, "1n", F::kDecimalSI},
      {"0.0000000001", 1, 1, "1n", F::kDecimalSI},
      {"1k", 1000000, 1000, "1k", F::kDecimalSI},
      {"1000", 1000000, 1000, "1k", F::kDecimalSI},
      {"1024", 1024000, 1024, "1024", F::kDecimalSI},
      {"1M", 1000000000, 1000000, "1M", F::kDecimalSI},
      {"30M", 30000000000, 30000000, "30M", F::kDecimalSI},
      {"1G", 1000000000000, 1000000000, "1G", F::kDecimalSI},
      {"10G", 10000000000000, 10000000000, "10G", F::kDecimalSI},
      {"1T", 1000000000000000, 1000000000000, "1T", F::kDecimalSI},
      {"1P", 1000000000000000000, 1000000000000000, "1P", F::kDecimalSI},
      {"1E", INT64_MAX, 1000000000000000000, "1E", F::kDecimalSI},  // milli saturates
      {"9223372036854775807", INT64_MAX, INT64_MAX, "9223372036854775807", F::kDecimalSI},
      {"1Ki", 1024000, 1024, "1Ki", F::kBinarySI},
      {"1023Ki", 1047552000, 1047552, "1023Ki", F::kBinarySI},
      {"1024Ki", 1048576000, 1048576, "1Mi", F::kBinarySI},
      {"500Mi", 524288000000, 524288000, "500Mi", F::kBinarySI},
      {"100Mi", 104857600000, 104857600, "100Mi", F::kBinarySI},
      {"2Gi", 2147483648000, 2147483648, "2Gi", F::kBinarySI},
      {"2048Mi", 2147483648000, 2147483648, "2Gi", F::kBinarySI},
      {"1.5Gi", 1610612736000, 1610612736, "1536Mi", F::kBinarySI},
      {"1Ti", 1099511627776000, 1099511627776, "1Ti", F::kBinarySI},
      {"1Pi", 1125899906842624000, 1125899906842624, "1Pi", F::kBinarySI},
      {"1Ei", INT64_MAX, 1152921504606846976, "1Ei", F::kBinarySI},
      {"7Ei", INT64_MAX, 8070450532247928832, "7Ei", F::kBinarySI},
      {"8Ei", INT64_MAX, INT64_MAX, "9223372036854775807", F::kBinarySI},  // capped
      {"-1Gi", -1073741824000, -1073741824, "-1Gi", F::kBinarySI},
      {"0.5Ki", 512000, 512, "512", F::kBinarySI},  // below 1024: written as DecimalSI
      {"1.1Ki", 1126400, 1127, "1126400m", F::kBinarySI},
      {"0.5Mi", 524288000, 524288, "512Ki", F::kBinarySI},
      {"0Ki", 0, 0, "0", F::kBinarySI},
      {"1e3", 1000000, 1000, "1e3", F::kDecimalExponent},
      {"1E3", 1000000, 1000, "1e3", F::kDecimalExponent},
      {"1e+3", 1000000, 1000, "1e3", F::kDecimalExponent},
      {"10e2", 1000000, 1000, "1e3", F::kDecimalExponent},
      {"12e6", 12000000000, 12000000, "12e6", F::kDecimalExponent},
      {"1.5e3", 1500000, 1500, "1500", F::kDecimalExponent},
      {"1e-3", 1, 1, "1e-3", F::kDecimalExponent},
      {"1e-9", 1, 1, "1e-9", F::kDecimalExponent},
      {"1e-99999", 1, 1, "1e-9", F::kDecimalExponent},
      {"0e99999", 0, 0, "0", F::kDecimalExponent},
      {"1e0", 1000, 1, "1", F::kDecimalExponent},
      // Kubernetes' scanner reads a missing number as zero.
      {"-", 0, 0, "0", F::kDecimalSI},
      {".", 0, 0, "0", F::kDecimalSI},
      {"Gi", 0, 0, "0", F::kBinarySI},
      {"m", 0, 0, "0", F::kDecimalSI},
  };
  for (const ValidCase& c : cases) {
    INFO("input: \"" << c.text << "\"");
    Quantity q = Q(c.text);
    CHECK(q.MilliValue() == c.milli);
    CHECK(q.Value() == c.value);
    CHECK(q.ToString() == c.canonical);
    CHECK(q.format() == c.format);
    // The canonical string denotes the same value.
    CHECK(Q(q.ToString()) == q);
  }
}

TEST_CASE("quantity: malformed and overflowing strings are errors that quote the input",
          "[quantity]") {
  const char* malformed[] = {
      " ",    "1 ",     " 1",     "abc",   "1kb",  "1K",    "1ki",    "1gi",
      "1Gb",  "1e",     "1E+",    "1e3.5", "1.5.5", "--1",  "+-1",    "1-",
      "0x10", "1,000",  "1_000",  "1ee3",  "1Mi3", "1i",    "NaN",    "Infinity",
      "1/2",  "1e2147483648", "\xef\xbc\x91", "1m1", "1 Gi", "e",
  };
  for (const char* text : malformed) {
    INFO("input: \"" << text << "\"");
    auto q = Quantity::Parse(text);
    REQUIRE_FALSE(q.ok());
    CHECK(q.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(q.status().message()).find(std::string("\"") + text + "\"") !=
          std::string::npos);
  }
  CHECK(Quantity::Parse("").status().code() == absl::StatusCode::kInvalidArgument);

  const char* overflowing[] = {"9223372036854775808", "10E", "1e19", "9.3E",
                               "99999999999999999999", "1e99999", "-1e19",
                               "100000000000000000000000000000000000000000000000000"};
  for (const char* text : overflowing) {
    INFO("input: \"" << text << "\"");
    auto q = Quantity::Parse(text);
    REQUIRE_FALSE(q.ok());
    CHECK(q.status().code() == absl::StatusCode::kOutOfRange);
    CHECK(std::string(q.status().message()).find(text) != std::string::npos);
  }
}

TEST_CASE("quantity: exact arithmetic, ordering and format inheritance", "[quantity]") {
  CHECK((Q("1Gi") + Q("512Mi")).ToString() == "1536Mi");
  CHECK((Q("100m") + Q("900m")).ToString() == "1");
  CHECK((Q("1") - Q("1500m")).ToString() == "-500m");
  CHECK((Q("0.1") + Q("0.2")) == Q("300m"));
  CHECK((Q("1n") + Q("1n")).ToString() == "2n");
  // A zero left operand takes the right operand's format, as Quantity.Add does.
  CHECK((Quantity() + Q("1Gi")).ToString() == "1Gi");
  CHECK((Q("1") + Q("1Ki")).ToString() == "1025");
  CHECK(Q("1Gi") == Q("1073741824"));
  CHECK(Q("1Gi") > Q("1G"));
  CHECK(Q("999m") < Q("1"));
  CHECK(Q("1k") == Q("1e3"));
  CHECK(-Q("2Gi") == Q("-2Gi"));
  CHECK(Q("-2Gi").Sign() == -1);
  CHECK(Quantity().IsZero());
  CHECK(Q("2").IsWhole());
  CHECK_FALSE(Q("2001m").IsWhole());
  CHECK(Quantity::FromMilli(1500).ToString() == "1500m");
  CHECK(Quantity::FromValue(2048, Quantity::Format::kBinarySI).ToString() == "2Ki");
  CHECK(Quantity::FromValue(1000).ToString() == "1k");
  CHECK(Quantity::FromMilli(1500, Quantity::Format::kBinarySI).ToString() == "1500m");
  // Sums beyond the parse range stay exact and printable.
  Quantity big = Q("9E") + Q("9E") + Q("9E");
  CHECK(big.ToString() == "27E");
  CHECK(big.Value() == INT64_MAX);
  CHECK(FormatName(Quantity::Format::kBinarySI) == "BinarySI");
}

TEST_CASE("quantity: parse(format(q)) == q for random quantities", "[quantity][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed: " << seed);
  std::mt19937_64 rng(seed);
  const std::vector<std::string> suffixes = {"",   "n",  "u",  "m",  "k",  "M",   "G",
                                             "T",  "P",  "E",  "Ki", "Mi", "Gi",  "Ti",
                                             "Pi", "Ei", "e3", "e-2", "E6", "e0", "e-12"};
  std::uniform_int_distribution<int> digit_count(1, 19);
  std::uniform_int_distribution<int> frac_count(0, 12);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<size_t> pick(0, suffixes.size() - 1);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = (rng() % 4 == 0) ? "-" : "";
    int n = digit_count(rng);
    for (int d = 0; d < n; ++d) text.push_back(static_cast<char>('0' + digit(rng)));
    int f = frac_count(rng);
    if (f > 0) {
      text.push_back('.');
      for (int d = 0; d < f; ++d) text.push_back(static_cast<char>('0' + digit(rng)));
    }
    text += suffixes[pick(rng)];
    INFO("input: " << text);
    auto q = Quantity::Parse(text);
    if (!q.ok()) {
      // Only magnitude may make a well-formed random quantity fail.
      REQUIRE(q.status().code() == absl::StatusCode::kOutOfRange);
      continue;
    }
    ++parsed;
    const std::string canonical = q->ToString();
    INFO("canonical: " << canonical);
    auto again = Quantity::Parse(canonical);
    REQUIRE(again.ok());
    CHECK(*again == *q);
    CHECK(again->MilliValue() == q->MilliValue());
    // A binary value with no factor of 1024 is written as a plain number, which reads back
    // as DecimalSI (as in Kubernetes); from then on the spelling is stable.
    if (q->format() != Quantity::Format::kBinarySI) CHECK(again->ToString() == canonical);
    CHECK(Quantity::Parse(again->ToString())->ToString() == again->ToString());
  }
  CHECK(parsed > 10000);

  std::uniform_int_distribution<int64_t> milli(-4000000000000000, 4000000000000000);
  for (int i = 0; i < 5000; ++i) {
    for (auto format : {Quantity::Format::kDecimalSI, Quantity::Format::kBinarySI,
                        Quantity::Format::kDecimalExponent}) {
      Quantity q = Quantity::FromMilli(milli(rng), format);
      INFO("milli: " << q.MilliValue() << " canonical: " << q.ToString());
      auto again = Quantity::Parse(q.ToString());
      REQUIRE(again.ok());
      CHECK(*again == q);
    }
  }
}

}  // namespace
}  // namespace podalloc
