// Every case of conformance/node_admission/kubelet_config.json and swap.json through the
// public API: DecodeKubeletConfiguration / LoadKubeletConfigFile (load_file, defaults,
// effective_eviction_hard), ValidateKubeletConfiguration (validate_config), the node's
// capacity and allocatable (node_allocatable), GenerateLinuxContainerResources and
// ContainerSwapBehavior (container_swap), CanResizePod (resize_swap_rule) and Node::Create
// (node_start).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "node_test_support.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/kubelet_config.h"
#include "podalloc/resize.h"
#include "podalloc/node.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

using nlohmann::json;

// The valid base configuration of TestValidateKubeletConfiguration (successConfig), the
// fields the validation reads. memoryReservationPolicy is a v1.36 field the stored test
// predates; "None" is its default, which every defaulted configuration carries.
json SuccessConfig() {
  return json{{"cgroupsPerQOS", true},
              {"enforceNodeAllocatable", {"pods", "system-reserved", "kube-reserved"}},
              {"systemReservedCgroup", "/system.slice"},
              {"kubeReservedCgroup", "/kubelet.service"},
              {"maxPods", 110},
              {"podsPerCore", 100},
              {"cpuCFSQuotaPeriod", "25ms"},
              {"topologyManagerScope", "pod"},
              {"topologyManagerPolicy", "single-numa-node"},
              {"memoryThrottlingFactor", 0.9},
              {"memoryReservationPolicy", "None"},
              {"featureGates",
               {{"CustomCPUCFSQuotaPeriod", true},
                {"GracefulNodeShutdown", true},
                {"MemoryQoS", true}}}};
}

const json& DefaultFields(const json& cases) {
  for (const json& c : cases) {
    if (c["op"] == "defaults") return c["expected"]["fields"];
  }
  FAIL("kubelet_config.json has no defaults case");
  static const json none;
  return none;
}

// A field whose expected default is null is unset: absent from the decoded document.
void CheckField(const json& document, const std::string& name, const json& expected) {
  INFO("field " << name << ": expected " << expected.dump() << ", document has "
                << (document.contains(name) ? document[name].dump() : "nothing"));
  if (expected.is_null()) {
    CHECK_FALSE(document.contains(name));
  } else {
    REQUIRE(document.contains(name));
    CHECK(document[name] == expected);
  }
}

void CheckError(const absl::Status& status, const json& expected) {
  INFO("error: " << status.message());
  REQUIRE_FALSE(status.ok());
  const std::string message(status.message());
  if (expected.contains("error_substring")) {
    CHECK(message.find(expected["error_substring"].get<std::string>()) != std::string::npos);
  }
  if (expected.contains("error_prefix")) {
    CHECK(message.rfind(expected["error_prefix"].get<std::string>(), 0) == 0);
  }
  if (expected.contains("error")) CHECK(message == expected["error"].get<std::string>());
}

void RunValidate(const json& v) {
  const json& expected = v["expected"];
  json doc = SuccessConfig();
  for (const auto& [name, value] : v["config_over_success_config"].items()) {
    if (value.is_null()) {
      doc.erase(name);
    } else if (name == "featureGates") {
      doc[name].update(value);
    } else {
      doc[name] = value;
    }
  }
  const absl::Status s = ValidateKubeletConfiguration(doc);
  if (expected.value("valid", false)) {
    INFO(s.message());
    CHECK(s.ok());
  } else {
    CheckError(s, expected);
  }
}

