// Whole KubeletConfiguration files: a kubeadm-written YAML loads with its unread fields skipped
// and warnings for what the kubelet only accepts leniently; the plain form keeps its strict
// rules; node swap end to end (memory.swap.max in a decision, a swapping container's resize).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "node_test_support.h"
#include "podalloc/kubelet_config.h"
#include "podalloc/pod_json.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

using nlohmann::json;

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The example the README runs.
std::filesystem::path KubeadmExample() {
  return TestDataDir() / ".." / ".." / "tools" / "podalloc" / "testdata" / "kubelet-config.yaml";
}

TEST_CASE("kubelet config: a kubeadm-style YAML file loads with warnings", "[node][kubelet_config]") {
  absl::StatusOr<KubeletConfiguration> kc = LoadKubeletConfigFile(KubeadmExample().string());
  INFO(kc.status().message());
  REQUIRE(kc.ok());
  CHECK(kc->warnings ==
        std::vector<std::string>{
            "unknown field \"imageGCHighThreshold\": ignored, as the kubelet's lenient decoding "
            "does",
            "featureGates.RotateKubeletServerCertificate: not a gate podalloc models; ignored "
            "(the kubelet refuses names it does not know)"});
  const NodeConfig& c = kc->node_config;
  CHECK(c.warnings == kc->warnings);
  CHECK(c.cpu_manager_policy == "static");
  CHECK(c.reserved_system_cpus == *CpuSet::Parse("0-1"));
  CHECK(c.topology_manager_policy == "restricted");
  CHECK(c.topology_manager_scope == "pod");
  CHECK(c.memory_manager_policy == "Static");
  CHECK(c.reserved_memory.size() == 2);
  CHECK(c.feature_gates.pod_level_resource_managers);
  CHECK(c.memory_swap_behavior == "LimitedSwap");
  CHECK_FALSE(c.fail_swap_on);
  // The kubelet's defaults fill what the file leaves out, zero durations included.
  CHECK(c.max_pods == 110);
  CHECK(c.eviction_hard.at("memory.available").quantity == *Quantity::Parse("100Mi"));
  CHECK(kc->document["cpuManagerReconcilePeriod"] == "10s");
  CHECK(kc->document["cgroupDriver"] == "systemd");
  CHECK_FALSE(kc->document.contains("imageGCHighThreshold"));

  // Through ParseNodeConfig and onto a node: the warnings stay with it.
  absl::StatusOr<NodeConfig> parsed = ParseNodeConfig(ReadText(KubeadmExample()));
  REQUIRE(parsed.ok());
  CHECK(parsed->warnings == c.warnings);
  CHECK(parsed->reserved_memory.size() == c.reserved_memory.size());
  NodeOptions options;
  options.swap = NodeSwap{4 * kGi, true};
  auto node = Node::Create(MakeMachine(2, 2, 8, 16), *parsed, std::move(options));
  INFO(node.status().message());
  REQUIRE(node.ok());
  CHECK((*node)->Warnings() == kc->warnings);
}

TEST_CASE("kubelet config: strict then lenient decoding", "[node][kubelet_config]") {
  const std::string head = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";
  SECTION("duplicate and unknown fields are warnings; the last duplicate wins") {
    auto kc = DecodeKubeletConfiguration(head + "maxPods: 10\nmaxPods: 20\nfoo: 1\n"
                                                "authentication:\n  x509:\n    bogus: x\n");
    REQUIRE(kc.ok());
    CHECK(kc->node_config.max_pods == 20);
    CHECK(kc->warnings == std::vector<std::string>{
                              "duplicate field \"maxPods\" (line 4): the last value is used, as "
                              "the kubelet's lenient decoding does",
                              "unknown field \"authentication.x509.bogus\": ignored, as the "
                              "kubelet's lenient decoding does",
                              "unknown field \"foo\": ignored, as the kubelet's lenient decoding "
                              "does"});
  }
  SECTION("field names match case-sensitively") {
    auto kc = DecodeKubeletConfiguration(head + "CPUManagerPolicy: static\n");
    REQUIRE(kc.ok());
    CHECK(kc->node_config.cpu_manager_policy == "none");
    CHECK(kc->warnings.size() == 1);
  }
  SECTION("a wrong type fails, as strict and lenient decoding both do") {
    auto kc = DecodeKubeletConfiguration(head + "maxPods: \"110\"\n");
    REQUIRE_FALSE(kc.ok());
    CHECK(kc.status().message() ==
          "failed to decode: json: cannot unmarshal string into Go struct field "
          "KubeletConfiguration.maxPods of type int32");
    CHECK_FALSE(DecodeKubeletConfiguration(head + "cpuManagerReconcilePeriod: 10x\n").ok());
    CHECK_FALSE(DecodeKubeletConfiguration(head + "reservedSystemCPUs: 0\n").ok());
  }
  SECTION("validation errors are aggregated in the kubelet's words") {
    auto kc = DecodeKubeletConfiguration(head + "maxPods: -1\ntopologyManagerScope: node\n");
    REQUIRE_FALSE(kc.ok());
    CHECK(kc.status().message() ==
          "[invalid configuration: maxPods (--max-pods) -1 must not be a negative number, "
          "invalid configuration: topologyManagerScope (--topology-manager-scope) \"node\" must "
          "be one of: \"container\", or \"pod\"]");
  }
  SECTION("defaults: evictionHard only when absent, merged on request") {
    auto empty = DecodeKubeletConfiguration(head + "evictionHard: {}\n");
    REQUIRE(empty.ok());
    CHECK(empty->node_config.eviction_hard.empty());
    auto zero = DecodeKubeletConfiguration(head + "maxPods: 0\n");
    REQUIRE(zero.ok());
    CHECK(zero->node_config.max_pods == 110);  // Go's zero value takes the default
  }
  SECTION("NodeSwap is locked on") {
    auto kc = DecodeKubeletConfiguration(head + "featureGates:\n  NodeSwap: false\n");
    REQUIRE_FALSE(kc.ok());
    CHECK(kc.status().message() ==
          "cannot set feature gate NodeSwap to false, feature is locked to true");
  }
  SECTION("JSON with apiVersion and kind is a KubeletConfiguration too") {
    auto c = ParseNodeConfig(R"({"apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration", "cgroupDriver": "systemd", "x": 1, "x": 2})");
    REQUIRE(c.ok());
    CHECK(c->warnings.size() == 2);
    CHECK(c->eviction_hard.size() == 4);
  }
}

