// CpuStaticPolicy: reserved CPUs, Start, Allocate/Remove with reuse and affinity, SMT alignment.
#include <catch2/catch.hpp>
#include <string>

#include "cpu_test_support.h"
#include "kubelet_topologies.h"
#include "podalloc/cpu_manager.h"

namespace podalloc {
namespace {

using testing::Cpus;
using testing::KubeletTopology;
using testing::StartedState;

CpuStaticPolicy MakePolicy(const std::string& topo, int reserved,
                           testing::PolicyOptions options = {}) {
  return testing::MakeStaticPolicy(KubeletTopology(topo), reserved, std::move(options));
}

ContainerCpuRequest Req(const std::string& pod, const std::string& name, int cpus,
                        CpuContainerKind kind = CpuContainerKind::kApp) {
  return ContainerCpuRequest{.pod_uid = pod,
                             .container_name = name,
                             .kind = kind,
                             .exclusive_cpus = cpus,
                             .affinity = std::nullopt};
}

std::string Alloc(const CpuStaticPolicy& policy, CpuManagerState& state,
                  const ContainerCpuRequest& request) {
  auto got = policy.Allocate(state, request);
  if (!got.ok()) return "error: " + std::string(got.status().message());
  return got->cpus.ToString();
}

TEST_CASE("cpu_manager: reserved CPUs are taken by topology from a count",
          "[cpu_manager][policy]") {
  CHECK(MakePolicy("topoDualSocketHT", 2).reserved_cpus().ToString() == "0,6");
  CHECK(MakePolicy("topoDualSocketHT", 1).reserved_cpus().ToString() == "0");
  const CpuStaticPolicy quad = MakePolicy("topoQuadSocketFourWayHT", 8);
  CHECK(quad.reserved_cpus().Size() == 8);
  // Two whole four-thread cores: the siblings add nothing.
  CHECK(quad.reserved_physical_cpus() == quad.reserved_cpus());
  CHECK(MakePolicy("topoSingleSocketHT", 1).reserved_physical_cpus().ToString() == "0,4");

  CpuStaticPolicyConfig explicit_list;
  explicit_list.num_reserved_cpus = 3;
  explicit_list.reserved_cpus = CpuSet{1, 2};
  auto bad = CpuStaticPolicy::Create(KubeletTopology("topoSingleSocketHT"), explicit_list);
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()) ==
        "[cpumanager] unable to reserve the required amount of CPUs (size of 1-2 did not "
        "equal 3)");
  CpuStaticPolicyConfig too_many;
  too_many.num_reserved_cpus = 9;
  CHECK(std::string(CpuStaticPolicy::Create(KubeletTopology("topoSingleSocketHT"), too_many)
                        .status()
                        .message()) ==
        "[cpumanager] unable to reserve the required amount of CPUs (size of  did not equal 9)");
  CHECK(NumReservedCpusFromMillis(1500) == 2);
  CHECK(NumReservedCpusFromMillis(2000) == 2);
}

TEST_CASE("cpu_manager: Start initialises and validates the state", "[cpu_manager][policy]") {
  const CpuStaticPolicy policy = MakePolicy("topoSingleSocketHT", 1);
  CHECK(StartedState(policy).default_cpu_set.ToString() == "0-7");
  const CpuStaticPolicy strict =
      MakePolicy("topoSingleSocketHT", 1, {{"strict-cpu-reservation", "true"}});
  CHECK(StartedState(strict).default_cpu_set.ToString() == "1-7");

  auto start_error = [](const CpuStaticPolicy& p, CpuManagerState state) {
    const CpuManagerState before = state;
    absl::Status s = p.Start(state);
    CHECK(state == before);
    return std::string(s.message());
  };
  CpuManagerState s1;
  s1.assignments["p"]["c"] = CpuSet{1};
  CHECK(start_error(policy, s1) == "default cpuset cannot be empty");
  CpuManagerState s2;
  s2.default_cpu_set = Cpus("1-7");
  CHECK(start_error(policy, s2) ==
        "not all reserved cpus: \"0\" are present in defaultCpuSet: \"1-7\"");
  CpuManagerState s3;
  s3.default_cpu_set = Cpus("0-7");
  CHECK(start_error(strict, s3) ==
        "some of strictly reserved cpus: \"0\" are present in defaultCpuSet: \"0-7\"");
  CpuManagerState s4;
  s4.default_cpu_set = Cpus("0-5");
  s4.assignments["pod"]["ctr"] = Cpus("5-7");
  CHECK(start_error(policy, s4) ==
        "pod: pod, container: ctr cpuset: \"5-7\" overlaps with default cpuset \"0-5\"");
  CpuManagerState s5;
  s5.default_cpu_set = Cpus("0-6");
  CHECK(start_error(policy, s5) ==
        "current set of available CPUs \"0-7\" doesn't match with CPUs in state \"0-6\"");
  CpuManagerState ok;
  ok.default_cpu_set = Cpus("0-5");
  ok.assignments["pod"]["ctr"] = Cpus("6-7");
  CHECK(policy.Start(ok).ok());
}

