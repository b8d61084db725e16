// podalloc simulate: admit a sequence of pods on a machine under a kubelet configuration and
// print, per container, where its CPUs and memory come from and why.
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli.h"
#include "podalloc/decision_json.h"
#include "podalloc/discovery.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod_json.h"
#include "podalloc/quantity.h"
#include "pod_files.h"
#include "simulate_explain.h"
#include "simulate_resize.h"

namespace podalloc::cli {
namespace {

constexpr char kHelp[] =
    "usage: podalloc simulate [--default | --host | --synthetic S | --xml F | --sysfs DIR |\n"
    "                          --json-topology F] [--config C] [--pods P ...]\n"
    "                         [--resize R ...] [--swap Q] [--json] [--explain]\n"
    "  Admits the pods in order on one node and prints each container's cpuset, memory NUMA\n"
    "  nodes, isolation level, CFS quota, memory limit and reason; then applies the resizes.\n"
    "  --default       the built-in example: a synthetic 2-socket, 4-NUMA, 64-CPU machine with\n"
    "                  16 GiB per NUMA node (\"pack:2 numa:2 core:8 pu:2\"), the built-in\n"
    "                  configuration (static CPU policy reserving CPUs 0-1, Static memory policy\n"
    "                  reserving 1Gi per NUMA node, topology manager restricted with scope pod,\n"
    "                  PodLevelResources and PodLevelResourceManagers on) and the KEP-5526\n"
    "                  example pods; --config and --pods replace the parts they name\n"
    "  --host          this machine's topology (hwloc, completed from sysfs)\n"
    "  --synthetic S, --xml F, --sysfs DIR, --json-topology F   a described machine\n"
    "  --config C      the node configuration, YAML or JSON: a KubeletConfiguration file\n"
    "                  (unknown and duplicate fields are warnings, printed to stderr) or the\n"
    "                  plain form of docs/node-config.md\n"
    "  --pods P ...    Kubernetes Pod files, YAML or JSON: one pod, a list of pods, a v1 List,\n"
    "                  or several YAML documents\n"
    "  --resize R ...  in-place resizes after the admissions, in order: each file holds admitted\n"
    "                  pods (same UID, same containers) with new resources, in the --pods\n"
    "                  forms; each is printed with its outcome (accepted, Deferred, Infeasible),\n"
    "                  the kubelet's message and the cgroup writes in the order to apply them\n"
    "  --swap Q        the machine has Q of swap (e.g. 4Gi) and the swap cgroup controller\n"
    "                  (memory.swap.max); needs failSwapOn: false, and memorySwap.swapBehavior:\n"
    "                  LimitedSwap for containers to swap\n"
    "  --json          one JSON decision per pod, then one per resize (those have \"feasible\"),\n"
    "                  as a JSON list\n"
    "  --explain       every reason and the cgroup files of each container; for a refused pod,\n"
    "                  each hint provider's hints and the one that left no admissible merge,\n"
    "                  and the resources it does not fit by how much\n";

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

// The KEP-5526 examples under scope pod: shared only, mixed, and the empty-shared-pool
// rejection, then a pod with a sidecar and an init container, and a Burstable pod.
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
                                                                      "memory": "256Mi"}}}]}}
])";

struct Options {
  std::string source;  // default | host | synthetic | xml | sysfs | json-topology
  std::string source_value;
  std::string config_file;
  std::vector<std::string> pod_files;
  std::vector<std::string> resize_files;
  std::optional<Quantity> swap;
  bool json = false;
  bool explain = false;
};

absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args) {
  Options o;
  const std::vector<std::string> sources = {"synthetic", "xml", "sysfs", "json-topology"};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& name) -> absl::StatusOr<std::string> {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(name + " needs a value");
      return args[++i];
    };
    auto set_source = [&](const std::string& s) -> absl::Status {
      if (!o.source.empty()) {
        return absl::InvalidArgumentError("give at most one machine (--default, --host, "
                                          "--synthetic, --xml, --sysfs, --json-topology)");
      }
      o.source = s;
      return absl::OkStatus();
    };
    if (a == "--json") {
      o.json = true;
    } else if (a == "--explain") {
      o.explain = true;
    } else if (a == "--default" || a == "--host") {
      if (absl::Status s = set_source(a.substr(2)); !s.ok()) return s;
    } else if (a.rfind("--", 0) == 0 &&
               std::find(sources.begin(), sources.end(), a.substr(2)) != sources.end()) {
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
    } else if (a == "--pods" || a == "--resize") {
      std::vector<std::string>& files = a == "--pods" ? o.pod_files : o.resize_files;
      absl::StatusOr<std::string> v = value(a);
      if (!v.ok()) return v.status();
      files.push_back(*v);
      while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) files.push_back(args[++i]);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument ", internal::QuoteInput(a)));
    }
  }
  if (o.source.empty()) return absl::InvalidArgumentError("name a machine (e.g. --default)");
  return o;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<Topology> LoadMachine(const Options& o) {
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

std::string FileValue(const CgroupFiles& files, const std::string& name) {
  for (const CgroupFile& f : files) {
    if (f.name == name) return f.value;
  }
  return "-";
}

std::string HintText(const std::optional<TopologyHint>& hint) {
  if (!hint.has_value()) return "-";
  return absl::StrCat(hint->affinity.has_value() ? hint->affinity->ToList() : "any",
                      hint->preferred ? " preferred" : " not preferred");
}

void PrintDecision(const Decision& d, bool explain, std::ostream& out) {
  out << "pod " << d.pod_namespace << "/" << d.pod_name << " (uid " << d.pod_uid << "): "
      << (d.admitted ? "admitted" : "REJECTED") << ", " << QosClassName(d.qos) << ", scope "
      << TopologyScopeName(d.scope) << (d.pod_level ? ", pod-level resource managers" : "")
      << "\n";
  if (!d.admitted) out << "  reason: " << d.reason << ": " << d.message << "\n";
  if (d.pod_hint.has_value()) out << "  pod hint: NUMA " << HintText(d.pod_hint) << "\n";
  if (!d.pod_cpus.IsEmpty()) {
    out << "  pod cpus: " << d.pod_cpus.ToString() << "   pod shared pool: "
        << (d.pod_shared_pool.IsEmpty() ? "(empty)" : d.pod_shared_pool.ToString()) << "\n";
  }
  if (explain) {
    for (const std::string& r : d.reasons) out << "  - " << r << "\n";
    PrintWhy(d, out);
  }
  if (!d.admitted) return;
  out << "  " << std::left << std::setw(14) << "CONTAINER" << std::setw(10) << "TYPE"
      << std::setw(11) << "ISOLATION" << std::setw(16) << "CPUSET" << std::setw(6) << "NUMA"
      << std::setw(7) << "QUOTA" << std::setw(13) << "MEMORY.MAX" << "REASON\n";
  for (const ContainerDecision& c : d.containers) {
    // The CPU reason: the column is about where the container's CPUs come from.
    std::string reason;
    for (const std::string& r : c.reasons) {
      if (r.rfind("hint", 0) != 0 && r.rfind("memory", 0) != 0) {
        reason = r;
        break;
      }
    }
    out << "  " << std::left << std::setw(14) << c.name << std::setw(10)
        << ContainerTypeName(c.type) << std::setw(11) << IsolationLevelName(c.isolation)
        << std::setw(16) << (c.cpus.IsEmpty() ? "-" : c.cpus.ToString()) << std::setw(6)
        << (c.memory_nodes.IsEmpty() ? "-" : c.memory_nodes.ToList()) << std::setw(7)
        << (c.cpu_quota_disabled ? "off" : "on") << std::setw(13)
        << FileValue(c.cgroup_files, "memory.max") << (explain ? "" : reason) << "\n";
    if (explain) {
      out << "      hint: " << HintText(c.hint) << "\n";
      for (const std::string& r : c.reasons) out << "      - " << r << "\n";
      for (const CgroupFile& f : c.cgroup_files) out << "      " << f.name << " = " << f.value << "\n";
    }
  }
  if (explain) {
    out << "  pod cgroup:";
    for (const CgroupFile& f : d.pod_cgroup_files) out << " " << f.name << "=" << f.value;
    out << "\n";
  }
}

}  // namespace

