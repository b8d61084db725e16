// The machine, configuration and pods of the node subcommands, and the built-in example that
// --default stands for.
#include "node_inputs.h"

#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli_flags.h"
#include "device_file.h"
#include "podalloc/discovery.h"
#include "podalloc/status_macros.h"
#include "pod_files.h"
#include "podalloc/node_checkpoint.h"

namespace podalloc::cli {
namespace {

constexpr char kDefaultSynthetic[] = "pack:2 numa:2 core:8 pu:2";
constexpr uint64_t kGiB = uint64_t{1} << 30;

constexpr char kDefaultConfig[] = R"({
  "cpuManagerPolicy": "static",
  "reservedSystemCPUs": "0-1",
  "topologyManagerPolicy": "restricted",
  "topologyManagerScope": "pod",
  "memoryManagerPolicy": "Static",
  "reservedMemory": [
    {"numaNode": 0, "limits": {"memory": "1Gi"}}, {"numaNode": 1, "limits": {"memory": "1Gi"}},
    {"numaNode": 2, "limits": {"memory": "1Gi"}}, {"numaNode": 3, "limits": {"memory": "1Gi"}}
  ],
  "featureGates": {"PodLevelResources": true, "PodLevelResourceManagers": true}
})";

// Four GPUs, two on NUMA node 1 and two on NUMA node 3.
constexpr char kDefaultDevices[] = R"({
  "nvidia.com/gpu": [{"id": "gpu-0", "numaNodes": [1]}, {"id": "gpu-1", "numaNodes": [1]},
                     {"id": "gpu-2", "numaNodes": [3]}, {"id": "gpu-3", "numaNodes": [3]}]
})";

// The KEP-5526 examples under scope pod: shared only, mixed, and the empty-shared-pool
// rejection, then a pod with a sidecar and an init container, a Burstable pod, and a
// Guaranteed pod with two GPUs, which the device hints put on a GPU node.
constexpr char kDefaultPods[] = R"([
 {"metadata": {"name": "kep-shared-only", "namespace": "default", "uid": "pod-1"},
  "spec": {"resources": {"requests": {"cpu": "4", "memory": "4Gi"},
                         "limits": {"cpu": "4", "memory": "4Gi"}},
           "containers": [{"name": "c1"}, {"name": "c2"}, {"name": "c3"}]}},
 {"metadata": {"name": "kep-mixed", "namespace": "default", "uid": "pod-2"},
  "spec": {"resources": {"requests": {"cpu": "4", "memory": "4Gi"},
                         "limits": {"cpu": "4", "memory": "4Gi"}},
           "containers": [
             {"name": "c1", "resources": {"requests": {"cpu": "2", "memory": "2Gi"},
                                          "limits": {"cpu": "2", "memory": "2Gi"}}},
             {"name": "c2"}, {"name": "c3"}]}},
 {"metadata": {"name": "kep-empty-shared-pool", "namespace": "default", "uid": "pod-3"},
  "spec": {"resources": {"requests": {"cpu": "5", "memory": "5Gi"},
                         "limits": {"cpu": "5", "memory": "5Gi"}},
           "containers": [
             {"name": "c1", "resources": {"requests": {"cpu": "3", "memory": "3Gi"},
                                          "limits": {"cpu": "3", "memory": "3Gi"}}},
             {"name": "c2", "resources": {"requests": {"cpu": "2", "memory": "2Gi"},
                                          "limits": {"cpu": "2", "memory": "2Gi"}}},
             {"name": "c3"}]}},
 {"metadata": {"name": "sidecar-and-init", "namespace": "default", "uid": "pod-4"},
  "spec": {"resources": {"requests": {"cpu": "6", "memory": "6Gi"},
                         "limits": {"cpu": "6", "memory": "6Gi"}},
           "initContainers": [
             {"name": "proxy", "restartPolicy": "Always",
              "resources": {"requests": {"cpu": "1", "memory": "1Gi"},
                            "limits": {"cpu": "1", "memory": "1Gi"}}},
             {"name": "setup"}],
           "containers": [
             {"name": "app", "resources": {"requests": {"cpu": "3", "memory": "3Gi"},
                                           "limits": {"cpu": "3", "memory": "3Gi"}}},
             {"name": "logger"}]}},
 {"metadata": {"name": "burstable", "namespace": "default", "uid": "pod-5"},
  "spec": {"containers": [{"name": "web", "resources": {"requests": {"cpu": "500m",
                                                                      "memory": "256Mi"}}}]}},
 {"metadata": {"name": "gpu-trainer", "namespace": "default", "uid": "pod-6"},
  "spec": {"containers": [
             {"name": "trainer",
              "resources": {"requests": {"cpu": "4", "memory": "4Gi", "nvidia.com/gpu": "2"},
                            "limits": {"cpu": "4", "memory": "4Gi", "nvidia.com/gpu": "2"}}}]}}
])";

