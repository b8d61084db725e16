// Device plugins on the node: the device manager as the first hint provider, devices allocated
// with the CPUs and memory all or nothing, released with the pod, checkpointed and restored.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "node_test_support.h"
#include "podalloc/decision_json.h"
#include "podalloc/node_checkpoint.h"

namespace podalloc::testing {
namespace {

constexpr char kGpu[] = "nvidia.com/gpu";
constexpr char kNic[] = "example.com/nic";

// 8 NUMA nodes of 16 CPUs and 40Gi; CPU 0 reserved, 1Gi reserved per node.
std::unique_ptr<Node> MakeNode(const std::string& policy, const std::string& scope = "container") {
  NodeConfig config = PodLevelConfig(policy, scope, 8);
  auto node = Node::Create(MakeMachine(2, 4, 8, 40), std::move(config));
  INFO((node.ok() ? "" : std::string(node.status().message())));
  REQUIRE(node.ok());
  return std::move(*node);
}

PluginDevice Device(const std::string& id, int numa) {
  PluginDevice d;
  d.id = id;
  d.numa_nodes = std::vector<int64_t>{numa};
  return d;
}

// Ten GPUs, two on NUMA nodes 2 and 5 and one on every other node; two NICs.
void RegisterDevices(Node& node) {
  std::vector<PluginDevice> gpus;
  for (int n = 0; n < 8; ++n) {
    gpus.push_back(Device("gpu-" + std::to_string(n) + "a", n));
    if (n == 2 || n == 5) gpus.push_back(Device("gpu-" + std::to_string(n) + "b", n));
  }
  REQUIRE(node.SetDeviceResource(kGpu, gpus).ok());
  REQUIRE(node.SetDeviceResource(kNic, {Device("nic-0", 0), Device("nic-1", 4)}).ok());
}

Pod GpuPod(const std::string& uid, int gpus, const std::string& cpu = "16",
           const std::string& memory = "32Gi") {
  Pod pod = MakePod(uid, "", "", {{"app", cpu, memory}});
  const Quantity n = Quantity::FromValue(gpus);
  pod.containers[0].resources.requests[kGpu] = n;
  pod.containers[0].resources.limits[kGpu] = n;
  return pod;
}

NumaMask Mask(int node) {
  NumaMask m;
  m.Set(node);
  return m;
}

TEST_CASE("node devices: single-numa-node puts GPU pods where their GPUs are",
          "[node][devices]") {
  auto node = MakeNode("single-numa-node");
  RegisterDevices(*node);
  const std::vector<std::pair<int, std::vector<std::string>>> expected = {
      {2, {"gpu-2a", "gpu-2b"}}, {5, {"gpu-5a", "gpu-5b"}}};
  for (size_t i = 0; i < expected.size(); ++i) {
    auto d = node->AdmitAndCommit(GpuPod("gpu-" + std::to_string(i), 2));
    REQUIRE(d.ok());
    INFO(d->message);
    REQUIRE(d->admitted);
    const ContainerDecision& c = d->containers[0];
    REQUIRE(c.hint.has_value());
    CHECK(c.hint->affinity == Mask(expected[i].first));
    CHECK(c.cpus.IsSubsetOf(node->topology().CpusInNumaNode(expected[i].first)));
    CHECK(c.memory_nodes == Mask(expected[i].first));
    CHECK(c.devices == std::map<std::string, std::vector<std::string>>{{kGpu, expected[i].second}});
    const nlohmann::json j = nlohmann::json::parse(DecisionToJson(*d));
    CHECK(j["containers"][0]["devices"] == nlohmann::json{{kGpu, expected[i].second}});
  }
  const Unchanged unchanged(*node);
  auto third = node->Admit(GpuPod("gpu-2", 2));
  REQUIRE(third.ok());
  CHECK_FALSE(third->admitted);
  CHECK(third->reason == "TopologyAffinityError");
  CHECK(third->message == "Resources cannot be allocated with Topology locality");
  REQUIRE(third->topology_rejection.has_value());
  CHECK(third->topology_rejection->merge.blocking_provider == "device_manager");
  CHECK(third->containers[0].devices.empty());
  REQUIRE(node->Commit(*third).ok());
  unchanged.Check();
  CHECK(node->MetricsText().find(
            "kubelet_device_plugin_registration_total{resource_name=\"nvidia.com/gpu\"} 1") !=
        std::string::npos);
}

TEST_CASE("node devices: pod scope and the kubelet's allocation error", "[node][devices]") {
  SECTION("pod scope merges the device hints once for the pod") {
    auto node = MakeNode("single-numa-node", "pod");
    RegisterDevices(*node);
    auto d = node->AdmitAndCommit(GpuPod("gpu", 2));
    REQUIRE(d.ok());
    REQUIRE(d->admitted);
    REQUIRE(d->pod_hint.has_value());
    CHECK(d->pod_hint->affinity == Mask(2));
    CHECK(d->containers[0].devices.at(kGpu) == std::vector<std::string>{"gpu-2a", "gpu-2b"});
  }
  SECTION("too many devices: UnexpectedAdmissionError with the device manager's text") {
    auto node = MakeNode("none");
    RegisterDevices(*node);
    const Unchanged unchanged(*node);
    auto d = node->Admit(GpuPod("greedy", 11, "1", "1Gi"));
    REQUIRE(d.ok());
    CHECK_FALSE(d->admitted);
    CHECK(d->reason == "UnexpectedAdmissionError");
    CHECK(d->message ==
          "Allocate failed due to requested number of devices unavailable for nvidia.com/gpu. "
          "Requested: 11, Available: 10, which is unexpected");
    unchanged.Check();
  }
  SECTION("an unhealthy device is not in allocatable") {
    auto node = MakeNode("none");
    PluginDevice sick = Device("gpu-x", 1);
    sick.health = "Unhealthy";
    REQUIRE(node->SetDeviceResource(kGpu, {Device("gpu-y", 1), sick}).ok());
    CHECK(node->Allocatable().at(kGpu) == Quantity::FromValue(1));
    auto d = node->Admit(GpuPod("two", 2, "1", "1Gi"));
    REQUIRE(d.ok());
    CHECK_FALSE(d->admitted);
    CHECK(d->reason == "UnexpectedAdmissionError");
  }
}

TEST_CASE("node devices: the plugin's GetPreferredAllocation picks among aligned devices",
          "[node][devices]") {
  auto node = MakeNode("single-numa-node");
  // Two GPUs on every NUMA node, so a one-GPU container has a choice.
  const auto register_gpus = [&node]() {
    std::vector<PluginDevice> gpus;
    for (int n = 0; n < 8; ++n) {
      gpus.push_back(Device("gpu-" + std::to_string(n) + "a", n));
      gpus.push_back(Device("gpu-" + std::to_string(n) + "b", n));
    }
    REQUIRE(node->SetDeviceResource(kGpu, gpus).ok());
  };
  register_gpus();
  std::vector<std::vector<std::string>> offers;
  // The plugin prefers the last device it is offered (and names one it was not offered).
  PreferredAllocationFn last = [&offers](const std::vector<std::string>& available,
                                         const std::vector<std::string>& must, int size)
      -> absl::StatusOr<std::vector<std::string>> {
    offers.push_back(available);
    CHECK(must.empty());
    CHECK(size == 1);
    return std::vector<std::string>{"gpu-9z", available.back()};
  };
  SECTION("its answer wins over ascending IDs, and it outlives a new device list") {
    auto before = node->Admit(GpuPod("one", 1, "8"));
    REQUIRE(before.ok());
    REQUIRE(before->admitted);
    CHECK(before->containers[0].devices.at(kGpu) == std::vector<std::string>{"gpu-0a"});
    REQUIRE(node->SetDevicePreferredAllocation(kGpu, last).ok());
    register_gpus();  // the plugin lists its devices again
    auto d = node->Admit(GpuPod("one", 1, "8"));
    REQUIRE(d.ok());
    REQUIRE(d->admitted);
    // Both GPUs of NUMA node 0 are offered; the plugin's choice is taken.
    CHECK(d->containers[0].devices.at(kGpu) == std::vector<std::string>{"gpu-0b"});
    REQUIRE(offers.size() == 1);
    CHECK(offers[0] == std::vector<std::string>{"gpu-0a", "gpu-0b"});
  }
  SECTION("an error refuses the pod and changes nothing") {
    REQUIRE(node->SetDevicePreferredAllocation(
                     kGpu,
                     [](const std::vector<std::string>&, const std::vector<std::string>&, int)
                         -> absl::StatusOr<std::vector<std::string>> {
                       return absl::UnavailableError("plugin socket closed");
                     })
                .ok());
    const Unchanged unchanged(*node);
    auto d = node->Admit(GpuPod("one", 1, "8"));
    REQUIRE(d.ok());
    CHECK_FALSE(d->admitted);
    CHECK(d->reason == "UnexpectedAdmissionError");
    CHECK_THAT(d->message, Catch::Contains("GetPreferredAllocation rpc failed with err: plugin "
                                           "socket closed"));
    unchanged.Check();
  }
  SECTION("unset, removed with the resource, unknown resources") {
    REQUIRE(node->SetDevicePreferredAllocation(kGpu, last).ok());
    REQUIRE(node->SetDevicePreferredAllocation(kGpu, nullptr).ok());
    auto d = node->Admit(GpuPod("one", 1, "8"));
    REQUIRE(d.ok());
    CHECK(d->containers[0].devices.at(kGpu) == std::vector<std::string>{"gpu-0a"});
    CHECK(offers.empty());
    REQUIRE(node->SetDevicePreferredAllocation(kGpu, last).ok());
    REQUIRE(node->RemoveDeviceResource(kGpu).ok());
    register_gpus();
    d = node->Admit(GpuPod("one", 1, "8"));
    REQUIRE(d.ok());
    CHECK(d->containers[0].devices.at(kGpu) == std::vector<std::string>{"gpu-0a"});
    CHECK(offers.empty());
    CHECK(node->SetDevicePreferredAllocation("example.com/none", last).code() ==
          absl::StatusCode::kNotFound);
  }
}

TEST_CASE("node devices: a device request no plugin registered is left out, and said",
          "[node][devices]") {
  // The kubelet drops extended resources missing from allocatable from the fit (a pod may
  // predate its plugin's registration) and its device manager skips them.
  auto node = MakeNode("single-numa-node");
  auto d = node->Admit(GpuPod("early", 2, "4", "4Gi"));
  REQUIRE(d.ok());
  CHECK(d->admitted);
  CHECK(d->containers[0].devices.empty());
  CHECK_THAT(absl::StrJoin(d->reasons, "\n"),
             Catch::Contains("resource fit: nvidia.com/gpu not in the node's allocatable"));
  RegisterDevices(*node);
  d = node->Admit(GpuPod("late", 2, "4", "4Gi"));
  REQUIRE(d.ok());
  CHECK(d->containers[0].devices.at(kGpu).size() == 2);
  CHECK_THAT(absl::StrJoin(d->reasons, "\n"), !Catch::Contains("resource fit:"));
}

TEST_CASE("node devices: release with the pod, bad registrations", "[node][devices]") {
  auto node = MakeNode("single-numa-node");
  RegisterDevices(*node);
  REQUIRE(node->AdmitAndCommit(GpuPod("a", 2)).ok());
  CHECK(node->State().devices.in_use().at(kGpu).size() == 2);
  REQUIRE(node->RemovePod("a").ok());
  CHECK(node->State().devices.in_use().empty());
  auto again = node->AdmitAndCommit(GpuPod("b", 2));
  REQUIRE(again.ok());
  CHECK(again->containers[0].devices.at(kGpu) == std::vector<std::string>{"gpu-2a", "gpu-2b"});

  const Unchanged unchanged(*node);
  CHECK(node->SetDeviceResource("cpu", {}).code() == absl::StatusCode::kInvalidArgument);
  CHECK(node->SetDeviceResource(kNic, {Device("x", 9)}).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(node->SetDeviceResource(kNic, {Device("x", 1), Device("x", 2)}).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(node->RemoveDeviceResource("example.com/none").code() == absl::StatusCode::kNotFound);
  unchanged.Check();

  REQUIRE(node->RemoveDeviceResource(kNic).ok());
  CHECK(node->DeviceResources().count(kNic) == 0);
  CHECK(node->Allocatable().count(kNic) == 0);
}

TEST_CASE("node devices: a resize keeps the pod's devices", "[node][devices]") {
  auto node = MakeNode("single-numa-node");
  RegisterDevices(*node);
  Pod pod = GpuPod("burstable", 1, "1", "1Gi");
  pod.containers[0].resources.limits["cpu"] = *Quantity::Parse("2");
  auto d = node->AdmitAndCommit(pod);
  REQUIRE(d.ok());
  REQUIRE(d->admitted);
  const auto held = node->State().devices.pod_devices();
  REQUIRE(held.size() == 1);
  Pod desired = pod;
  desired.containers[0].resources.requests["cpu"] = *Quantity::Parse("2");
  desired.containers[0].resources.limits["cpu"] = *Quantity::Parse("3");
  auto r = node->Resize(desired);
  REQUIRE(r.ok());
  CHECK(r->applied);
  CHECK(node->State().devices.pod_devices() == held);
  CHECK(node->AdmittedPod("burstable")->containers[0].resources.limits.at("cpu") ==
        *Quantity::Parse("3"));
}

TEST_CASE("node devices: checkpoint round trip decides the same", "[node][devices]") {
  auto node = MakeNode("single-numa-node");
  RegisterDevices(*node);
  std::vector<Pod> pods = {GpuPod("p0", 2), GpuPod("p1", 2)};
  for (const Pod& p : pods) REQUIRE(node->AdmitAndCommit(p).ok());
  auto files = SaveCheckpoints(*node);
  REQUIRE(files.ok());
  CHECK(files->device_manager.find("gpu-5b") != std::string::npos);

  auto restored = MakeNode("single-numa-node");
  REQUIRE(RestoreFromCheckpoints(*restored, files->cpu_manager, files->memory_manager,
                                 files->device_manager, pods)
              .ok());
  CHECK(restored->State().devices.pod_devices() == node->State().devices.pod_devices());
  RegisterDevices(*restored);
  auto a = node->Admit(GpuPod("p2", 2));
  auto b = restored->Admit(GpuPod("p2", 2));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK_FALSE(b->admitted);
  CHECK(a->reason == b->reason);
  CHECK(a->containers == b->containers);
  // One GPU still fits, on the same node on both.
  auto c = node->Admit(GpuPod("p3", 1));
  auto e = restored->Admit(GpuPod("p3", 1));
  REQUIRE(c.ok());
  REQUIRE(e.ok());
  CHECK(c->admitted);
  CHECK(c->containers == e->containers);

  SECTION("a device entry of a pod not listed is refused") {
    auto other = MakeNode("single-numa-node");
    const Unchanged unchanged(*other);
    auto s = RestoreFromCheckpoints(*other, "", "", files->device_manager, {pods[0]});
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    unchanged.Check();
  }
}

}  // namespace
}  // namespace podalloc::testing