void RunLoadFile(const json& v, const json& defaults) {
  const json& expected = v["expected"];
  const std::filesystem::path path = v["file_path"].get<std::string>();
  absl::StatusOr<KubeletConfiguration> kc;
  if (v["file"].is_null()) {
    // A file that does not exist, read for real.
    const std::filesystem::path missing =
        std::filesystem::temp_directory_path() / "podalloc-no-such-dir" / path.filename();
    kc = LoadKubeletConfigFile(missing.string());
  } else {
    kc = DecodeKubeletConfiguration(v["file"].get<std::string>(), path.parent_path().string());
  }
  if (!expected.contains("config")) {
    CheckError(kc.status(), expected);
    return;
  }
  INFO("status: " << kc.status().message());
  REQUIRE(kc.ok());
  json want = defaults;
  const json overrides = expected.value("overrides", json::object());
  for (const auto& [name, value] : overrides.items()) want[name] = value;
  for (const auto& [name, value] : want.items()) CheckField(kc->document, name, value);
  // The kubelet logs "Using lenient decoding as strict decoding failed"; podalloc keeps the
  // reasons as warnings, and has none when strict decoding would have succeeded.
  CHECK(kc->warnings.empty() == !expected.value("lenient", false));
  CHECK(kc->node_config.warnings == kc->warnings);
}

void RunNodeAllocatable(const json& v) {
  const json& capacity = v["capacity"];
  const json& expected = v["expected"];
  // A one-NUMA-node machine with the capacity's CPUs, memory and 2Mi huge pages.
  TopologySpec spec;
  const int64_t cpus = Quantity::Parse(capacity["cpu"].get<std::string>())->Value();
  for (int i = 0; i < cpus; ++i) spec.cpus.push_back(CpuInfo{i, i, 0, 0, 0, 0});
  NumaNodeInfo numa{0, static_cast<uint64_t>(
                           Quantity::Parse(capacity["memory"].get<std::string>())->Value()),
                    {}};
  if (capacity.contains("hugepages-2Mi")) {
    const int64_t bytes = Quantity::Parse(capacity["hugepages-2Mi"].get<std::string>())->Value();
    numa.hugepages.push_back(HugePages{2u << 20, static_cast<uint64_t>(bytes) >> 21});
  }
  spec.numa_nodes.push_back(numa);
  const Topology machine = *Topology::Build(spec);

  json doc = v["config"];
  doc["apiVersion"] = kKubeletConfigApiVersion;
  doc["kind"] = kKubeletConfigKind;
  doc["maxPods"] = Quantity::Parse(capacity["pods"].get<std::string>())->Value();
  absl::StatusOr<KubeletConfiguration> kc = DecodeKubeletConfiguration(doc.dump());
  INFO("decode: " << kc.status().message());
  REQUIRE(kc.ok());
  if (expected.contains("error_prefix")) {
    CheckError(Node::Create(machine, kc->node_config).status(), expected);
    return;
  }
  const ResourceList reservation = NodeAllocatableReservation(machine, kc->node_config);
  const ResourceList allocatable = NodeAllocatable(machine, kc->node_config);
  auto check = [](const ResourceList& got, const json& want, const char* what) {
    for (const auto& [name, text] : want.items()) {
      if (name == "ephemeral-storage") {
        // The machine description has no root filesystem, so there is no ephemeral-storage
        // capacity for nodefs.available's percentage to apply to.
        WARN(what << " ephemeral-storage not compared: podalloc has no root filesystem "
                     "capacity (expected "
                  << text.get<std::string>() << ")");
        continue;
      }
      INFO(what << " " << name);
      const Quantity* q = FindResource(got, name);
      REQUIRE(q != nullptr);
      CHECK(*q == *Quantity::Parse(text.get<std::string>()));
    }
  };
  check(reservation, expected["reservation"], "reservation");
  check(allocatable, expected["allocatable"], "allocatable");
}