// The built-in machine for --default, else the one the flags name.
absl::StatusOr<Topology> NodeMachine(const MachineSource& m) {
  if (m.kind != "default") return LoadMachine(m);
  SyntheticExtras extras;
  extras.name = "podalloc default";
  for (int n = 0; n < 4; ++n) extras.numa_memory_bytes[n] = 16 * kGiB;
  return FromHwlocSynthetic(kDefaultSynthetic, extras);
}

}  // namespace

void AddNodeInputFlags(CLI::App& app, NodeInputs& inputs) {
  AddMachineFlags(app, inputs.machine, MachineFlags::kNode);
  const std::string group = "node";
  // A file (or several: a vector) named by a flag.
  auto files = [&app, &group](const std::string& name, auto& target, const std::string& type,
                              const std::string& description) {
    app.add_option(name, target, description)->type_name(type)->group(group);
  };
  files("--config", inputs.config_file, "C",
        "the node configuration, YAML or JSON: a KubeletConfiguration file\n"
        "(unknown and duplicate fields are warnings, printed to stderr) or the\n"
        "plain form of docs/node-config.md");
  files("--pods", inputs.pod_files, "P",
        "Kubernetes Pod files, YAML or JSON: one pod, a list of pods, a v1 List,\n"
        "or several YAML documents");
  AddQuantityFlag(
      app, "--swap", /*allow_zero=*/true, [&inputs](const Quantity& q) { inputs.swap = q; },
      "the machine has Q of swap (e.g. 4Gi) and the swap cgroup controller\n"
      "(memory.swap.max); needs failSwapOn: false, and memorySwap.swapBehavior:\n"
      "LimitedSwap for containers to swap")
      ->group(group);
  files("--running", inputs.running_files, "P",
        "the pods already running on the node (the --pods forms), restored\n"
        "with the checkpoint files below; pods without entries run in the shared\n"
        "pool. A container removed from a running pod is named in its annotation\n"
        "podalloc.dev/removed-containers");
  files("--cpu-state", inputs.cpu_state_file, "F",
        "the kubelet's cpu_manager_state file (may be left out: a missing file)");
  files("--memory-state", inputs.memory_state_file, "F",
        "the kubelet's memory_manager_state file (may be left out)");
  files("--device-state", inputs.device_state_file, "F",
        "the device manager's kubelet_internal_checkpoint for the running pods");
  files("--devices", inputs.devices_file, "F",
        "the device plugins' devices, JSON: {\"nvidia.com/gpu\": [{\"id\": \"gpu-0\",\n"
        "\"numaNodes\": [0], \"healthy\": true}, ...], ...} (docs/node-config.md)");
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

// The running pods and checkpoint files into `node`, as the kubelet restores them at start.
absl::Status RestoreRunning(const NodeInputs& inputs, Node& node) {
  PodsToRestore running;
  for (const std::string& file : inputs.running_files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    absl::StatusOr<PodsToRestore> pods = RunningPods(*text, file);
    if (!pods.ok()) return pods.status();
    for (Pod& p : pods->pods) running.pods.push_back(std::move(p));
    for (auto& [key, names] : pods->removed) running.removed[key].merge(names);
  }
  std::string files[3];
  const std::string* names[3] = {&inputs.cpu_state_file, &inputs.memory_state_file,
                                 &inputs.device_state_file};
  for (int k = 0; k < 3; ++k) {
    if (names[k]->empty()) continue;
    absl::StatusOr<std::string> text = ReadFile(*names[k]);
    if (!text.ok()) return text.status();
    files[k] = *std::move(text);
  }
  absl::Status restored = RestoreFromCheckpoints(node, files[0], files[1], files[2],
                                                 std::move(running.pods), running.removed);
  if (!restored.ok()) {
    return absl::Status(restored.code(),
                        absl::StrCat("restoring the running pods: ", restored.message()));
  }
  return absl::OkStatus();
}

// The device plugins register: --devices, or the built-in GPUs of --default.
absl::Status RegisterDevices(const NodeInputs& inputs, Node& node) {
  std::string text;
  std::string origin = inputs.devices_file;
  if (!inputs.devices_file.empty()) {
    PODALLOC_ASSIGN_OR_RETURN(text, ReadFile(inputs.devices_file));
  } else if (inputs.machine.kind == "default") {
    text = kDefaultDevices;
    origin = "built-in devices";
  } else {
    return absl::OkStatus();
  }
  PODALLOC_ASSIGN_OR_RETURN(auto resources, ParseDeviceFile(text, origin));
  for (auto& [resource, devices] : resources) {
    absl::Status s = node.SetDeviceResource(resource, std::move(devices));
    if (!s.ok()) return absl::Status(s.code(), absl::StrCat(origin, ": ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LoadedNode> LoadNode(const NodeInputs& inputs, const std::string& command,
                                    std::ostream& warnings) {
  absl::StatusOr<Topology> machine = NodeMachine(inputs.machine);
  if (!machine.ok()) return machine.status();
  std::string config_text = "{}";
  if (!inputs.config_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(inputs.config_file);
    if (!text.ok()) return text.status();
    config_text = *text;
  } else if (inputs.machine.kind == "default") {
    config_text = kDefaultConfig;
  }
  absl::StatusOr<NodeConfig> config = ParseNodeConfig(config_text);
  if (!config.ok()) {
    // The file by name, as for pod files ("kubelet.yaml: node config: not valid YAML: ...").
    return absl::InvalidArgumentError(
        absl::StrCat(inputs.config_file.empty() ? "built-in config" : inputs.config_file, ": ",
                     config.status().message()));
  }
  for (const std::string& w : config->warnings) {
    warnings << command << ": config: warning: " << w << "\n";
  }
  LoadedNode loaded;
  if (inputs.pod_files.empty() && inputs.machine.kind == "default" && !inputs.Restores()) {
    PODALLOC_RETURN_IF_ERROR(AppendPods(kDefaultPods, "built-in pods", loaded.pods));
  }
  for (const std::string& file : inputs.pod_files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    PODALLOC_RETURN_IF_ERROR(AppendPods(*text, file, loaded.pods));
  }
  NodeOptions node_options;
  if (inputs.swap.has_value()) {
    node_options.swap.capacity_bytes = static_cast<uint64_t>(inputs.swap->Value());
    node_options.swap.controller_available = true;
  }
  absl::StatusOr<std::unique_ptr<Node>> node =
      Node::Create(*std::move(machine), *std::move(config), std::move(node_options));
  if (!node.ok()) return node.status();
  loaded.node = *std::move(node);
  if (inputs.Restores()) PODALLOC_RETURN_IF_ERROR(RestoreRunning(inputs, *loaded.node));
  PODALLOC_RETURN_IF_ERROR(RegisterDevices(inputs, *loaded.node));
  return loaded;
}

absl::StatusOr<std::vector<Decision>> AdmitPods(Node& node, const std::vector<Pod>& pods,
                                                const std::string& command,
                                                std::ostream& warnings) {
  std::vector<Decision> decisions;
  for (const Pod& pod : pods) {
    absl::StatusOr<Decision> d = node.AdmitAndCommit(pod);
    if (!d.ok()) {
      return absl::Status(d.status().code(), absl::StrCat("pod ", pod.namespace_name, "/",
                                                          pod.name, ": ", d.status().message()));
    }
    if (!d->admitted) {
      warnings << command << ": pod " << pod.namespace_name << "/" << pod.name
               << " not admitted: " << d->reason << ": " << d->message << "\n";
    }
    decisions.push_back(*std::move(d));
  }
  return decisions;
}

void PrintNodeSummary(const Node& node, std::ostream& out) {
  const Topology& t = node.topology();
  const NodeConfig& config = node.config();
  out << "machine: " << (t.name().empty() ? std::string() : absl::StrCat(t.name(), ": "))
      << t.NumSockets() << " sockets, " << t.NumNumaNodes() << " NUMA nodes, " << t.NumCpus()
      << " CPUs\n"
      << "config: cpu " << config.cpu_manager_policy
      << (node.ReservedCpus().IsEmpty()
              ? std::string()
              : absl::StrCat(" (reserved CPUs ", node.ReservedCpus().ToString(), ")"))
      << ", memory " << config.memory_manager_policy << ", topology "
      << config.topology_manager_policy << " (scope " << config.topology_manager_scope << ")\n";
  std::vector<std::string> lines;
  for (const auto& [resource, devices] : node.DeviceResources()) {
    std::vector<std::string> ids;
    for (const PluginDevice& dev : devices) {
      ids.push_back(dev.HasNuma()
                        ? absl::StrCat(dev.id, "@NUMA", absl::StrJoin(*dev.numa_nodes, "+"))
                        : dev.id);
    }
    lines.push_back(absl::StrCat(resource, ": ", absl::StrJoin(ids, " ")));
  }
  if (!lines.empty()) out << "devices: " << absl::StrJoin(lines, "; ") << "\n";
}

}  // namespace podalloc::cli
