// Randomly damaged topology documents: every one is either a valid topology or an
// InvalidArgument, never an exception or a crash.
#include <catch2/catch.hpp>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "support/seed.h"
#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"

namespace podalloc {
namespace {

using nlohmann::json;

// Every value reachable in `doc`, as JSON pointers.
void CollectPointers(const json& doc, const json::json_pointer& at,
                     std::vector<json::json_pointer>* out) {
  out->push_back(at);
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) CollectPointers(value, at / key, out);
  } else if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i) CollectPointers(doc[i], at / i, out);
  }
}

json RandomValue(std::mt19937& rng) {
  switch (rng() % 9) {
    case 0:
      return nullptr;
    case 1:
      return true;
    case 2:
      return -static_cast<int64_t>(rng() % 5) - 1;
    case 3:
      return static_cast<int64_t>(rng() % 5000);
    case 4:
      return 1.5;
    case 5:
      return "0-3";
    case 6:
      return json::array({10, 20});
    case 7:
      return json::object({{"id", 1}});
    default:
      return std::numeric_limits<uint64_t>::max();
  }
}

TEST_CASE("discovery: damaged topology JSON never crashes", "[json][errors][property]") {
  auto base = FromHwlocSynthetic(
      "pack:2 numa:2 l3:2 core:2 pu:2",
      SyntheticExtras{
          .name = "fuzz",
          .numa_memory_bytes = {},
          .distances = {{10, 12, 20, 22}, {12, 10, 22, 20}, {20, 22, 10, 12}, {22, 20, 12, 10}}});
  REQUIRE(base.ok());
  const json original = TopologyToJson(*base);
  const uint32_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  int accepted = 0;
  for (int round = 0; round < 2000; ++round) {
    json doc = original;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      std::vector<json::json_pointer> pointers;
      CollectPointers(doc, json::json_pointer(), &pointers);
      const json::json_pointer& at = pointers[rng() % pointers.size()];
      if (at.empty()) continue;
      if (rng() % 4 == 0) {
        doc[at.parent_pointer()].erase(
            doc[at.parent_pointer()].is_object()
                ? doc[at.parent_pointer()].find(at.back())
                : doc[at.parent_pointer()].begin() +
                      static_cast<std::ptrdiff_t>(std::stoul(at.back())));
      } else {
        doc[at] = RandomValue(rng);
      }
    }
    absl::StatusOr<Topology> t = absl::UnknownError("not run");
    CHECK_NOTHROW(t = TopologyFromJsonValue(doc));
    if (t.ok()) {
      ++accepted;
      auto again = TopologyFromJson(TopologyToJsonString(*t));
      REQUIRE(again.ok());
      CHECK(*again == *t);
    } else {
      INFO(doc.dump());
      CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
    }
    // The text path must hold too, including truncated text.
    const std::string text = doc.dump();
    CHECK_NOTHROW(
        TopologyFromJson(std::string_view(text).substr(0, rng() % (text.size() + 1))).ok());
  }
  INFO("accepted " << accepted);
  SUCCEED();
}

}  // namespace
}  // namespace podalloc
