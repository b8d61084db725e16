#include "podalloc/bitmask.h"

#include <catch2/catch.hpp>

#include "support/vectors.h"

namespace podalloc {
namespace {

NumaMask MaskOf(const nlohmann::json& ids) {
  auto m = NumaMask::New(ids.get<std::vector<int>>());
  REQUIRE(m.ok());
  return *m;
}

TEST_CASE("bitmask: conformance vectors", "[bitmask][conformance]") {
  nlohmann::json doc = testing::LoadVectors("topologymanager/bitmask.json");
  REQUIRE(doc["cases"].size() > 0);
  int ran = 0;
  for (const auto& c : doc["cases"]) {
    const std::string op = c["op"];
    INFO("case: " << c["name"].get<std::string>() << " op: " << op);
    if (op == "new_empty") {
      CHECK(NumaMask().ToString() == c["expected_string"]);
    } else if (op == "new") {
      auto m = NumaMask::New(c["bits"].get<std::vector<int>>());
      if (c.value("expected_error", false)) {
        CHECK_FALSE(m.ok());
      } else {
        REQUIRE(m.ok());
        CHECK(m->ToString() == c["expected_string"]);
      }
    } else if (op == "add" || op == "remove") {
      NumaMask m = MaskOf(c["initial"]);
      auto bits = c["bits"].get<std::vector<int>>();
      absl::Status s = op == "add" ? m.Add(bits) : m.Remove(bits);
      CHECK(s.ok() == !c["expected_error"].get<bool>());
      CHECK(m.ToString() == c["expected_string"]);
    } else if (op == "and" || op == "or") {
      const auto& masks = c["masks"];
      NumaMask m = MaskOf(masks[0]);
      for (size_t i = 1; i < masks.size(); ++i) {
        m = op == "and" ? (m & MaskOf(masks[i])) : (m | MaskOf(masks[i]));
      }
      CHECK(m.ToString() == c["expected_string"]);
    } else if (op == "clear" || op == "fill") {
      NumaMask m = MaskOf(c["initial"]);
      if (op == "clear") m.Clear(); else m.Fill();
      CHECK(m.ToString() == c["expected_string"]);
    } else if (op == "is_empty") {
      CHECK(MaskOf(c["initial"]).IsEmpty() == c["expected"].get<bool>());
    } else if (op == "is_set") {
      CHECK(MaskOf(c["initial"]).IsSet(c["bit"]) == c["expected"].get<bool>());
    } else if (op == "any_set") {
      CHECK(MaskOf(c["initial"]).AnySet(c["bits"].get<std::vector<int>>()) ==
            c["expected"].get<bool>());
    } else if (op == "is_equal") {
      CHECK((MaskOf(c["first"]) == MaskOf(c["second"])) == c["expected"].get<bool>());
    } else if (op == "count") {
      CHECK(MaskOf(c["initial"]).Count() == c["expected"].get<int>());
    } else if (op == "get_bits") {
      CHECK(MaskOf(c["initial"]).GetBits() == c["expected"].get<std::vector<int>>());
    } else if (op == "is_narrower_than") {
      CHECK(MaskOf(c["first"]).IsNarrowerThan(MaskOf(c["second"])) == c["expected"].get<bool>());
    } else if (op == "is_less_than") {
      CHECK(MaskOf(c["first"]).IsLessThan(MaskOf(c["second"])) == c["expected"].get<bool>());
    } else if (op == "is_greater_than") {
      CHECK(MaskOf(c["first"]).IsGreaterThan(MaskOf(c["second"])) == c["expected"].get<bool>());
    } else if (op == "iterate_count") {
      int calls = 0;
      IterateBitMasks(c["bits"].get<std::vector<int>>(), [&](NumaMask) { ++calls; });
      CHECK(calls == c["expected"].get<int>());
    } else if (op == "string") {
      CHECK(MaskOf(c["initial"]).ToString() == c["expected_string"]);
    } else {
      FAIL("unknown bitmask op " << op);
    }
    ++ran;
  }
  CHECK(ran == static_cast<int>(doc["cases"].size()));
}

TEST_CASE("bitmask: IterateBitMasks order is by size, then lexicographic", "[bitmask]") {
  std::vector<std::string> seen;
  IterateBitMasks({0, 1, 2}, [&](NumaMask m) { seen.push_back(m.ToList()); });
  CHECK(seen == std::vector<std::string>{"0", "1", "2", "0,1", "0,2", "1,2", "0,1,2"});
}

}  // namespace
}  // namespace podalloc
