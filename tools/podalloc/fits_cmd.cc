// podalloc fits: what the node can still take after admitting the given pods — the largest
// Guaranteed pod per resource, overall and per NUMA node, for the configured and what-if
// topology-manager policies, and whether given pod shapes fit.
#include <iomanip>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli.h"
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
    "                     [--memory-floor Q] [--shapes F ...] [--json]\n"
    "  Admits the pods in order (a refused pod is reported on stderr), then reports the largest\n"
    "  Guaranteed pod the node would still admit per resource (the others at their floors),\n"
    "  on the whole node and on each NUMA node alone, found with the node's own admission and\n"
    "  an exact search (admission is not monotone in the size). MACHINE is one of:\n";
constexpr char kOwnFlags[] =
    "  --policies all  also every other topology-manager policy and scope, as hypotheticals\n"
    "  --what-if P[/S] ...  hypothetical policies (scope container unless given)\n"
    "  --no-zones      skip the per-NUMA-node searches\n"
    "  --cpu-floor Q, --memory-floor Q   the probe pod's other requests (default 1 and 1Mi)\n"
    "  --shapes F ...  pod files (the --pods forms): does each fit, where, and if not why\n"
    "  --json          the report as JSON (docs/nrt.md)\n";

struct Options {
  NodeInputs inputs;
  FitQuery query;
  std::vector<std::string> shape_files;
  bool json = false;
};

absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args) {
  Options o;
  absl::Status parsed = ParseNodeArgs(args, o.inputs, [&](size_t& i) -> absl::Status {
    const std::string& a = args[i];
    // The values of a flag that takes one or more.
    auto values = [&]() -> absl::StatusOr<std::vector<std::string>> {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a value");
      std::vector<std::string> out = {args[++i]};
      while (i + 1 < args.size() && !IsFlag(args[i + 1])) out.push_back(args[++i]);
      return out;
    };
    if (a == "--json") {
      o.json = true;
    } else if (a == "--no-zones") {
      o.query.zones = false;
    } else if (a == "--policies") {
      if (i + 1 >= args.size() || args[i + 1] != "all") {
        return absl::InvalidArgumentError("--policies: the only value is \"all\"");
      }
      ++i;
      o.query.all_policies = true;
    } else if (a == "--cpu-floor" || a == "--memory-floor") {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a value");
      absl::StatusOr<Quantity> q = Quantity::Parse(args[++i]);
      if (!q.ok() || q->Sign() <= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(a, ": \"", args[i], "\" is not a positive quantity"));
      }
      (a == "--cpu-floor" ? o.query.cpu_floor : o.query.memory_floor) = *q;
    } else if (a == "--what-if" || a == "--shapes") {
      absl::StatusOr<std::vector<std::string>> v = values();
      if (!v.ok()) return v.status();
      for (const std::string& value : *v) {
        if (a == "--shapes") {
          o.shape_files.push_back(value);
          continue;
        }
        std::vector<std::string> parts = absl::StrSplit(value, absl::MaxSplits('/', 1));
        o.query.what_if.emplace_back(parts[0], parts.size() > 1 ? parts[1] : "container");
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown argument \"", a, "\""));
    }
    return absl::OkStatus();
  });
  if (!parsed.ok()) return parsed;
  return o;
}

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

}  // namespace

int RunFits(const std::vector<std::string>& args, const Io& io) {
  const std::string help = absl::StrCat(kSynopsis, kNodeInputsHelp, kOwnFlags);
  Options parsed;
  if (std::optional<int> exit = ParseOrExit(args, io, "podalloc fits", help, &ParseArgs, parsed)) {
    return *exit;
  }
  Options& o = parsed;
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
  if (o.json) {
    io.out << FitReportToJson(*report, o.query, 2) << "\n";
  } else {
    PrintReport(*report, io.out);
  }
  return kOk;
}

}  // namespace podalloc::cli
