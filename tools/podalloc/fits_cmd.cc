// podalloc fits: what the node can still take after admitting the given pods — the largest
// Guaranteed pod per resource, overall and per NUMA node, for the configured and what-if
// topology-manager policies, and whether given pod shapes fit.
#include <iomanip>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli.h"
#include "cli_flags.h"
#include "node_inputs.h"
#include "pod_files.h"
#include "podalloc/fit_report.h"
#include "podalloc/nrt.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc fits MACHINE [--config C] [--running P ... [--cpu-state F]\n"
    "                     [--memory-state F]] [--pods P ...] [--policies all]\n"
    "                     [--what-if POLICY[/SCOPE] ...] [--no-zones] [--cpu-floor Q]\n"
    "                     [--memory-floor Q] [--shapes F ...] [-o|--output text|json]\n"
    "  Admits the pods in order (a refused pod is reported on stderr), then reports the largest\n"
    "  Guaranteed pod the node would still admit per resource (the others at their floors),\n"
    "  on the whole node and on each NUMA node alone, found with the node's own admission and\n"
    "  an exact search (admission is not monotone in the size). MACHINE is one of the machine\n"
    "  flags below.\n";

struct Options {
  NodeInputs inputs;
  FitQuery query;
  std::vector<std::string> shape_files;
  std::string output;  // text or json
};

// CPUs as counts, bytes with a binary suffix when whole.
std::string Amount(const std::string& resource, int64_t value) {
  if (resource == "cpu") return std::to_string(value);
  return Quantity::FromValue(value, Quantity::Format::kBinarySI).ToString();
}

void PrintReport(const FitReport& report, std::ostream& out) {
  for (const PolicyFit& p : report.results) {
    out << "policy " << p.policy << ", scope " << p.scope
        << (p.configured ? " (configured)" : " (what-if)") << "\n";
    for (const ResourceFit& r : p.resources) {
      out << "  " << std::left << std::setw(16) << r.name << "largest "
          << std::setw(12) << Amount(r.name, r.largest)
          << (r.largest > 0 ? absl::StrCat("on NUMA ", r.numa_affinity.ToList()) : "")
          << "  (available " << Amount(r.name, r.available) << ")\n";
      if (!r.zones.empty()) {
        out << "  " << std::setw(16) << "" << "per zone:";
        for (const ZoneFit& z : r.zones) {
          out << " node-" << z.numa_id << " " << Amount(r.name, z.largest);
        }
        out << "\n";
      }
      if (r.next.has_value()) {
        out << "  " << std::setw(16) << "" << "next " << Amount(r.name, r.next->value)
            << ": " << r.next->reason << ": " << r.next->message << "\n";
      }
    }
  }
  for (const ShapeFit& s : report.shapes) {
    out << "shape " << s.pod << ": " << (s.admitted ? "fits" : "does not fit");
    if (!s.admitted) out << ": " << s.reason << ": " << s.message;
    out << "\n";
    for (const ShapePlacement& c : s.containers) {
      out << "  " << c.container << ": cpus " << (c.cpus.IsEmpty() ? "shared" : c.cpus.ToString())
          << ", memory NUMA " << (c.memory_nodes.IsEmpty() ? "-" : c.memory_nodes.ToList())
          << "\n";
    }
  }
}

int Fits(Options& o, const Io& io) {
  absl::StatusOr<LoadedNode> loaded = LoadNode(o.inputs, "podalloc fits", io.err);
  absl::Status ready = loaded.ok() ? AdmitPods(*loaded->node, loaded->pods, "podalloc fits",
                                               io.err).status()
                                   : loaded.status();
  for (size_t i = 0; ready.ok() && i < o.shape_files.size(); ++i) {
    absl::StatusOr<std::string> text = ReadFile(o.shape_files[i]);
    ready = text.ok() ? AppendPods(*text, o.shape_files[i], o.query.shapes) : text.status();
  }
  if (!ready.ok()) {
    io.err << "podalloc fits: " << ready << "\n";
    return kFailure;
  }
  absl::StatusOr<FitReport> report = WhatStillFits(*loaded->node, o.query);
  if (!report.ok()) {
    io.err << "podalloc fits: " << report.status() << "\n";
    return kFailure;
  }
  if (o.output == "json") {
    io.out << FitReportToJson(*report, o.query, 2) << "\n";
  } else {
    PrintReport(*report, io.out);
  }
  return kOk;
}

}  // namespace

RunFn AddFits(CLI::App& app) {
  auto o = std::make_shared<Options>();
  SetUsage(app, kSynopsis);
  AddNodeInputFlags(app, o->inputs);
  app.add_option_function<std::string>(
         "--policies", [o](const std::string&) { o->query.all_policies = true; },
         "also every other topology-manager policy and scope, as hypotheticals")
      ->type_name("all")
      ->check(OneOf({"all"}));
  app.add_option_function<std::vector<std::string>>(
         "--what-if",
         [o](const std::vector<std::string>& values) {
           for (const std::string& value : values) {
             std::vector<std::string> parts = absl::StrSplit(value, absl::MaxSplits('/', 1));
             o->query.what_if.emplace_back(parts[0], parts.size() > 1 ? parts[1] : "container");
           }
         },
         "hypothetical policies (scope container unless given)")
      ->type_name("P[/S]");
  app.add_flag_callback("--no-zones", [o] { o->query.zones = false; },
                        "skip the per-NUMA-node searches");
  AddQuantityFlag(
      app, "--cpu-floor", /*allow_zero=*/false, [o](const Quantity& q) { o->query.cpu_floor = q; },
      "the probe pod's CPU request while another resource is searched (default 1)");
  AddQuantityFlag(
      app, "--memory-floor", /*allow_zero=*/false,
      [o](const Quantity& q) { o->query.memory_floor = q; },
      "the probe pod's memory request while another resource is searched\n(default 1Mi)");
  app.add_option("--shapes", o->shape_files,
                 "pod files (the --pods forms): does each fit, where, and if not why")
      ->type_name("F");
  CLI::Option* output = AddOutputFlag(app, o->output, {"text", "json"},
                                      "text (default) or json: the report as JSON (docs/nrt.md)");
  app.add_flag_callback("--json", [o] { o->output = "json"; }, "the same as -o json")
      ->excludes(output);
  app.footer(
      "examples:\n"
      "  podalloc fits --default --policies all\n"
      "  podalloc fits --json-topology tests/data/derived/nrt/example4-topology.json \\\n"
      "      --config tests/data/derived/nrt/example4-config.json \\\n"
      "      --pods tests/data/derived/nrt/pods/pod-b.json --what-if single-numa-node \\\n"
      "      --shapes tests/data/derived/nrt/pods/pod-a.json -o json");
  return [o](const Io& io) { return Fits(*o, io); };
}

}  // namespace podalloc::cli
