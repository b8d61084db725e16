// conformance/node_admission resource_fit.json and predicate_admit.json: every row podalloc
// owns, through FitPodToNode / WithoutUnservedRequests and, where the row's node can be built
// as a machine (whole CPUs), through Node::Admit after admitting the other pods.
#include <memory>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "admission_vectors.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

using nlohmann::json;

// A one-socket, one-NUMA machine with the row's allocatable as its capacity and nothing
// reserved, so the node's allocatable is the row's; nullopt when the row's cpu is not a whole
// number of CPUs (a machine cannot have 10m).
std::unique_ptr<Node> NodeFor(const json& allocatable_json, const FitOptions& options) {
  const ResourceList allocatable = VectorList(allocatable_json, "allocatable");
  const Quantity* cpu = FindResource(allocatable, kResourceCpu);
  if (cpu == nullptr || !cpu->IsWhole() || cpu->Value() < 1) return nullptr;
  for (const auto& [name, q] : allocatable) {
    if (IsHugepagesResource(name)) return nullptr;  // pages of a few bytes are not a machine
  }
  TopologySpec spec;
  spec.name = "vector node";
  for (int i = 0; i < cpu->Value(); ++i) spec.cpus.push_back(CpuInfo{i, i, 0, 0, 0, 0});
  spec.numa_nodes.push_back(
      NumaNodeInfo{0, static_cast<uint64_t>(ResourceOrZero(allocatable, kResourceMemory).Value()),
                   {}});
  auto topology = Topology::Build(spec);
  REQUIRE(topology.ok());
  json config = {{"featureGates",
                  {{"PodLevelResources", options.pod_level_resources},
                   {"DRAExtendedResource", options.dra_extended_resource}}}};
  if (const Quantity* pods = FindResource(allocatable, kResourcePods)) {
    config["maxPods"] = pods->Value();
  }
  for (const auto& [name, q] : allocatable) {
    if (name == kResourceEphemeralStorage || IsExtendedResourceName(name)) {
      config["nodeCapacity"][name] = q.ToString();
    }
  }
  auto parsed = ParseNodeConfig(config.dump());
  INFO(config.dump());
  REQUIRE(parsed.ok());
  auto node = Node::Create(*topology, *parsed);
  REQUIRE(node.ok());
  CHECK((*node)->Allocatable() == NodeAllocatable(*topology, *parsed));
  return *std::move(node);
}

// Admits `others` then plans `pod` on the row's node; false when the row cannot be replayed
// on a machine (fractional cpu, an other pod the node itself refuses, a pod without containers).
bool AdmitOnNode(const json& allocatable, const std::vector<Pod>& others, const Pod& pod,
                 const FitOptions& options, Decision& out) {
  if (pod.containers.empty()) return false;
  std::unique_ptr<Node> node = NodeFor(allocatable, options);
  if (node == nullptr) return false;
  for (const Pod& other : others) {
    if (other.containers.empty()) return false;
    auto d = node->AdmitAndCommit(other);
    REQUIRE(d.ok());
    if (!d->admitted) return false;
  }
  auto d = node->Admit(pod);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  out = *d;
  return true;
}

void CheckVerdict(const json& want, const ResourceFitVerdict& got) {
  CHECK(got.result.admit == want.at("admit").get<bool>());
  if (want.contains("insufficient")) CHECK(got.insufficient == VectorInsufficient(want["insufficient"]));
  if (!want.at("admit").get<bool>()) {
    CHECK(got.result.reason == want.at("reason").get<std::string>());
    CHECK(got.result.message == want.at("message").get<std::string>());
  }
}

void CheckDecision(const json& want, const Decision& d) {
  CHECK(d.admitted == want.at("admit").get<bool>());
  if (want.contains("insufficient")) {
    CHECK(d.insufficient_resources == VectorInsufficient(want["insufficient"]));
  }
  if (!d.admitted) {
    CHECK(d.reason == want.at("reason").get<std::string>());
    CHECK(d.message == want.at("message").get<std::string>());
    for (const ContainerDecision& c : d.containers) CHECK(c.cpus.IsEmpty());
    CHECK(d.delta == NodeStateDelta());
  }
}

