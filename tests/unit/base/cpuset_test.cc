#include "support/seed.h"
#include "podalloc/cpuset.h"

#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "podalloc/internal/input_quote.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

TEST_CASE("cpuset: conformance vectors parse and format like the kubelet", "[cpuset][conformance]") {
  nlohmann::json doc = testing::LoadVectors("cpumanager/cpuset_parse.json");
  REQUIRE(doc["cases"].size() > 0);
  for (const auto& c : doc["cases"]) {
    std::string input = c["input"];
    INFO("case: " << c["name"].get<std::string>() << " input: \"" << input << "\"");
    auto parsed = CpuSet::Parse(input);
    if (c["expected"].contains("error")) {
      CHECK_FALSE(parsed.ok());
      if (!parsed.ok()) CHECK(std::string(parsed.status().message()).find('"') != std::string::npos);
    } else {
      REQUIRE(parsed.ok());
      CHECK(parsed->ToString() == c["expected"]["cpuset"].get<std::string>());
    }
  }
}

TEST_CASE("cpuset: malformed and out-of-range lists name the value", "[cpuset]") {
  const char* bad[] = {"4096", "0-4096", "99999999999999999999", "+1", "1,-2", "1;2", "0x1",
                       "1.5", "\t1", "1,2,", ",1"};
  for (const char* text : bad) {
    INFO(text);
    auto parsed = CpuSet::Parse(text);
    REQUIRE_FALSE(parsed.ok());
    // The value as messages quote it: "\t1" shows its tab as \t.
    CHECK(std::string(parsed.status().message()).find(internal::EscapeInput(text)) !=
          std::string::npos);
  }
  CHECK(CpuSet::Parse("4095")->ToString() == "4095");
  CpuSet s;
  CHECK_FALSE(s.TryAdd(-1).ok());
  CHECK_FALSE(s.TryAdd(4096).ok());
  CHECK(s.IsEmpty());
}

TEST_CASE("cpuset: iteration, first/next, FirstN across word boundaries", "[cpuset]") {
  CpuSet s{0, 63, 64, 127, 128, 4095};
  CHECK(s.ToVector() == std::vector<int>{0, 63, 64, 127, 128, 4095});
  CHECK(s.Size() == 6);
  CHECK(s.First() == 0);
  CHECK(s.Next(0) == 63);
  CHECK(s.Next(4095) == -1);
  CHECK(s.FirstN(3) == CpuSet{0, 63, 64});
  CHECK(s.FirstN(100) == s);
  CHECK(CpuSet().First() == -1);
  CHECK(CpuSet::Range(62, 66).ToString() == "62-66");
}

CpuSet RandomSet(std::mt19937_64& rng, int max_id) {
  CpuSet s;
  std::uniform_int_distribution<int> count(0, 64);
  std::uniform_int_distribution<int> id(0, max_id);
  std::bernoulli_distribution run(0.3);
  int n = count(rng);
  for (int i = 0; i < n; ++i) {
    int a = id(rng);
    if (run(rng)) {
      for (int c = a; c < std::min(max_id + 1, a + 8); ++c) s.Add(c);
    } else {
      s.Add(a);
    }
  }
  return s;
}

// The kubelet's canonical list, built the slow way from the members: ascending runs, "a-b" for
// a run of two or more, commas between.
std::string ReferenceList(const CpuSet& s) {
  std::string out;
  const std::vector<int> v = s.ToVector();
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(v[i]);
    if (j > i) out += "-" + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

TEST_CASE("cpuset: ToString joins runs across word boundaries and up to the last CPU id",
          "[cpuset]") {
  const int last = CpuSet::kMaxCpus - 1;
  CHECK(CpuSet().ToString().empty());
  CHECK(CpuSet::FromVector({63, 64}).ToString() == "63-64");
  CHECK(CpuSet::FromVector({0, 63, 64, 127, 128, 200}).ToString() == "0,63-64,127-128,200");
  CHECK(CpuSet::FromVector({last}).ToString() == std::to_string(last));
  CpuSet all;
  for (int c = 0; c <= last; ++c) all.Add(c);
  CHECK(all.ToString() == "0-" + std::to_string(last));
  CpuSet tail;
  for (int c = 60; c <= last; ++c) tail.Add(c);
  CHECK(tail.ToString() == "60-" + std::to_string(last));
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 3000; ++i) {
    // Dense sets make long runs that cross words; sparse ones make single CPUs.
    CpuSet s;
    const int density = 1 + static_cast<int>(rng() % 8);
    int c = static_cast<int>(rng() % 130);
    while (c <= last) {
      const int run = 1 + static_cast<int>(rng() % (density * 40));
      for (int k = 0; k < run && c <= last; ++k) s.Add(c++);
      c += 1 + static_cast<int>(rng() % 90);
    }
    REQUIRE(s.ToString() == ReferenceList(s));
  }
}

TEST_CASE("cpuset: property: parse(format(x)) == x and set algebra laws", "[cpuset][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 5000; ++i) {
    int max_id = (i % 3 == 0) ? CpuSet::kMaxCpus - 1 : 200;
    CpuSet a = RandomSet(rng, max_id), b = RandomSet(rng, max_id), c = RandomSet(rng, max_id);
    auto round = CpuSet::Parse(a.ToString());
    REQUIRE(round.ok());
    REQUIRE(*round == a);
    CHECK((a | b) == (b | a));
    CHECK((a & b) == (b & a));
    CHECK(((a | b) | c) == (a | (b | c)));
    CHECK((a & (b | c)) == ((a & b) | (a & c)));
    CHECK((a - b) == (a & (a - b)));
    CHECK(((a - b) & b).IsEmpty());
    CHECK((a | b).Size() + (a & b).Size() == a.Size() + b.Size());
    CHECK(a.CountIn(b) == (a & b).Size());
    CHECK(a.Intersects(b) == !(a & b).IsEmpty());
    CHECK((a & b).IsSubsetOf(a));
    std::vector<int> v = a.ToVector();
    CHECK(std::is_sorted(v.begin(), v.end()));
    CHECK(CpuSet::FromVector(v) == a);
  }
}

}  // namespace
}  // namespace podalloc
