// Spot checks of the uncore and distributed paths on the kubelet's test topologies, with the
// results the kubelet's cpu_assignment_test.go expects.
#include <catch2/catch.hpp>
#include <string>

#include "kubelet_topologies.h"
#include "podalloc/cpu_assignment.h"

namespace podalloc {
namespace {

using testing::Cpus;
using testing::KubeletTopology;

std::string Packed(const char* topo, const char* available, int n, bool uncore) {
  auto got = TakeByTopologyNumaPacked(CpuLayout(KubeletTopology(topo)), Cpus(available), n,
                                      CpuSortingStrategy::kPacked, uncore);
  return got.ok() ? got->ToString() : std::string(got.status().message());
}

std::string Distributed(const char* topo, const char* available, int n, int group) {
  auto got =
      TakeByTopologyNumaDistributed(CpuLayout(KubeletTopology(topo)), Cpus(available), n, group);
  return got.ok() ? got->ToString() : std::string(got.status().message());
}

TEST_CASE("cpu_manager: uncore-cache alignment picks the kubelet's CPUs", "[cpu_manager][take]") {
  CHECK(Packed("topoUncoreSingleSocketNoSMT", "1-15", 10, true) == "1-2,4-11");
  // An odd remainder on SMT drops the last thread of the last core: CPU 1, not core 2.
  CHECK(Packed("topoDualSocketHT", "1-5,7-11", 1, true) == "1");
  CHECK(Packed("topoDualSocketHT", "1-5,7-11", 1, false) == "2");
  CHECK(Packed("topoUncoreDualSocketNoSMT", "2-15", 6, true) == "2-7");
  CHECK(Packed("topoUncoreSingleSocketMultiNuma", "3,4-8,12", 2, true) == "4-5");
  CHECK(Packed("topoUncoreSingleSocketSMT", "2-3,10-11,4-7,12-15", 6, true) == "4-6,12-14");
  CHECK(Packed("topoUncoreSingleSocketSMT", "1-7,9-15", 10, true) == "1,4-7,9,12-15");
}

TEST_CASE("cpu_manager: NUMA distribution picks the kubelet's CPUs", "[cpu_manager][take]") {
  const char* kMulti = "topoDualSocketMultiNumaPerSocketHT";
  CHECK(Distributed("topoDualSocketHT", "0-11", 8, 1) == "0-3,6-9");
  CHECK(Distributed(kMulti, "2-29,31-39,42-69,71-79", 48, 1) ==
        "10-17,20-27,31-38,50-57,60-67,71-78");
  CHECK(Distributed(kMulti, "0-79", 26, 2) == "0-6,10-15,40-46,50-55");
  CHECK(Distributed(kMulti, "0-8,10-18,20-39,40-48,50-58,60-79", 62, 2) ==
        "0-7,10-16,20-27,30-37,40-47,50-56,60-67,70-77");
  CHECK(Distributed(kMulti, "0-3,10-13,20-23,30-36,40-43,50-53,60-63,70-76", 34, 1) ==
        "0-3,10-13,20-23,30-34,40-43,50-53,60-63,70-74");
  CHECK(Distributed("topoDualSocketMultiNumaPerSocketHTLarge",
                    "0,128,30,31,158,159,43-47,171-175,62,63,190,191,75-79,203-207,94,96,222,"
                    "223,101-111,229-239,126,127,254,255",
                    28, 1) == "43-47,75-79,96,101-105,171-174,203-206,229-232");
  CHECK(Distributed("topoDualSocketHT", "1-5,7-11", 1, 2) == "2");
}

}  // namespace
}  // namespace podalloc
