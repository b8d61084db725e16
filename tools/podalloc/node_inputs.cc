// The machine, configuration and pods of the node subcommands, and the built-in example that
// --default stands for.
#include "node_inputs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "device_file.h"
#include "podalloc/internal/input_quote.h"
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

absl::StatusOr<Topology> LoadMachine(const NodeInputs& o) {
  if (o.source == "default") {
    SyntheticExtras extras;
    extras.name = "podalloc default (2 sockets, 4 NUMA nodes, 64 CPUs)";
    for (int n = 0; n < 4; ++n) extras.numa_memory_bytes[n] = 16 * kGiB;
    return FromHwlocSynthetic(kDefaultSynthetic, extras);
  }
  if (o.source == "host") return DiscoverHost();
  if (o.source == "synthetic") return FromHwlocSynthetic(o.source_value);
  if (o.source == "xml") return FromHwlocXml(o.source_value);
  if (o.source == "sysfs") return FromSysfs(o.source_value);
  return FromJsonFile(o.source_value);
}

}  // namespace

absl::StatusOr<std::string> InputKind(const std::string& input) {
  std::error_code ec;
  if (std::filesystem::is_directory(input, ec)) return std::string("sysfs");
  if (std::filesystem::is_regular_file(input, ec)) {
    std::ifstream in(input, std::ios::binary);
    char first = 0;
    while (in.get(first) && std::isspace(static_cast<unsigned char>(first))) {
    }
    if (first == '<') return std::string("xml");
    if (first == '{' || first == '[') return std::string("json-topology");
    return absl::InvalidArgumentError(
        absl::StrCat("-i ", internal::QuoteInput(input),
                     ": neither an hwloc XML file (<...) nor a topology JSON file ({...})"));
  }
  if (input.find(':') != std::string::npos) return std::string("synthetic");
  return absl::NotFoundError(absl::StrCat(
      "-i ", internal::QuoteInput(input),
      ": no such file or folder, and not an hwloc synthetic description (e.g. \"pack:2 core:8 "
      "pu:2\")"));
}

std::vector<std::string> SplitFlagValues(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos && eq > 2) {
      out.push_back(a.substr(0, eq));
      out.push_back(a.substr(eq + 1));
    } else {
      out.push_back(a);
    }
  }
  return out;
}

const char kNodeInputsHelp[] =
    "  --default       the built-in example: a synthetic 2-socket, 4-NUMA, 64-CPU machine with\n"
    "                  16 GiB per NUMA node (\"pack:2 numa:2 core:8 pu:2\"), the built-in\n"
    "                  configuration (static CPU policy reserving CPUs 0-1, Static memory policy\n"
    "                  reserving 1Gi per NUMA node, topology manager restricted with scope pod,\n"
    "                  PodLevelResources and PodLevelResourceManagers on), four GPUs\n"
    "                  (nvidia.com/gpu, two on NUMA node 1 and two on node 3) and the KEP-5526\n"
    "                  example pods and a GPU pod; --config, --devices and --pods replace the\n"
    "                  parts they name\n"
    "  --host          this machine's topology (hwloc, completed from sysfs)\n"
    "  --synthetic S, --xml F, --sysfs DIR, --json-topology F   a described machine\n"
    "  -i, --input X   a described machine, its kind recognised: a folder is a sysfs root, a\n"
    "                  file an hwloc XML or topology JSON one, else an hwloc synthetic string\n"
    "  --config C      the node configuration, YAML or JSON: a KubeletConfiguration file\n"
    "                  (unknown and duplicate fields are warnings, printed to stderr) or the\n"
    "                  plain form of docs/node-config.md\n"
    "  --pods P ...    Kubernetes Pod files, YAML or JSON: one pod, a list of pods, a v1 List,\n"
    "                  or several YAML documents\n"
    "  --swap Q        the machine has Q of swap (e.g. 4Gi) and the swap cgroup controller\n"
    "                  (memory.swap.max); needs failSwapOn: false, and memorySwap.swapBehavior:\n"
    "                  LimitedSwap for containers to swap\n"
    "  --running P ... the pods already running on the node (the --pods forms), restored with\n"
    "  --cpu-state F   the kubelet's cpu_manager_state and\n"
    "  --memory-state F  memory_manager_state files (either may be left out: a missing file);\n"
    "                  pods without entries run in the shared pool. A container removed from a\n"
    "                  running pod is named in its annotation podalloc.dev/removed-containers\n"
    "  --device-state F  the device manager's kubelet_internal_checkpoint for the running pods\n"
    "  --devices F     the device plugins' devices, JSON: {\"nvidia.com/gpu\": [{\"id\": \"gpu-0\",\n"
    "                  \"numaNodes\": [0], \"healthy\": true}, ...], ...} (docs/node-config.md)\n";

