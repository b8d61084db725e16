// The CPU conversions: shares, CFS quota and both cpu.weight mappings.
#include <catch2/catch.hpp>
#include <cstdint>

#include "podalloc/cgroup_values.h"

namespace podalloc {
namespace {

TEST_CASE("cgroup_values: shares are clamped to the kernel's range", "[cgroup_values]") {
  CHECK(MilliCpuToShares(0) == 2);
  CHECK(MilliCpuToShares(-5) == 2);
  CHECK(MilliCpuToShares(1) == 2);
  CHECK(MilliCpuToShares(2) == 2);  // 2048/1000 = 2
  CHECK(MilliCpuToShares(3) == 3);  // 3072/1000 = 3
  CHECK(MilliCpuToShares(1500) == 1536);
  CHECK(MilliCpuToShares(255999) == 262142);
  CHECK(MilliCpuToShares(256000) == 262144);
  CHECK(MilliCpuToShares(INT64_MAX) == 262144);
}

TEST_CASE("cgroup_values: quota scales with the period and never drops below 1ms",
          "[cgroup_values]") {
  CHECK(MilliCpuToQuota(0, 100000) == 0);
  CHECK(MilliCpuToQuota(1, 100000) == 1000);
  CHECK(MilliCpuToQuota(250, 100000) == 25000);
  CHECK(MilliCpuToQuota(250, 50000) == 12500);
  CHECK(MilliCpuToQuota(15, 50000) == 1000);  // 750 is raised to the minimum
  CHECK(MilliCpuToQuota(3000, 1000000) == 3000000);
}

TEST_CASE("cgroup_values: the kubelet's linear cpu.weight", "[cgroup_values]") {
  auto linear = [](uint64_t s) { return CpuSharesToWeight(s, CpuWeightMapping::kLinear).value; };
  CHECK(linear(0) == 0);  // unset stays unset
  CHECK(linear(1) == 1);
  CHECK(linear(2) == 1);
  CHECK(linear(1024) == 39);
  CHECK(linear(262143) == 9999);
  CHECK(linear(262144) == 10000);
  CHECK(linear(1000000) == 10000);
  CHECK(CpuWeightMappingName(CpuWeightMapping::kLinear) == "linear");
}

TEST_CASE("cgroup_values: the OCI runtimes' quadratic cpu.weight", "[cgroup_values]") {
  auto quadratic = [](uint64_t s) {
    const CpuWeight w = CpuSharesToWeight(s, CpuWeightMapping::kQuadratic);
    CHECK(w.mapping == CpuWeightMapping::kQuadratic);
    return w.value;
  };
  // Values of opencontainers/cgroups' formula evaluated with Go's math package.
  CHECK(quadratic(0) == 0);
  CHECK(quadratic(1) == 1);
  CHECK(quadratic(2) == 1);
  CHECK(quadratic(3) == 2);
  CHECK(quadratic(10) == 4);
  CHECK(quadratic(102) == 17);
  CHECK(quadratic(256) == 35);
  CHECK(quadratic(512) == 59);
  CHECK(quadratic(1024) == 100);  // the cgroup v2 default weight
  CHECK(quadratic(2048) == 174);
  CHECK(quadratic(4096) == 303);
  CHECK(quadratic(26809) == 1421);
  CHECK(quadratic(100000) == 4340);
  CHECK(quadratic(116225) == 4938);
  CHECK(quadratic(200416) == 7914);
  CHECK(quadratic(262143) == 10000);
  CHECK(quadratic(262144) == 10000);
  CHECK(CpuWeightMappingName(CpuWeightMapping::kQuadratic) == "quadratic");
}

TEST_CASE("cgroup_values: quadratic cpu.weight matches the Go reference on every share count",
          "[cgroup_values]") {
  // h = h * 31 + weight(s) for s = 0 .. 262144 (uint64 wrap-around), computed with the Go
  // formula. A single differing value anywhere in the domain changes it.
  uint64_t h = 0;
  for (uint64_t s = 0; s <= 262144; ++s) {
    h = h * 31 + CpuSharesToWeight(s, CpuWeightMapping::kQuadratic).value;
  }
  CHECK(h == 12205860853974201429ull);
}

TEST_CASE("cgroup_values: both mappings are monotone and agree on the end points",
          "[cgroup_values]") {
  uint64_t previous_linear = 0, previous_quadratic = 0;
  for (uint64_t s = 2; s <= 262144; ++s) {
    const uint64_t l = CpuSharesToWeight(s, CpuWeightMapping::kLinear).value;
    const uint64_t q = CpuSharesToWeight(s, CpuWeightMapping::kQuadratic).value;
    REQUIRE(l >= previous_linear);
    REQUIRE(q >= previous_quadratic);
    previous_linear = l;
    previous_quadratic = q;
  }
  CHECK(CpuSharesToWeight(2, CpuWeightMapping::kLinear).value ==
        CpuSharesToWeight(2, CpuWeightMapping::kQuadratic).value);
  CHECK(previous_linear == 10000);
  CHECK(previous_quadratic == 10000);
}

}  // namespace
}  // namespace podalloc