TEST_CASE("node admission vectors: resource_fit.json", "[node][admission][vectors]") {
  size_t on_node = 0;
  RunVectorRows("resource_fit.json", LoadVectors("node_admission/resource_fit.json"),
                [&](const json& row) {
                  const FitOptions options = VectorFitOptions(row);
                  const json& allocatable = row.at("node").at("allocatable");
                  const std::vector<Pod> others = VectorPods(row.at("other_pods"));
                  const Pod pod = VectorPod(row.at("pod"), "pod");
                  const json& want = row.at("expected").at("kubelet");
                  CheckVerdict(want, FitPodToNode(VectorList(allocatable, "allocatable"), pod,
                                                  others, options));
                  Decision d;
                  if (AdmitOnNode(allocatable, others, pod, options, d)) {
                    ++on_node;
                    CheckDecision(want, d);
                  }
                });
  std::cout << "resource_fit.json: " << on_node << " rows also replayed through Node::Admit\n";
  CHECK(on_node > 0);
}

// One predicate_admit.json row, by its op.
void PredicateRow(const json& row) {
  const std::string op = row.at("op");
  const FitOptions options = VectorFitOptions(row);
  const Pod pod = VectorPod(row.at("pod"), "pod");
  if (op == "general_filter") {
    // Only resource fit is podalloc's; the rows it owns have no predicate failure.
    const ResourceFitVerdict got = FitPodToNode(
        VectorList(row.at("cached_node").at("allocatable"), "allocatable"), pod,
        VectorPods(row.at("other_pods")), options);
    REQUIRE(row.at("expected").at("reasons").empty());
    CheckVerdict(row.at("expected").at("kubelet"), got);
  } else if (op == "remove_missing_extended_resources") {
    const Pod got = WithoutUnservedRequests(
        pod, VectorList(row.at("node").at("allocatable"), "allocatable"), options);
    const Pod want = VectorPod(row.at("expected").at("pod"), "pod");
    CHECK(got.containers == want.containers);
    CHECK(got.init_containers == want.init_containers);
    CHECK(HasUnservedRequests(pod, VectorList(row.at("node").at("allocatable"), "allocatable"),
                              options) == (got != pod));
  } else if (op == "admit") {
    const json& want = row.at("expected").at("kubelet");
    const json& allocatable = row.at("node").at("allocatable");
    const std::vector<Pod> others = VectorPods(row.at("other_pods"));
    Decision d;
    REQUIRE(AdmitOnNode(allocatable, others, pod, options, d));
    if (want.contains("preempted_pods")) {
      // A critical pod: admitted through the kubelet's preemption path.
      CHECK(d.admitted == want.at("admit").get<bool>());
      REQUIRE(d.preemption.has_value());
      CHECK(d.preemption->found);
      CHECK(d.preemption->victims == want.at("preempted_pods").get<std::vector<std::string>>());
      std::vector<PreemptionNeed> shortfall;
      for (const json& s : want.at("shortfall")) {
        shortfall.push_back({s.at("resource").get<std::string>(), s.at("amount").get<int64_t>()});
      }
      CHECK(d.preemption->shortfall == shortfall);
      CHECK(want.at("event").at("reason") == kPreemptingReason);
      CHECK(want.at("event").at("message") == kPreemptionMessage);
    } else {
      CheckDecision(want, d);
      CheckVerdict(want, FitPodToNode(VectorList(allocatable, "allocatable"), pod, others,
                                      options));
    }
  } else {
    FAIL("unknown op " << op);
  }
}

TEST_CASE("node admission vectors: predicate_admit.json", "[node][admission][vectors]") {
  RunVectorRows("predicate_admit.json", LoadVectors("node_admission/predicate_admit.json"),
                [](const json& row) { PredicateRow(row); });
}

}  // namespace
}  // namespace podalloc::testing