absl::StatusOr<bool> ParseNodeInputFlag(const std::vector<std::string>& args, size_t& i,
                                        NodeInputs& o) {
  static const std::vector<std::string> kSources = {"synthetic", "xml", "sysfs", "json-topology"};
  const std::string& a = args[i];
  auto value = [&](const std::string& name) -> absl::StatusOr<std::string> {
    if (i + 1 >= args.size()) return absl::InvalidArgumentError(name + " needs a value");
    return args[++i];
  };
  auto set_source = [&](const std::string& s) -> absl::Status {
    if (!o.source.empty()) {
      return absl::InvalidArgumentError("give at most one machine (--default, --host, "
                                        "--synthetic, --xml, --sysfs, --json-topology, -i)");
    }
    o.source = s;
    return absl::OkStatus();
  };
  if (a == "--default" || a == "--host") {
    if (absl::Status s = set_source(a.substr(2)); !s.ok()) return s;
  } else if (a == "-i" || a == "--input") {
    absl::StatusOr<std::string> v = value(a);
    if (!v.ok()) return v.status();
    absl::StatusOr<std::string> kind = InputKind(*v);
    if (!kind.ok()) return kind.status();
    if (absl::Status s = set_source(*kind); !s.ok()) return s;
    o.source_value = *v;
  } else if (a.rfind("--", 0) == 0 &&
             std::find(kSources.begin(), kSources.end(), a.substr(2)) != kSources.end()) {
    if (absl::Status s = set_source(a.substr(2)); !s.ok()) return s;
    absl::StatusOr<std::string> v = value(a);
    if (!v.ok()) return v.status();
    o.source_value = *v;
  } else if (a == "--swap") {
    absl::StatusOr<std::string> v = value(a);
    if (!v.ok()) return v.status();
    absl::StatusOr<Quantity> q = Quantity::Parse(*v);
    if (!q.ok() || q->Sign() < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--swap: \"", *v, "\" is not a size"));
    }
    o.swap = *q;
  } else if (a == "--config") {
    absl::StatusOr<std::string> v = value(a);
    if (!v.ok()) return v.status();
    o.config_file = *v;
  } else if (a == "--pods" || a == "--running") {
    std::vector<std::string>& files = a == "--pods" ? o.pod_files : o.running_files;
    absl::StatusOr<std::string> v = value(a);
    if (!v.ok()) return v.status();
    files.push_back(*v);
    while (i + 1 < args.size() && !IsFlag(args[i + 1])) files.push_back(args[++i]);
  } else if (a == "--cpu-state" || a == "--memory-state" || a == "--device-state" ||
             a == "--devices") {
    std::string& file = a == "--cpu-state"      ? o.cpu_state_file
                        : a == "--memory-state" ? o.memory_state_file
                        : a == "--devices"      ? o.devices_file
                                                : o.device_state_file;
    if (!file.empty()) return absl::InvalidArgumentError(a + " is given twice");
    absl::StatusOr<std::string> v = value(a);
    if (!v.ok()) return v.status();
    file = *v;
  } else {
    return false;
  }
  return true;
}

absl::Status ParseNodeArgs(const std::vector<std::string>& args, NodeInputs& inputs,
                           const std::function<absl::Status(size_t& i)>& own) {
  for (size_t i = 0; i < args.size(); ++i) {
    PODALLOC_ASSIGN_OR_RETURN(bool node_flag, ParseNodeInputFlag(args, i, inputs));
    if (!node_flag) PODALLOC_RETURN_IF_ERROR(own(i));
  }
  if (inputs.source.empty()) return absl::InvalidArgumentError("name a machine (e.g. --default)");
  return absl::OkStatus();
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
  } else if (inputs.source == "default") {
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
  absl::StatusOr<Topology> machine = LoadMachine(inputs);
  if (!machine.ok()) return machine.status();
  std::string config_text = "{}";
  if (!inputs.config_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(inputs.config_file);
    if (!text.ok()) return text.status();
    config_text = *text;
  } else if (inputs.source == "default") {
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
  if (inputs.pod_files.empty() && inputs.source == "default" && !inputs.Restores()) {
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
  out << "machine: " << t.name() << ": " << t.NumSockets() << " sockets, " << t.NumNumaNodes()
      << " NUMA nodes, " << t.NumCpus() << " CPUs\n"
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