TEST_CASE("kubelet config: validation of a raw document never throws", "[node][kubelet_config]") {
  const json odd = {{"maxPods", -1e300}, {"podsPerCore", 1e300}, {"enforceNodeAllocatable", {1, "pods"}},
                    {"cgroupsPerQOS", "yes"}, {"featureGates", {{"MemoryQoS", "on"}}},
                    {"reservedMemory", {{{"numaNode", "x"}, {"limits", {{"memory", true}}}}}}};
  absl::Status s = ValidateKubeletConfiguration(odd);
  CHECK_FALSE(s.ok());
  CHECK(std::string(s.message()).find("maxPods (--max-pods) -9223372036854775808 must not be") !=
        std::string::npos);
  CHECK_FALSE(ValidateKubeletConfiguration(json::array()).ok());
  CHECK_FALSE(DecodeKubeletConfiguration("apiVersion: kubelet.config.k8s.io/v1beta1\n"
                                         "kind: KubeletConfiguration\nmaxPods: 1e300\n")
                  .ok());
}

TEST_CASE("kubelet config: the plain form keeps its strict rules", "[node][kubelet_config]") {
  CHECK(std::string(ParseNodeConfig(R"({"cgroupDriver": "systemd"})").status().message()) ==
        "cgroupDriver: unknown key (the accepted keys are listed in docs/node-config.md)");
  auto yaml = ParseNodeConfig("cpuManagerPolicy: static\nreservedSystemCPUs: \"0\"\n");
  REQUIRE(yaml.ok());
  CHECK(yaml->cpu_manager_policy == "static");
  CHECK(yaml->eviction_hard.empty());  // no kubelet defaults in the plain form
  CHECK(yaml->warnings.empty());
  // A repeated key keeps its last value, and says so (JSON and YAML alike).
  for (const char* twice : {"maxPods: 1\nmaxPods: 2\n", R"({"maxPods": 1, "maxPods": 2})"}) {
    auto c = ParseNodeConfig(twice);
    REQUIRE(c.ok());
    CHECK(c->max_pods == 2);
    REQUIRE(c->warnings.size() == 1);
    CHECK(c->warnings[0].rfind("duplicate field \"maxPods\"", 0) == 0);
  }
  CHECK_FALSE(ParseNodeConfig(R"({"featureGates": {"Bogus": true}})").ok());
  CHECK_FALSE(ParseNodeConfig(R"({"memorySwap": {"swapBehavior": "UnlimitedSwap"}})").ok());
  auto swap = ParseNodeConfig(R"({"memorySwap": {"swapBehavior": "LimitedSwap"},
                                  "failSwapOn": false})");
  REQUIRE(swap.ok());
  CHECK(swap->memory_swap_behavior == "LimitedSwap");
  CHECK_FALSE(swap->fail_swap_on);
}

TEST_CASE("kubelet config: a relative path resolves against the file's directory",
          "[node][kubelet_config]") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "podalloc-kubelet-config-test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "config.yaml";
  std::ofstream(file) << "kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\n"
                         "staticPodPath: manifests/../pods\n";
  auto kc = LoadKubeletConfigFile(file.string());
  REQUIRE(kc.ok());
  CHECK(kc->document["staticPodPath"] == (dir / "pods").string());
  std::ofstream(file, std::ios::trunc).flush();
  CHECK(LoadKubeletConfigFile(file.string()).status().message() ==
        "kubelet config file \"" + file.string() + "\" was empty");
  std::filesystem::remove_all(dir);
}

