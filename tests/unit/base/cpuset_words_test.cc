// CpuSet to and from CPU masks (arrays of 64-bit words).
#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "support/seed.h"
#include "podalloc/cpuset.h"

namespace podalloc {
namespace {

// The mask read bit by bit: the meaning FromWords must have.
CpuSet BitByBit(const std::vector<uint64_t>& words) {
  CpuSet s;
  for (size_t i = 0; i < words.size(); ++i) {
    for (int bit = 0; bit < 64; ++bit) {
      if ((words[i] >> bit) & 1u) s.Add(static_cast<int>(i) * 64 + bit);
    }
  }
  return s;
}

// Sparse, dense or empty words, so whole-word and single-bit cases both occur.
uint64_t RandomWord(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: return 0;
    case 1: return ~uint64_t{0};
    case 2: return uint64_t{1} << (rng() % 64);
    default: return rng();
  }
}

TEST_CASE("cpuset: CpuSet::FromWords puts CPU c at bit c % 64 of word c / 64", "[cpuset][words]") {
  const std::vector<uint64_t> words = {uint64_t{1} | (uint64_t{1} << 63), 1, 0, uint64_t{1} << 5};
  auto set = CpuSet::FromWords(words);
  REQUIRE(set.ok());
  CHECK(*set == CpuSet({0, 63, 64, 197}));
  CHECK(CpuSet::FromWords({})->IsEmpty());

  std::vector<uint64_t> full(CpuSet::kWords, ~uint64_t{0});
  CHECK(*CpuSet::FromWords(full) == CpuSet::Range(0, CpuSet::kMaxCpus - 1));
}

TEST_CASE("cpuset: CpuSet::FromWords accepts zero words past the capacity, not CPU ids of 4096 "
          "and up", "[cpuset][words]") {
  std::vector<uint64_t> words(CpuSet::kWords + 3, 0);
  words[CpuSet::kWords - 1] = uint64_t{1} << 63;  // CPU 4095
  auto set = CpuSet::FromWords(words);
  REQUIRE(set.ok());
  CHECK(*set == CpuSet({CpuSet::kMaxCpus - 1}));

  words[CpuSet::kWords + 2] = uint64_t{1} << 4;  // CPU 4228
  words[CpuSet::kWords + 1] = uint64_t{1} << 9;  // CPU 4169, the lowest beyond range
  auto bad = CpuSet::FromWords(words);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad.status().message()) ==
        "CPU mask word 65 holds CPU 4169; CPU ids must be below 4096");
}

TEST_CASE("cpuset: CpuSet::ToWords writes the shortest mask, or nothing when it does not fit",
          "[cpuset][words]") {
  const CpuSet set = {3, 64, 130};
  CHECK(set.UsedWords() == 3);
  CHECK(CpuSet().UsedWords() == 0);
  CHECK(CpuSet({CpuSet::kMaxCpus - 1}).UsedWords() == size_t{CpuSet::kWords});

  std::vector<uint64_t> out(5, 0xdead);
  CHECK(set.ToWords(out) == 3);
  CHECK(out == std::vector<uint64_t>{uint64_t{1} << 3, 1, uint64_t{1} << 2, 0, 0});

  std::vector<uint64_t> small(2, 0xdead);
  CHECK(set.ToWords(small) == 3);
  CHECK(small == std::vector<uint64_t>{0xdead, 0xdead});

  std::vector<uint64_t> none;
  CHECK(CpuSet().ToWords(none) == 0);
  std::vector<uint64_t> zeroed(2, 0xdead);
  CHECK(CpuSet().ToWords(zeroed) == 0);
  CHECK(zeroed == std::vector<uint64_t>{0, 0});
}

TEST_CASE("cpuset: property: CPU masks read like bit by bit and round-trip through ToWords",
          "[cpuset][words][property]") {
  const uint64_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint64_t> words(rng() % (CpuSet::kWords + 1));
    for (uint64_t& w : words) w = RandomWord(rng);
    auto set = CpuSet::FromWords(words);
    REQUIRE(set.ok());
    REQUIRE(*set == BitByBit(words));

    std::vector<uint64_t> out(CpuSet::kWords + rng() % 3, 0xdead);
    const size_t used = set->ToWords(out);
    CHECK(used == set->UsedWords());
    CHECK(used <= words.size());
    CHECK(*CpuSet::FromWords(out) == *set);
    // The first `used` words are the input's; the rest of both are zero.
    for (size_t w = 0; w < out.size(); ++w) {
      CHECK(out[w] == (w < words.size() ? words[w] : 0));
    }
  }
}

}  // namespace
}  // namespace podalloc
