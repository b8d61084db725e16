// Properties over random requests and limits: memory.high is always above the request and
// page aligned, a set CFS quota is never below 1ms, every cpu.weight lies in [1, 10000], and
// the container file list always has its fixed shape. The seed is printed with every failure
// (run with --rng-seed N to explore others).
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "podalloc/cgroup_values.h"
#include "test_pods.h"

namespace podalloc {
namespace {

using testing::kGi;

class Random {
 public:
  explicit Random(uint64_t seed) : rng_(seed) {}
  int64_t Between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

 private:
  std::mt19937_64 rng_;
};

// Requests and limits as the API allows them: a request never above its limit; sometimes
// only one of the two, sometimes equal (Guaranteed), sometimes nothing.
Container RandomContainer(Random& rnd, const std::string& name) {
  Container c;
  c.name = name;
  for (std::string_view resource : {kResourceCpu, kResourceMemory}) {
    const bool cpu = resource == kResourceCpu;
    const int64_t unit = cpu ? 1 : 1024;  // millicores, or KiB
    const int64_t request = rnd.Between(0, cpu ? 64000 : 64 * 1024 * 1024) * unit;
    const int64_t shape = rnd.Between(0, 4);
    auto quantity = [&](int64_t v) {
      return cpu ? Quantity::FromMilli(v) : Quantity::FromValue(v, Quantity::Format::kBinarySI);
    };
    if (shape == 1 || shape == 3) c.resources.requests[std::string(resource)] = quantity(request);
    if (shape == 2) c.resources.limits[std::string(resource)] = quantity(request);
    const int64_t headroom = rnd.Between(0, cpu ? 8000 : 8 * kGi);
    if (shape == 3) c.resources.limits[std::string(resource)] = quantity(request + headroom);
    if (shape == 4) {
      c.resources.requests[std::string(resource)] = quantity(request);
      c.resources.limits[std::string(resource)] = quantity(request);
    }
  }
  return c;
}

NodeCgroupSettings RandomNode(Random& rnd) {
  NodeCgroupSettings s;
  s.node_memory_capacity = rnd.Between(1, 1024) * kGi;
  s.cpu_cfs_quota = rnd.Chance(0.8);
  s.single_process_oom_kill = rnd.Chance(0.5);
  s.memory_qos.enabled = rnd.Chance(0.8);
  if (rnd.Chance(0.8)) s.memory_qos.throttling_factor = rnd.Between(1, 1000) / 1000.0;
  s.memory_qos.reservation_policy = static_cast<MemoryReservationPolicy>(rnd.Between(0, 2));
  s.memory_qos.page_size = int64_t{4096} << rnd.Between(0, 4);
  s.memory_qos.node_allocatable_memory = rnd.Chance(0.9) ? rnd.Between(1, 512) * kGi : 0;
  return s;
}

int64_t Number(const std::string& text) { return std::stoll(text); }

TEST_CASE("cgroup_values: properties of random containers", "[cgroup_values][property]") {
  const uint64_t seed = 0x636772 + Catch::rngSeed();
  INFO("seed " << seed);
  Random rnd(seed);
  for (int round = 0; round < 3000; ++round) {
    CAPTURE(round);
    const NodeCgroupSettings node = RandomNode(rnd);
    Pod pod = testing::MakePod({RandomContainer(rnd, "a"), RandomContainer(rnd, "b")});
    if (rnd.Chance(0.3)) pod.init_containers.push_back(RandomContainer(rnd, "init"));
    const Container& c = pod.containers[0];
    const int64_t request = ResourceOrZero(c.resources.requests, kResourceMemory).Value();
    const int64_t limit = ResourceOrZero(c.resources.limits, kResourceMemory).Value();

    // memory.high: above the request, whole pages, never above the limit (or allocatable).
    const std::optional<int64_t> high = ContainerMemoryHigh(request, limit, node.memory_qos);
    if (high.has_value()) {
      CHECK(*high > request);
      CHECK(*high % node.memory_qos.page_size == 0);
      CHECK(*high <= (limit > 0 ? limit : node.memory_qos.node_allocatable_memory));
      CHECK_FALSE((request == limit && request > 0));
    }

    const bool exclusive = rnd.Chance(0.2);
    auto r = GenerateLinuxContainerResources(pod, c, node, exclusive);
    REQUIRE(r.ok());
    if (r->cpu_quota != 0) {
      CHECK((r->cpu_quota >= kMinCfsQuota || r->cpu_quota == -1));
      CHECK(r->cpu_period == kDefaultCfsPeriod);
    }
    CHECK(r->cpu_shares >= 2);
    CHECK(r->cpu_shares <= 262144);
    CHECK(((r->oom_score_adj >= 3 && r->oom_score_adj <= 999) || r->oom_score_adj == -997 ||
           r->oom_score_adj == 1000));
    if (r->unified.count("memory.high") != 0) {
      CHECK(Number(r->unified.at("memory.high")) > request);
    }

    for (CpuWeightMapping mapping : {CpuWeightMapping::kLinear, CpuWeightMapping::kQuadratic}) {
      const uint64_t w = CpuSharesToWeight(static_cast<uint64_t>(r->cpu_shares), mapping).value;
      CHECK(w >= 1);
      CHECK(w <= 10000);
    }

    ContainerPlacement placement;
    placement.isolation = static_cast<IsolationLevel>(rnd.Between(0, 2));
    placement.cpus = CpuSet::Range(0, static_cast<int>(rnd.Between(0, 7)));
    placement.memory_nodes = NumaMask::FromBits(static_cast<uint64_t>(rnd.Between(0, 15)));
    auto files = ContainerCgroupFiles(pod, c, placement, node, CpuWeightMapping::kQuadratic);
    REQUIRE(files.ok());
    std::vector<std::string> names;
    for (const CgroupFile& f : *files) names.push_back(f.name);
    std::vector<std::string> expected{"cpu.max", "cpu.weight", "cpuset.cpus"};
    if (!placement.memory_nodes.IsEmpty()) expected.push_back("cpuset.mems");
    for (const char* n : {"memory.max", "memory.min", "memory.low", "memory.high"}) {
      expected.push_back(n);
    }
    CHECK(names == expected);
    const std::string cpu_max = files->front().value;
    if (placement.isolation == IsolationLevel::kContainer &&
        node.disable_cpu_quota_with_exclusive_cpus) {
      CHECK(cpu_max == "max 100000");
    } else if (cpu_max.rfind("max", 0) != 0) {
      CHECK(Number(cpu_max) >= kMinCfsQuota);
    }
    const int64_t weight = Number((*files)[1].value);
    CHECK(weight >= 1);
    CHECK(weight <= 10000);

    auto pod_config = ResourceConfigForPod(pod, node, exclusive);
    REQUIRE(pod_config.ok());
    if (pod_config->cpu_quota.has_value()) {
      CHECK((*pod_config->cpu_quota >= kMinCfsQuota || *pod_config->cpu_quota == -1));
    }
    const uint64_t pod_weight =
        CpuSharesToWeight(*pod_config->cpu_shares, CpuWeightMapping::kLinear).value;
    CHECK(pod_weight >= 1);
    CHECK(pod_weight <= 10000);
  }
}

}  // namespace
}  // namespace podalloc