TEST_CASE("cpu_manager: Allocate takes packed CPUs from the shared pool", "[cpu_manager][policy]") {
  const CpuStaticPolicy policy = MakePolicy("topoDualSocketHT", 1);
  CpuManagerState state = StartedState(policy);
  CHECK(Alloc(policy, state, Req("p", "a", 2)) == "2,8");
  CHECK(Alloc(policy, state, Req("p", "b", 1)) == "6");
  CHECK(state.default_cpu_set.ToString() == "0-1,3-5,7,9-11");
  // Shared-pool containers get nothing and change nothing.
  const CpuManagerState before = state;
  auto shared = policy.Allocate(state, Req("p", "c", 0));
  REQUIRE(shared.ok());
  CHECK_FALSE(shared->exclusive);
  CHECK(state == before);
  // Asking again for an allocated container returns its CPUs.
  auto again = policy.Allocate(state, Req("p", "a", 2));
  REQUIRE(again.ok());
  CHECK(again->existing);
  CHECK(again->cpus.ToString() == "2,8");

  ContainerCpuRequest aligned = Req("q", "x", 2);
  aligned.affinity = NumaMask{1};
  CHECK(Alloc(policy, state, aligned) == "1,7");

  const CpuStaticPolicy small = MakePolicy("topoSingleSocketHT", 1);
  CpuManagerState s2 = StartedState(small);
  const CpuManagerState untouched = s2;
  CHECK(Alloc(small, s2, Req("p", "big", 8)) ==
        "error: not enough cpus available to satisfy request: requested=8, available=7");
  CHECK(s2 == untouched);
}

TEST_CASE("cpu_manager: full-pcpus-only enforces SMT alignment", "[cpu_manager][policy]") {
  const CpuStaticPolicy policy = MakePolicy("topoSingleSocketHT", 1, {{"full-pcpus-only", "true"}});
  CpuManagerState state = StartedState(policy);
  auto odd = policy.Allocate(state, Req("p", "a", 3));
  REQUIRE_FALSE(odd.ok());
  CHECK(IsSmtAlignmentError(odd.status()));
  CHECK(std::string(odd.status().message()) ==
        "SMT Alignment Error: requested 3 cpus not multiple cpus per core = 2");
  auto big = policy.Allocate(state, Req("p", "a", 8));
  REQUIRE_FALSE(big.ok());
  CHECK(std::string(big.status().message()) ==
        "SMT Alignment Error: not enough free physical CPUs: available physical CPUs = 6, "
        "requested CPUs = 8, CPUs per core = 2");
  CHECK(Alloc(policy, state, Req("p", "a", 2)) == "1,5");
  CHECK_FALSE(IsSmtAlignmentError(absl::InternalError("x")));
}

TEST_CASE("cpu_manager: init container CPUs are reused, sidecar CPUs are not",
          "[cpu_manager][policy]") {
  const CpuStaticPolicy policy = MakePolicy("topoSingleSocketHT", 0);
  CpuManagerState state = StartedState(policy);
  CHECK(Alloc(policy, state, Req("p", "init", 4, CpuContainerKind::kInit)) == "0-1,4-5");
  CHECK(Alloc(policy, state, Req("p", "app", 4)) == "0-1,4-5");
  CHECK(state.default_cpu_set.ToString() == "2-3,6-7");
  // Releasing the init container frees nothing its sibling still runs on.
  policy.RemoveContainer(state, "p", "init");
  CHECK(state.default_cpu_set.ToString() == "2-3,6-7");
  policy.RemoveContainer(state, "p", "app");
  CHECK(state.default_cpu_set.ToString() == "0-7");
  CHECK(state.assignments.empty());

  CHECK(Alloc(policy, state, Req("q", "sidecar", 2, CpuContainerKind::kSidecar)) == "0,4");
  CHECK(Alloc(policy, state, Req("q", "app", 2)) == "1,5");
  // Another pod never sees q's reusable CPUs.
  CHECK(Alloc(policy, state, Req("r", "init", 2, CpuContainerKind::kInit)) == "2,6");
  CHECK(Alloc(policy, state, Req("q", "late", 2)) == "3,7");
  // Removing an unknown container is a no-op.
  const CpuManagerState before = state;
  policy.RemoveContainer(state, "nope", "x");
  CHECK(state == before);
}