Pod ParsePodOk(const std::string& text) {
  auto pod = ParsePod(text);
  INFO(pod.status().message());
  REQUIRE(pod.ok());
  return *pod;
}

std::string FileOf(const ContainerDecision& c, const std::string& name) {
  for (const CgroupFile& f : c.cgroup_files) {
    if (f.name == name) return f.value;
  }
  return "(none)";
}

TEST_CASE("kubelet config: LimitedSwap on a node", "[node][kubelet_config][swap]") {
  NodeConfig config;
  config.memory_swap_behavior = "LimitedSwap";
  config.fail_swap_on = false;
  NodeOptions options;
  options.swap = NodeSwap{8 * kGi, true};
  // 2 NUMA nodes of 16Gi: 32Gi of memory, so a 1Gi request gets 1/32 of 8Gi.
  auto node = Node::Create(MakeMachine(1, 2, 4, 16), config, std::move(options));
  REQUIRE(node.ok());
  const Pod pod = ParsePodOk(R"({"metadata": {"uid": "p1"}, "spec": {"containers": [
      {"name": "swaps", "resources": {"requests": {"memory": "1Gi"}, "limits": {"memory": "2Gi"}},
       "resizePolicy": [{"resourceName": "memory", "restartPolicy": "NotRequired"}]},
      {"name": "even", "resources": {"limits": {"memory": "1Gi"}}},
      {"name": "restarts", "resources": {"requests": {"memory": "1Gi"}},
       "resizePolicy": [{"resourceName": "memory", "restartPolicy": "RestartContainer"}]}]}})");
  auto d = (*node)->AdmitAndCommit(pod);
  REQUIRE(d.ok());
  CHECK(FileOf(d->containers[0], "memory.swap.max") == "268435456");
  CHECK(FileOf(d->containers[1], "memory.swap.max") == "0");  // request = limit
  CHECK(FileOf(d->containers[2], "memory.swap.max") == "268435456");

  SECTION("a critical pod does not swap") {
    const Pod critical = ParsePodOk(R"({"metadata": {"uid": "p2",
        "annotations": {"kubernetes.io/config.source": "file"}}, "spec": {"containers": [
        {"name": "c", "resources": {"requests": {"memory": "1Gi"}}}]}})");
    auto dc = (*node)->Admit(critical);
    REQUIRE(dc.ok());
    CHECK(FileOf(dc->containers[0], "memory.swap.max") == "0");
  }
  SECTION("resizing a swapping container's memory request in place is Infeasible") {
    Pod resized = pod;
    resized.containers[0].resources.requests["memory"] = *Quantity::Parse("1536Mi");
    auto r = (*node)->Resize(resized);
    REQUIRE(r.ok());
    CHECK_FALSE(r->feasibility.feasible);
    CHECK(r->feasibility.reason == ResizeReason::kInfeasible);
    CHECK(r->feasibility.message == "In-place resize of containers with swap is not supported.");
    CHECK(r->feasibility.reason_detail == "swap_limitation");
    CHECK((*node)->MetricsText().find(
              "kubelet_pod_infeasible_resizes_total{reason_detail=\"swap_limitation\"} 1") !=
          std::string::npos);
    CHECK((*node)->AdmittedPod("p1") == pod);
  }
  SECTION("a container that restarts for memory may change its request") {
    Pod resized = pod;
    resized.containers[2].resources.requests["memory"] = *Quantity::Parse("512Mi");
    auto r = (*node)->Resize(resized);
    REQUIRE(r.ok());
    CHECK(r->feasibility.feasible);
    CHECK(r->restarted_containers == std::vector<std::string>{"restarts"});
  }
  SECTION("a limit-only change passes") {
    Pod resized = pod;
    resized.containers[0].resources.limits["memory"] = *Quantity::Parse("3Gi");
    auto r = (*node)->Resize(resized);
    REQUIRE(r.ok());
    CHECK(r->feasibility.feasible);
  }
}

TEST_CASE("kubelet config: swap on the machine needs failSwapOn false", "[node][kubelet_config][swap]") {
  NodeOptions options;
  options.swap = NodeSwap{kGi, true};
  auto node = Node::Create(MakeMachine(1, 1, 2, 4), NodeConfig{}, std::move(options));
  REQUIRE_FALSE(node.ok());
  CHECK(node.status().code() == absl::StatusCode::kFailedPrecondition);
  // Without the controller nothing about swap is written; with it NoSwap writes "0".
  for (const bool controller : {false, true}) {
    NodeOptions o;
    o.swap.controller_available = controller;
    auto n = Node::Create(MakeMachine(1, 1, 2, 4), NodeConfig{}, std::move(o));
    REQUIRE(n.ok());
    auto d = (*n)->Admit(ParsePodOk(R"({"spec": {"containers": [{"name": "c"}]}})"));
    REQUIRE(d.ok());
    CHECK(FileOf(d->containers[0], "memory.swap.max") == (controller ? "0" : "(none)"));
  }
}

}  // namespace
}  // namespace podalloc::testing
