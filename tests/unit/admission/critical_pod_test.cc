// Critical pods and the kubelet's choice of pods to evict for one (getPodsToPreempt): groups by
// QoS class, the distance rule and its tie-break, and the rejection text.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "podalloc/critical_pod.h"

namespace podalloc {
namespace {

Quantity Q(const char* text) { return *Quantity::Parse(text); }

// One container; cpu/memory requests and, when `guaranteed`, equal limits.
Pod MakePod(const std::string& uid, const char* cpu, const char* memory, bool guaranteed = false,
            std::optional<int32_t> priority = std::nullopt) {
  Pod p;
  p.uid = uid;
  Container c;
  c.name = "c";
  if (cpu != nullptr) c.resources.requests["cpu"] = Q(cpu);
  if (memory != nullptr) c.resources.requests["memory"] = Q(memory);
  if (guaranteed) c.resources.limits = c.resources.requests;
  p.containers.push_back(c);
  p.priority = priority;
  return p;
}

std::vector<PreemptionCandidate> Candidates(const std::vector<Pod>& pods) {
  std::vector<PreemptionCandidate> out;
  for (const Pod& p : pods) out.push_back({p.uid, &p});
  return out;
}

InsufficientResource Short(const char* resource, int64_t requested, int64_t used,
                           int64_t capacity) {
  return InsufficientResource{resource, requested, used, capacity, false};
}

TEST_CASE("critical pod: static, mirror and priority", "[admission][critical]") {
  Pod p = MakePod("p", "1", nullptr);
  CHECK_FALSE(IsCriticalPod(p));
  p.config_source = "api";
  CHECK_FALSE(IsStaticPod(p));
  p.config_source = "file";
  CHECK(IsStaticPod(p));
  CHECK(IsCriticalPod(p));
  Pod m = MakePod("m", "1", nullptr);
  m.mirror = true;
  CHECK(IsCriticalPod(m));
  CHECK(IsCriticalPod(MakePod("c", "1", nullptr, false, kSystemCriticalPriority)));
  CHECK_FALSE(IsCriticalPod(MakePod("c", "1", nullptr, false, kSystemCriticalPriority - 1)));

  const Pod critical = MakePod("crit", "1", nullptr, false, kSystemCriticalPriority);
  CHECK(Preemptable(critical, MakePod("x", "1", nullptr)));
  CHECK(Preemptable(critical, MakePod("x", "1", nullptr, false, 100)));
  // Critical against critical: only a strictly higher priority preempts.
  CHECK_FALSE(Preemptable(critical, MakePod("x", "1", nullptr, false, kSystemCriticalPriority)));
  CHECK(Preemptable(MakePod("hi", "1", nullptr, false, 2000001000),
                    MakePod("x", "1", nullptr, false, kSystemCriticalPriority)));
  // Neither critical: priorities decide, and both must be set.
  CHECK(Preemptable(MakePod("a", "1", nullptr, false, 10), MakePod("b", "1", nullptr, false, 5)));
  CHECK_FALSE(Preemptable(MakePod("a", "1", nullptr, false, 10), MakePod("b", "1", nullptr)));
}

TEST_CASE("critical pod: BestEffort and Burstable go before Guaranteed", "[admission][critical]") {
  const Pod critical = MakePod("crit", "2", "1Gi", true, kSystemCriticalPriority);
  const std::vector<Pod> pods = {
      MakePod("guaranteed", "2", "1Gi", true),
      MakePod("burstable", "1", "512Mi"),
      MakePod("besteffort", nullptr, nullptr),
  };
  // 1 CPU short: the Burstable pod alone frees it, so no Guaranteed pod goes.
  PreemptionPlan plan = PlanCriticalPodPreemption(critical, {{Short("cpu", 2000, 3000, 4000)}},
                                                  Candidates(pods), {}, true);
  REQUIRE(plan.found);
  CHECK(plan.victims == std::vector<std::string>{"burstable"});
  CHECK(plan.shortfall == std::vector<PreemptionNeed>{{"cpu", 1000}});

  // 2.5 CPUs short: the Burstable pod is not enough, so the Guaranteed pod goes, and the
  // Burstable one still has to go beside it.
  plan = PlanCriticalPodPreemption(critical, {{Short("cpu", 2000, 3500, 3000)}}, Candidates(pods),
                                   {}, true);
  REQUIRE(plan.found);
  CHECK(plan.shortfall == std::vector<PreemptionNeed>{{"cpu", 2500}});
  CHECK(plan.victims == std::vector<std::string>{"burstable", "guaranteed"});

  // A pod count shortfall: any one pod frees it, the most preemptable group first.
  plan = PlanCriticalPodPreemption(critical, {{Short("pods", 1, 3, 3)}}, Candidates(pods), {},
                                   true);
  REQUIRE(plan.found);
  CHECK(plan.victims == std::vector<std::string>{"besteffort"});
}

TEST_CASE("critical pod: the closest pod wins, ties to the smaller request",
          "[admission][critical]") {
  const Pod critical = MakePod("crit", "1", nullptr, false, kSystemCriticalPriority);
  // Both free the 500m short: same distance 0, the smaller memory request wins.
  std::vector<Pod> pods = {MakePod("big", "600m", "2Gi"), MakePod("small", "600m", "1Gi")};
  PreemptionPlan plan = PlanCriticalPodPreemption(critical, {{Short("cpu", 1000, 1500, 2000)}},
                                                  Candidates(pods), {}, true);
  REQUIRE(plan.found);
  CHECK(plan.victims == std::vector<std::string>{"small"});
  // Equal requests: the later pod counts as smaller, as in the kubelet.
  pods = {MakePod("first", "600m", "1Gi"), MakePod("second", "600m", "1Gi")};
  plan = PlanCriticalPodPreemption(critical, {{Short("cpu", 1000, 1500, 2000)}}, Candidates(pods),
                                   {}, true);
  CHECK(plan.victims == std::vector<std::string>{"second"});
  // One that covers it beats one that covers part of it.
  pods = {MakePod("part", "200m", nullptr), MakePod("whole", "500m", "4Gi")};
  plan = PlanCriticalPodPreemption(critical, {{Short("cpu", 1000, 1500, 2000)}}, Candidates(pods),
                                   {}, true);
  CHECK(plan.victims == std::vector<std::string>{"whole"});
}

TEST_CASE("critical pod: no set of pods frees enough", "[admission][critical]") {
  const Pod critical = MakePod("crit", "4", "4Gi", false, kSystemCriticalPriority);
  // The only other pod is critical itself, so it cannot be evicted.
  Pod other = MakePod("system", "3", "3Gi", false, kSystemCriticalPriority);
  std::vector<Pod> pods = {other, MakePod("small", "100m", nullptr)};
  const PreemptionPlan plan = PlanCriticalPodPreemption(
      critical, {{Short("cpu", 4000, 3100, 4000), Short("memory", 4294967296, 3221225472, 4294967296)}},
      Candidates(pods), {}, true);
  CHECK_FALSE(plan.found);
  CHECK(plan.victims.empty());
  CHECK(plan.rejection.reason == "UnexpectedAdmissionError");
  CHECK(plan.rejection.message ==
        "Unexpected error while attempting to recover from admission failure: preemption: error "
        "finding a set of pods to preempt: no set of running pods found to reclaim resources: "
        "[(res: cpu, q: 3000), (res: memory, q: 3221225472), ]");
}

}  // namespace
}  // namespace podalloc
