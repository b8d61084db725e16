// The pod fingerprint against the published signatures, and XXH64 against its standard vectors.
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "podalloc/nrt.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

std::vector<PodName> PodsOf(const nlohmann::json& vector) {
  std::vector<PodName> pods;
  if (vector.contains("pods_file")) {
    std::ifstream in(testing::TestDataDir() / "conformance/podfingerprint" /
                     vector["pods_file"].get<std::string>());
    REQUIRE(in.good());
    std::string ns, name;
    while (in >> ns >> name) pods.push_back(PodName{ns, name});
    return pods;
  }
  for (const auto& entry : vector["pods"]) {
    const std::string text = entry.get<std::string>();
    const size_t slash = text.find('/');
    pods.push_back(PodName{text.substr(0, slash), text.substr(slash + 1)});
  }
  return pods;
}

TEST_CASE("XXH64 gives the standard vectors", "[nrt][fingerprint]") {
  CHECK(Xxh64("") == 0xef46db3751d8e999ULL);
  CHECK(Xxh64("a") == 0xd24ec4f1a98c6e5bULL);
  CHECK(Xxh64("abc") == 0x44bc2cf5ad770999ULL);
  CHECK(Xxh64("Nobody inspects the spammish repetition") == 0xfbcea83c8a378bf1ULL);
}

TEST_CASE("the pod fingerprint reproduces the published signatures", "[nrt][fingerprint]") {
  const nlohmann::json vectors = testing::LoadVectors("podfingerprint/vectors.json");
  REQUIRE(vectors.size() >= 5);
  for (const auto& v : vectors) {
    const std::vector<PodName> pods = PodsOf(v);
    INFO(v["name"].get<std::string>() << " (" << pods.size() << " pods)");
    CHECK(PodFingerprint(pods) == v["signature"].get<std::string>());
  }
}

TEST_CASE("the pod fingerprint is order independent and keeps duplicates",
          "[nrt][fingerprint]") {
  std::vector<PodName> pods = {{"default", "trainer-0"}, {"kube-system", "node-exporter-abcde"}};
  CHECK(PodFingerprint(pods) == "pfp0v001c8978905147a4c26");
  std::swap(pods[0], pods[1]);
  CHECK(PodFingerprint(pods) == "pfp0v001c8978905147a4c26");
  CHECK(PodFingerprint(std::vector<PodName>{{"default", "trainer-0"}}) ==
        "pfp0v001b24e3f1b387be5f9");
  pods.push_back(pods[0]);
  CHECK(PodFingerprint(pods) != "pfp0v001c8978905147a4c26");
  // The namespace seeds the name: moving a character across the boundary changes the value.
  CHECK(PodFingerprint(std::vector<PodName>{{"ab", "c"}}) !=
        PodFingerprint(std::vector<PodName>{{"a", "bc"}}));
}

TEST_CASE("quantities take the canonical DecimalSI form", "[nrt]") {
  CHECK(DecimalSiText(0) == "0");
  CHECK(DecimalSiText(12) == "12");
  CHECK(DecimalSiText(20) == "20");
  CHECK(DecimalSiText(1000) == "1k");
  CHECK(DecimalSiText(1500) == "1500");
  CHECK(DecimalSiText(2000000) == "2M");
  CHECK(DecimalSiText(68719476736) == "68719476736");
  CHECK(DecimalSiText(59055800320) == "59055800320");
  CHECK(DecimalSiText(8000000000000000000) == "8E");
  CHECK(DecimalSiText(-3000) == "-3k");
}

}  // namespace
}  // namespace podalloc
