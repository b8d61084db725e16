// Sums over pods never wrap (tests/data/repro c/cpu_sum_overflow.c): the API server accepts a
// Burstable pod requesting 9223372036854775807m CPU, and the kubelet's int64 sum of the
// Burstable tier would wrap to a negative total beside any other Burstable pod. The sums
// saturate: the tier gets the largest weight, as that pod alone gives it, and memory
// protections stay at the largest value instead of turning negative.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <vector>

#include "podalloc/cgroup_values.h"
#include "podalloc/memory_qos.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using namespace testing;  // the builders and constants of test_pods.h

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Pod Burstable(const char* uid, Entries requests) {
  Pod pod = MakePod({MakeContainer("c", requests, {})});
  pod.uid = uid;
  return pod;
}

TEST_CASE("cgroup_values: the Burstable CPU sum saturates instead of wrapping",
          "[cgroup_values][overflow]") {
  const std::vector<Pod> pods{Burstable("a", {{"cpu", "100m"}}),
                              Burstable("b", {{"cpu", "9223372036854775807m"}})};
  auto cgroups = QosClassCgroupConfigs(pods, DefaultNode());
  REQUIRE(cgroups.ok());
  CHECK(cgroups->burstable.cpu_shares == kMaxShares);
  // The same weight as the huge pod alone: the sum is clamped, not wrapped to the minimum.
  auto alone = QosClassCgroupConfigs(std::vector<Pod>{pods[1]}, DefaultNode());
  REQUIRE(alone.ok());
  CHECK(alone->burstable.cpu_shares == cgroups->burstable.cpu_shares);
  auto files = ResourceConfigFiles(cgroups->burstable, DefaultNode());
  REQUIRE(files.ok());
  CHECK(*files == CgroupFiles{{"cpu.weight", "10000"}});
}

TEST_CASE("cgroup_values: QoS memory sums and protections saturate",
          "[cgroup_values][overflow][memory_qos]") {
  const std::vector<Pod> pods{Burstable("a", {{"memory", "8Ei"}}),
                              Burstable("b", {{"memory", "8Ei"}}),
                              Burstable("c", {{"memory", "1Gi"}})};
  const QosMemoryRequests sums = SumQosMemoryRequests(pods, QosOptions{});
  CHECK(sums.burstable == kMax);
  const QosClassProtection p = QosClassMemoryProtection(
      QosMemoryRequests{kMax, kMax}, MemoryReservationPolicy::kTieredReservation);
  CHECK(p.root.min == kMax);
  CHECK(p.burstable.low == kMax);
}

}  // namespace
}  // namespace podalloc