int RunSimulate(const std::vector<std::string>& args, const Io& io) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    io.out << kHelp;
    return kOk;
  }
  absl::StatusOr<Options> o = ParseArgs(args);
  if (!o.ok()) {
    io.err << "podalloc simulate: " << o.status().message() << "\n" << kHelp;
    return kUsage;
  }
  absl::StatusOr<Topology> machine = LoadMachine(*o);
  if (!machine.ok()) {
    io.err << "podalloc simulate: " << machine.status() << "\n";
    return kFailure;
  }
  std::string config_text = "{}";
  if (!o->config_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(o->config_file);
    if (!text.ok()) {
      io.err << "podalloc simulate: " << text.status() << "\n";
      return kFailure;
    }
    config_text = *text;
  } else if (o->source == "default") {
    config_text = kDefaultConfig;
  }
  absl::StatusOr<NodeConfig> config = ParseNodeConfig(config_text);
  if (!config.ok()) {
    io.err << "podalloc simulate: config: " << config.status().message() << "\n";
    return kFailure;
  }
  for (const std::string& w : config->warnings) {
    io.err << "podalloc simulate: config: warning: " << w << "\n";
  }
  std::vector<Pod> pods;
  std::vector<Pod> resizes;
  absl::Status loaded;
  if (o->pod_files.empty() && o->source == "default") {
    loaded = AppendPods(kDefaultPods, "built-in pods", pods);
  }
  for (const std::string& file : o->pod_files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    loaded = text.ok() ? AppendPods(*text, file, pods) : text.status();
    if (!loaded.ok()) break;
  }
  for (size_t i = 0; loaded.ok() && i < o->resize_files.size(); ++i) {
    absl::StatusOr<std::string> text = ReadFile(o->resize_files[i]);
    loaded = text.ok() ? AppendPods(*text, o->resize_files[i], resizes) : text.status();
  }
  if (!loaded.ok()) {
    io.err << "podalloc simulate: " << loaded.message() << "\n";
    return kFailure;
  }
  NodeOptions node_options;
  if (o->swap.has_value()) {
    node_options.swap.capacity_bytes = static_cast<uint64_t>(o->swap->Value());
    node_options.swap.controller_available = true;
  }
  absl::StatusOr<std::unique_ptr<Node>> node =
      Node::Create(*std::move(machine), *config, std::move(node_options));
  if (!node.ok()) {
    io.err << "podalloc simulate: " << node.status() << "\n";
    return kFailure;
  }
  if (!o->json) {
    const Topology& t = (*node)->topology();
    io.out << "machine: " << t.name() << ": " << t.NumSockets() << " sockets, "
           << t.NumNumaNodes() << " NUMA nodes, " << t.NumCpus() << " CPUs\n"
           << "config: cpu " << config->cpu_manager_policy
           << ((*node)->ReservedCpus().IsEmpty()
                   ? std::string()
                   : absl::StrCat(" (reserved CPUs ", (*node)->ReservedCpus().ToString(), ")"))
           << ", memory "
           << config->memory_manager_policy << ", topology " << config->topology_manager_policy
           << " (scope " << config->topology_manager_scope << ")\n\n";
  }
  std::vector<std::string> json;
  for (const Pod& pod : pods) {
    absl::StatusOr<Decision> d = (*node)->AdmitAndCommit(pod);
    if (!d.ok()) {
      io.err << "podalloc simulate: pod " << pod.namespace_name << "/" << pod.name << ": "
             << d.status() << "\n";
      return kFailure;
    }
    if (o->json) {
      json.push_back(DecisionToJson(*d));
    } else {
      PrintDecision(*d, o->explain, io.out);
      io.out << "\n";
    }
  }
  if (absl::Status s = RunResizes(**node, resizes, o->json, io.out, json); !s.ok()) {
    io.err << "podalloc simulate: " << s << "\n";
    return kFailure;
  }
  if (o->json) {
    io.out << "[\n" << absl::StrJoin(json, ",\n") << "\n]\n";
  } else {
    io.out << "node shared pool: " << (*node)->State().cpu.default_cpu_set.ToString() << "\n";
  }
  return kOk;
}

}  // namespace podalloc::cli