TEST_CASE("kubelet config vectors: kubelet_config.json through the public API",
          "[node][kubelet_config][conformance]") {
  const json vectors = LoadVectors("node_admission/kubelet_config.json");
  const json& defaults = DefaultFields(vectors["cases"]);
  REQUIRE(vectors["cases"].size() >= 21);
  for (const json& v : vectors["cases"]) {
    const std::string op = v["op"];
    DYNAMIC_SECTION(v["name"].get<std::string>()) {
      const json& expected = v["expected"];
      if (op == "load_file") {
        RunLoadFile(v, defaults);
      } else if (op == "validate_config") {
        RunValidate(v);
      } else if (op == "defaults") {
        absl::StatusOr<KubeletConfiguration> kc =
            DecodeKubeletConfiguration(v["file"].get<std::string>());
        REQUIRE(kc.ok());
        for (const auto& [name, value] : expected["fields"].items()) {
          CheckField(kc->document, name, value);
        }
      } else if (op == "effective_eviction_hard") {
        json doc = v["config"];
        doc["apiVersion"] = kKubeletConfigApiVersion;
        doc["kind"] = kKubeletConfigKind;
        absl::StatusOr<KubeletConfiguration> kc = DecodeKubeletConfiguration(doc.dump());
        REQUIRE(kc.ok());
        CHECK(kc->document["evictionHard"] == expected["evictionHard"]);
      } else if (op == "node_allocatable") {
        RunNodeAllocatable(v);
      } else {
        FAIL("unknown op " << op);
      }
    }
  }
}

ResourceList ListOf(const json& j) {
  ResourceList out;
  for (const auto& [name, text] : j.items()) out[name] = *Quantity::Parse(text.get<std::string>());
  return out;
}

// The vectors' pod schema (README.md): containers with requests and limits, pod-level
// resources, priority, static and mirror; defaulted as the API server stores it.
Pod PodOf(const json& p) {
  Pod pod;
  pod.uid = "swap-pod";
  for (const json& c : p.value("containers", json::array())) {
    Container container;
    container.name = c["name"];
    container.resources.requests = ListOf(c.value("requests", json::object()));
    container.resources.limits = ListOf(c.value("limits", json::object()));
    pod.containers.push_back(container);
  }
  if (p.contains("resources")) {
    pod.resources = ResourceRequirements{ListOf(p["resources"].value("requests", json::object())),
                                         ListOf(p["resources"].value("limits", json::object()))};
  }
  if (p.contains("priority")) pod.priority = p["priority"].get<int32_t>();
  if (p.value("static", false)) pod.config_source = "file";
  pod.mirror = p.value("mirror", false);
  DefaultContainerRequests(pod);
  return pod;
}

void RunContainerSwap(const json& v) {
  const json& node = v["node"];
  NodeCgroupSettings settings;
  settings.cgroup_version = node["cgroup_version"] == "v1" ? CgroupVersion::kV1 : CgroupVersion::kV2;
  settings.node_memory_capacity = node["memory_capacity"].get<int64_t>();
  settings.swap.swap_capacity = node["swap_capacity"].get<int64_t>();
  settings.swap.controller_available = node["swap_controller_available"].get<bool>();
  settings.swap.node_swap_gate = v["feature_gates"].value("NodeSwap", true);
  settings.swap.behavior = *ParseSwapBehavior(v["memory_swap_behavior"].get<std::string>());
  const Pod pod = PodOf(v["pod"]);
  for (const auto& [name, want] : v["expected"].items()) {
    INFO("container " << name);
    const Container* c = FindContainer(pod, name);
    REQUIRE(c != nullptr);
    absl::StatusOr<LinuxContainerResources> r =
        GenerateLinuxContainerResources(pod, *c, settings, /*has_exclusive_cpus=*/false);
    INFO(r.status().message());
    REQUIRE(r.ok());
    const auto swap_max = r->unified.find("memory.swap.max");
    if (!want.value("swap_configured", true)) {
      CHECK(swap_max == r->unified.end());
      CHECK(r->memory_swap_limit_in_bytes == 0);
      continue;
    }
    CHECK(SwapBehaviorName(ContainerSwapBehavior(pod, *c, settings)) ==
          want["behavior"].get<std::string>());
    if (want.contains("memory.swap.max")) {
      REQUIRE(swap_max != r->unified.end());
      CHECK(swap_max->second == want["memory.swap.max"].get<std::string>());
    }
    if (want.contains("memory_swap_limit_in_bytes")) {
      CHECK(swap_max == r->unified.end());
      CHECK(r->memory_swap_limit_in_bytes == want["memory_swap_limit_in_bytes"].get<int64_t>());
    }
    if (want.contains("log")) {
      // The kubelet logs why the share could not be computed and writes NoSwap's value.
      const absl::StatusOr<int64_t> share = LimitedSwapBytes(
          ResourceOrZero(c->resources.requests, kResourceMemory).Value(),
          settings.node_memory_capacity, settings.swap.swap_capacity);
      CHECK_FALSE(share.ok());
    }
  }
}

