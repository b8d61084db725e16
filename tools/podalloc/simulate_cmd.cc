// podalloc simulate: admit a sequence of pods on a machine under a kubelet configuration and
// print, per container, where its CPUs and memory come from and why.
#include <fstream>
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
#include "node_inputs.h"
#include "pod_files.h"
#include "simulate_explain.h"
#include "machine_svg.h"
#include "podalloc/yaml_json.h"
#include "text_table.h"
#include "simulate_resize.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc simulate [--default | --host | --synthetic S | --xml F | --sysfs DIR |\n"
    "                          --json-topology F] [--config C] [--pods P ...]\n"
    "                         [--running P ... [--cpu-state F] [--memory-state F]\n"
    "                          [--device-state F]]\n"
    "                         [--devices F] [--resize R ...] [--swap Q] [--explain]\n"
    "                         [--output table|json|yaml] [--svg FILE]\n"
    "  Admits the pods in order on one node and prints each container's cpuset, memory NUMA\n"
    "  nodes, isolation level, CFS quota, memory limit, devices and reason; then applies the\n"
    "  resizes.\n";
constexpr char kOwnFlags[] =
    "  --resize R ...  in-place resizes after the admissions, in order: each file holds admitted\n"
    "                  pods (same UID, same containers) with new resources, in the --pods\n"
    "                  forms; each is printed with its outcome (accepted, Deferred, Infeasible),\n"
    "                  the kubelet's message and the cgroup writes in the order to apply them\n"
    "  --output F      table (default); json: one decision per pod, then one per resize (those\n"
    "                  have \"feasible\"), as a JSON list (--json is the same); yaml: that list\n"
    "                  as YAML\n"
    "  --svg FILE      also draw the node once everything is applied (podalloc draw)\n"
    "  --explain       every reason and the cgroup files of each container; for a refused pod,\n"
    "                  each hint provider's hints and the one that left no admissible merge,\n"
    "                  and the resources it does not fit by how much\n";

struct Options {
  NodeInputs inputs;
  std::vector<std::string> resize_files;
  bool json = false;  // --output json or yaml
  bool yaml = false;
  bool explain = false;
  std::string svg;
};

absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args) {
  Options o;
  absl::Status parsed = ParseNodeArgs(args, o.inputs, [&](size_t& i) -> absl::Status {
    const std::string& a = args[i];
    if (a == "--json") {
      o.json = true;
    } else if (a == "--output") {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a value");
      const std::string& v = args[++i];
      if (v != "table" && v != "json" && v != "yaml") {
        return absl::InvalidArgumentError(absl::StrCat(
            "--output must be table, json or yaml, not ", internal::QuoteInput(v)));
      }
      o.json = v != "table";
      o.yaml = v == "yaml";
    } else if (a == "--svg") {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a file");
      o.svg = args[++i];
    } else if (a == "--explain") {
      o.explain = true;
    } else if (a == "--resize") {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a value");
      o.resize_files.push_back(args[++i]);
      while (i + 1 < args.size() && !IsFlag(args[i + 1])) {
        o.resize_files.push_back(args[++i]);
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument ", internal::QuoteInput(a)));
    }
    return absl::OkStatus();
  });
  if (!parsed.ok()) return parsed;
  return o;
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

// "nvidia.com/gpu=gpu-0,gpu-1" per resource, ";" between resources: one word for the table.
std::string DevicesText(const ContainerDecision& c) {
  std::vector<std::string> parts;
  for (const auto& [resource, ids] : c.devices) {
    parts.push_back(absl::StrCat(resource, "=", absl::StrJoin(ids, ",")));
  }
  return absl::StrJoin(parts, ";");
}

// `with_devices`: the node has device plugins, so the table has a DEVICES column.
void PrintDecision(const Decision& d, bool explain, bool with_devices, std::ostream& out) {
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
  std::vector<std::string> header = {"CONTAINER", "TYPE", "ISOLATION", "CPUSET", "NUMA", "QUOTA",
                                     "MEMORY.MAX"};
  if (with_devices) header.push_back("DEVICES");
  header.push_back(explain ? "HINT" : "REASON");
  TextTable table(std::move(header));
  for (const ContainerDecision& c : d.containers) {
    // The CPU reason: the column is about where the container's CPUs come from.
    std::string reason;
    for (const std::string& r : c.reasons) {
      if (r.rfind("hint", 0) != 0 && r.rfind("memory", 0) != 0 && r.rfind("devices", 0) != 0) {
        reason = r;
        break;
      }
    }
    std::vector<std::string> row = {c.name, std::string(ContainerTypeName(c.type)),
                                    std::string(IsolationLevelName(c.isolation)),
                                    c.cpus.ToString(), c.memory_nodes.ToList(),
                                    c.cpu_quota_disabled ? "off" : "on",
                                    BytesText(FileValue(c.cgroup_files, "memory.max"))};
    if (with_devices) row.push_back(DevicesText(c));
    row.push_back(explain ? HintText(c.hint) : reason);
    table.AddRow(std::move(row));
  }
  table.Print(out, "  ");
  if (explain) {
    for (const ContainerDecision& c : d.containers) {
      out << "  container " << c.name << ":\n";
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
  const std::string help = absl::StrCat(kSynopsis, kNodeInputsHelp, kOwnFlags);
  Options parsed;
  if (std::optional<int> exit = ParseOrExit(args, io, "podalloc simulate", help, &ParseArgs, parsed)) {
    return *exit;
  }
  const Options* o = &parsed;
  absl::StatusOr<LoadedNode> loaded = LoadNode(o->inputs, "podalloc simulate", io.err);
  std::vector<Pod> resizes;
  absl::Status read = loaded.status();
  for (size_t i = 0; read.ok() && i < o->resize_files.size(); ++i) {
    absl::StatusOr<std::string> text = ReadFile(o->resize_files[i]);
    read = text.ok() ? AppendPods(*text, o->resize_files[i], resizes) : text.status();
  }
  if (!read.ok()) {
    io.err << "podalloc simulate: " << read.message() << "\n";
    return kFailure;
  }
  Node& node = *loaded->node;
  const bool with_devices = !node.DeviceResources().empty();
  if (!o->json) {
    PrintNodeSummary(node, io.out);
    io.out << "\n";
  }
  std::vector<std::string> json;
  std::vector<Decision> decisions;
  for (const Pod& pod : loaded->pods) {
    absl::StatusOr<Decision> d = node.AdmitAndCommit(pod);
    if (!d.ok()) {
      io.err << "podalloc simulate: pod " << pod.namespace_name << "/" << pod.name << ": "
             << d.status() << "\n";
      return kFailure;
    }
    if (o->json) {
      json.push_back(DecisionToJson(*d));
    } else {
      PrintDecision(*d, o->explain, with_devices, io.out);
      io.out << "\n";
    }
    if (!o->svg.empty()) decisions.push_back(*std::move(d));
  }
  if (absl::Status s = RunResizes(node, resizes, o->json, io.out, json); !s.ok()) {
    io.err << "podalloc simulate: " << s << "\n";
    return kFailure;
  }
  if (!o->svg.empty()) {
    if (absl::Status s = WriteTextFile(o->svg, MachineSvg(PictureOfNode(node, std::move(decisions))));
        !s.ok()) {
      io.err << "podalloc simulate: " << s.message() << "\n";
      return kFailure;
    }
  }
  const std::string list = absl::StrCat("[\n", absl::StrJoin(json, ",\n"), "\n]\n");
  if (o->yaml) {
    io.out << JsonToYaml(nlohmann::ordered_json::parse(list));
  } else if (o->json) {
    io.out << list;
  } else {
    io.out << "node shared pool: " << node.State().cpu.default_cpu_set.ToString() << "\n";
  }
  return kOk;
}

}  // namespace podalloc::cli