TEST_CASE("cpu_manager: pod-level assignments are released with the last container",
          "[cpu_manager][policy]") {
  CpuStaticPolicyConfig config;
  config.pod_level_resource_managers = true;
  auto created = CpuStaticPolicy::Create(KubeletTopology("topoSingleSocketHT"), config);
  REQUIRE(created.ok());
  const CpuStaticPolicy& policy = *created;
  CpuManagerState state;
  state.default_cpu_set = Cpus("4-7");
  state.pod_assignments["p"] = Cpus("0-3");
  state.assignments["p"]["a"] = Cpus("0-1");
  state.assignments["p"]["b"] = Cpus("2-3");
  REQUIRE(policy.Start(state).ok());
  policy.RemoveContainer(state, "p", "a");
  CHECK(state.default_cpu_set.ToString() == "4-7");
  policy.RemoveContainer(state, "p", "b");
  CHECK(state.default_cpu_set.ToString() == "0-7");
  CHECK(state.pod_assignments.empty());
  CHECK(state.assignments.empty());
}

TEST_CASE("cpu_manager: pod-scope budgets must leave a shared pool", "[cpu_manager][policy]") {
  auto check = [](int total, std::vector<ContainerCpuDemand> containers) {
    PodCpuRequest pod{.pod_uid = "p",
                      .exclusive_cpus = total,
                      .pod_level_resources = true,
                      .containers = std::move(containers)};
    return std::string(ValidatePodScopeCpus(pod).message());
  };
  using K = CpuContainerKind;
  CHECK(check(4, {{"i", K::kInit, 2}, {"a", K::kApp, 2}, {"b", K::kApp, 0}}).empty());
  CHECK(check(4, {{"s", K::kSidecar, 2}, {"i", K::kInit, 3}}) ==
        "pod rejected, largest exclusive init container requests 3 cpus, but only 2 available");
  CHECK(check(4, {{"s", K::kSidecar, 4}, {"i", K::kInit, 0}}) ==
        "pod rejected, pod has shared init containers but no cpus available for them");
  CHECK(check(4, {{"s", K::kSidecar, 0}, {"a", K::kApp, 4}}) ==
        "pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no "
        "cpus for shared containers");
}

TEST_CASE("cpu_manager: strict-cpu-reservation never hands out the last shared CPU",
          "[cpu_manager][policy][strict]") {
  // topoSingleSocketHT: CPUs 0-7, CPU 0 reserved and, with the option, out of the shared pool.
  const CpuStaticPolicy strict =
      MakePolicy("topoSingleSocketHT", 1, {{"strict-cpu-reservation", "true"}});
  CpuManagerState state = StartedState(strict);
  const CpuManagerState before = state;
  // The kubelet would take all seven and then refuse its own checkpoint on restart.
  CHECK(Alloc(strict, state, Req("p", "c", 7)) ==
        "error: pod p container c: taking \"1-7\" would leave the shared pool empty "
        "(strict-cpu-reservation keeps the reserved CPUs \"0\" out of it)");
  CHECK(state == before);
  CHECK(Alloc(strict, state, Req("p", "c", 6)).rfind("error", 0) == std::string::npos);
  CHECK(state.default_cpu_set.Size() == 1);
  CHECK(Alloc(strict, state, Req("q", "c", 1)).rfind("error", 0) == 0);
  CpuManagerState restarted = state;
  CHECK(strict.Start(restarted).ok());  // the kubelet's validateState takes every such state

  // Without the option the reserved CPU keeps the pool from running dry.
  const CpuStaticPolicy plain = MakePolicy("topoSingleSocketHT", 1);
  CpuManagerState all = StartedState(plain);
  CHECK(Alloc(plain, all, Req("p", "c", 7)) == "1-7");
  CHECK(all.default_cpu_set.ToString() == "0");
}

}  // namespace
}  // namespace podalloc
