// podalloc simulate: admit a sequence of pods on a machine under a kubelet configuration and
// print, per container, where its CPUs and memory come from and why.
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli.h"
#include "cli_flags.h"
#include "decision_table.h"
#include "machine_svg.h"
#include "node_inputs.h"
#include "pod_files.h"
#include "podalloc/decision_json.h"
#include "podalloc/node.h"
#include "podalloc/yaml_json.h"
#include "simulate_resize.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc simulate MACHINE [--config C] [--pods P ...]\n"
    "                         [--running P ... [--cpu-state F] [--memory-state F]\n"
    "                          [--device-state F]]\n"
    "                         [--devices F] [--resize R ...] [--swap Q] [--explain]\n"
    "                         [-o|--output table|wide|json|yaml] [--svg FILE]\n"
    "  Admits the pods in order on one node and prints each container's cpuset, memory NUMA\n"
    "  nodes, isolation level, CFS quota, memory limit, devices and reason; then applies the\n"
    "  resizes. MACHINE is one of the machine flags below.\n";

struct Options {
  NodeInputs inputs;
  std::vector<std::string> resize_files;
  std::string output;  // table, wide, json or yaml
  bool explain = false;
  std::string svg;
  bool json() const { return output == "json" || output == "yaml"; }
};

int Simulate(const Options& o, const Io& io) {
  absl::StatusOr<LoadedNode> loaded = LoadNode(o.inputs, "podalloc simulate", io.err);
  std::vector<Pod> resizes;
  absl::Status read = loaded.status();
  for (size_t i = 0; read.ok() && i < o.resize_files.size(); ++i) {
    absl::StatusOr<std::string> text = ReadFile(o.resize_files[i]);
    read = text.ok() ? AppendPods(*text, o.resize_files[i], resizes) : text.status();
  }
  if (!read.ok()) {
    io.err << "podalloc simulate: " << read.message() << "\n";
    return kFailure;
  }
  Node& node = *loaded->node;
  const bool with_devices = !node.DeviceResources().empty();
  if (!o.json()) {
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
    if (o.json()) {
      json.push_back(DecisionToJson(*d));
    } else {
      const DecisionTableStyle style = {
          .wide = o.output == "wide", .explain = o.explain, .with_devices = with_devices};
      PrintDecision(*d, style, io.out);
      io.out << "\n";
    }
    if (!o.svg.empty()) decisions.push_back(*std::move(d));
  }
  if (absl::Status s = RunResizes(node, resizes, o.json(), io.out, json); !s.ok()) {
    io.err << "podalloc simulate: " << s << "\n";
    return kFailure;
  }
  if (!o.svg.empty()) {
    if (absl::Status s = WriteTextFile(o.svg, MachineSvg(PictureOfNode(node, std::move(decisions))));
        !s.ok()) {
      io.err << "podalloc simulate: " << s.message() << "\n";
      return kFailure;
    }
  }
  const std::string list = absl::StrCat("[\n", absl::StrJoin(json, ",\n"), "\n]\n");
  if (o.output == "yaml") {
    io.out << JsonToYaml(nlohmann::ordered_json::parse(list));
  } else if (o.json()) {
    io.out << list;
  } else {
    io.out << "node shared pool: " << node.State().cpu.default_cpu_set.ToString() << "\n";
  }
  return kOk;
}

}  // namespace

RunFn AddSimulate(CLI::App& app) {
  auto o = std::make_shared<Options>();
  SetUsage(app, kSynopsis);
  AddNodeInputFlags(app, o->inputs);
  app.add_option("--resize", o->resize_files,
                 "in-place resizes after the admissions, in order: each file holds\n"
                 "admitted pods (same UID, same containers) with new resources, in the\n"
                 "--pods forms; each is printed with its outcome (accepted, Deferred,\n"
                 "Infeasible), the kubelet's message and the cgroup writes in the order\n"
                 "to apply them")
      ->type_name("R");
  CLI::Option* output = AddOutputFlag(
      app, o->output, {"table", "wide", "json", "yaml"},
      "table (default): a table per pod; wide: the table with DEVICES, the\n"
      "container's merged NUMA HINT, its MEMORY.BLOCKS (memory and hugepages\n"
      "pinned per NUMA node), CPU.MAX and CPU.WEIGHT; json: one decision per pod,\n"
      "then one per resize (those have \"feasible\"), as a JSON list; yaml: that\n"
      "list as YAML");
  app.add_flag_callback("--json", [o] { o->output = "json"; }, "the same as -o json")
      ->excludes(output);
  app.add_option("--svg", o->svg, "also draw the node once everything is applied (podalloc draw)")
      ->type_name("FILE");
  app.add_flag("--explain", o->explain,
               "every reason and the cgroup files of each container; for a refused pod,\n"
               "each hint provider's hints and the one that left no admissible merge,\n"
               "and the resources it does not fit by how much");
  app.footer(
      "examples:\n"
      "  podalloc simulate --default\n"
      "  podalloc simulate --default -o wide\n"
      "  podalloc simulate --default --resize tools/podalloc/testdata/resize_default_pods.json -o yaml\n"
      "  podalloc simulate -i tests/data/fixtures/hwloc-192em64t-24n8c2t.xml \\\n"
      "      --config tools/podalloc/testdata/static_cpu_config.yaml \\\n"
      "      --pods tools/podalloc/testdata/wide_table_pods.json --explain");
  return [o](const Io& io) { return Simulate(*o, io); };
}

}  // namespace podalloc::cli