// One Burstable container (memory request below its limit, so LimitedSwap applies when
// configured) resized from old_requests to new_requests.
void RunResizeSwapRule(const json& v) {
  ResizeFeasibilityInputs in;
  in.node_allocatable = {{"cpu", Quantity::FromValue(64)},
                         {"memory", Quantity::FromValue(int64_t{1} << 40)}};
  in.config.cgroup.node_memory_capacity = int64_t{1} << 40;
  in.config.cgroup.swap.controller_available = true;
  in.config.cgroup.swap.swap_capacity = int64_t{1} << 34;
  in.config.cgroup.swap.behavior =
      *ParseSwapBehavior(v["container_swap_behavior_before_and_after"].get<std::string>());
  in.admit_result = AdmitResult{};
  in.admit_result->admit = true;
  Container c;
  c.name = "c";
  c.resources.requests = ListOf(v["new_requests"]);
  c.resources.limits = {{"memory", Quantity::FromValue(int64_t{1} << 36)}};
  if (!v["memory_resize_policy"].is_null()) {
    c.resize_policy.push_back({"memory", v["memory_resize_policy"].get<std::string>()});
  }
  in.pod.uid = "resized";
  in.pod.containers.push_back(c);
  in.allocation.containers["c"] = ResourceRequirements{ListOf(v["old_requests"]), c.resources.limits};
  const ResizeFeasibility f = CanResizePod(in);
  const json& expected = v["expected"];
  CHECK(f.feasible == !expected["blocked"].get<bool>());
  if (expected["blocked"].get<bool>()) {
    CHECK(ResizeReasonName(f.reason) == expected["reason"].get<std::string>());
    CHECK(f.message == expected["message"].get<std::string>());
    CHECK(f.reason_detail == expected["metric_reason_detail"].get<std::string>());
  }
}

void RunNodeStart(const json& v) {
  json doc = v["config"];
  doc["apiVersion"] = kKubeletConfigApiVersion;
  doc["kind"] = kKubeletConfigKind;
  absl::StatusOr<KubeletConfiguration> kc = DecodeKubeletConfiguration(doc.dump());
  REQUIRE(kc.ok());
  NodeOptions options;
  options.swap.capacity_bytes = v["node"]["swap_on"].get<bool>() ? kGi : 0;
  options.swap.controller_available = true;
  CheckError(Node::Create(MakeMachine(1, 1, 2, 4), kc->node_config, std::move(options)).status(),
             v["expected"]);
}

TEST_CASE("kubelet config vectors: swap.json through the public API",
          "[node][kubelet_config][swap][conformance]") {
  const json vectors = LoadVectors("node_admission/swap.json");
  REQUIRE(vectors["cases"].size() >= 21);
  for (const json& v : vectors["cases"]) {
    const std::string op = v["op"];
    DYNAMIC_SECTION(v["name"].get<std::string>()) {
      if (op == "container_swap") {
        RunContainerSwap(v);
      } else if (op == "resize_swap_rule") {
        RunResizeSwapRule(v);
      } else if (op == "validate_config") {
        RunValidate(v);
      } else if (op == "node_start") {
        RunNodeStart(v);
      } else {
        FAIL("unknown op " << op);
      }
    }
  }
}

}  // namespace
}  // namespace podalloc::testing
