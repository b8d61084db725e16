// podalloc explain: one pod's admission explained on a node that has admitted --pods first:
// the verdict, every topology manager merge with each hint provider's hints, and per
// container its CPUs, memory, devices and cgroup files (ExplainAdmission; nothing is admitted).
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli.h"
#include "cli_flags.h"
#include "explain_report.h"
#include "node_inputs.h"
#include "pod_files.h"
#include "podalloc/admission_explanation.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc explain MACHINE [--config C] [--pods P ...] [--running P ...\n"
    "                        [--cpu-state F] [--memory-state F] [--device-state F]]\n"
    "                        [--devices F] [--swap Q] --pod FILE [--name NAME]\n"
    "                        [-o text|json]\n"
    "  Admits the --pods in order, then explains the admission of one more pod without\n"
    "  admitting it: admitted or the kubelet's reason, every topology manager merge with each\n"
    "  hint provider's hints (device manager, CPU manager, memory manager), and per container\n"
    "  its CPUs, memory NUMA nodes, devices and cgroup files. --default's example pods are not\n"
    "  admitted unless named with --pods. MACHINE is one of the machine flags below.\n";

struct Options {
  NodeInputs inputs;
  std::string pod_file;
  std::string name;
  std::string output;
  bool json() const { return output == "json"; }
};

std::string PodName(const Pod& p) { return absl::StrCat(p.namespace_name, "/", p.name); }

// The pod of --pod to explain: the only one, or the one --name picks.
absl::StatusOr<Pod> PodToExplain(const Options& o) {
  absl::StatusOr<std::string> text = ReadFile(o.pod_file);
  if (!text.ok()) return text.status();
  std::vector<Pod> pods;
  if (absl::Status s = AppendPods(*text, o.pod_file, pods); !s.ok()) return s;
  std::vector<const Pod*> picked;
  for (const Pod& p : pods) {
    if (o.name.empty() || p.name == o.name || PodName(p) == o.name) picked.push_back(&p);
  }
  if (picked.size() == 1) return *picked.front();
  std::vector<std::string> names;
  for (const Pod& p : pods) names.push_back(PodName(p));
  if (pods.empty()) return absl::InvalidArgumentError(absl::StrCat(o.pod_file, ": no pod"));
  if (picked.empty()) {
    return absl::NotFoundError(absl::StrCat(o.pod_file, ": no pod named ",
                                            internal::QuoteInput(o.name), " (it holds ",
                                            absl::StrJoin(names, ", "), ")"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      o.pod_file, " holds ", picked.size(), " pods", o.name.empty() ? "" : " of that name",
      "; pick one with --name NAME or NAMESPACE/NAME (", absl::StrJoin(names, ", "), ")"));
}

int Explain(const Options& o, const Io& io) {
  const std::string command = "podalloc explain";
  absl::StatusOr<LoadedNode> loaded = LoadNode(o.inputs, command, io.err);
  absl::StatusOr<Pod> pod = loaded.ok() ? PodToExplain(o) : loaded.status();
  if (!pod.ok()) {
    io.err << command << ": " << pod.status().message() << "\n";
    return kFailure;
  }
  Node& node = *loaded->node;
  // Only the pods named with --pods: --default's examples would fill the node unasked.
  const std::vector<Pod> before = o.inputs.pod_files.empty() ? std::vector<Pod>() : loaded->pods;
  absl::StatusOr<std::vector<Decision>> admitted = AdmitPods(node, before, command, io.err);
  absl::StatusOr<AdmissionExplanation> e =
      admitted.ok() ? ExplainAdmission(node, *pod) : admitted.status();
  if (!e.ok()) {
    io.err << command << ": " << e.status().message() << "\n";
    return kFailure;
  }
  if (o.json()) {
    io.out << AdmissionExplanationToJson(*e, 2) << "\n";
    return kOk;
  }
  PrintNodeSummary(node, io.out);
  size_t count = 0;
  for (const Decision& d : *admitted) count += d.admitted ? 1 : 0;
  io.out << "pods admitted first: "
         << (before.empty() ? std::string("none") : absl::StrCat(count, " of ", before.size()))
         << "\n\n";
  PrintExplanation(*e, io.out);
  return kOk;
}

}  // namespace

RunFn AddExplain(CLI::App& app) {
  auto o = std::make_shared<Options>();
  SetUsage(app, kSynopsis);
  AddNodeInputFlags(app, o->inputs);
  app.add_option("--pod", o->pod_file, "the pod to explain, in the --pods forms")
      ->type_name("FILE")
      ->required();
  app.add_option("--name", o->name,
                 "the pod of FILE named NAME (or NAMESPACE/NAME) when FILE holds several")
      ->type_name("NAME");
  AddOutputFlag(app, o->output, {"text", "json"},
                "text (default) or json (podalloc/admission_explanation.h's layout)");
  app.footer(
      "examples:\n"
      "  podalloc explain --default --pod tools/podalloc/testdata/gpu_pod.json\n"
      "  podalloc explain --default --pods tools/podalloc/testdata/burstable_40cpu_pods.json \\\n"
      "      --pod tools/podalloc/testdata/burstable_40cpu_pods.json --name big-2 -o json\n"
      "  podalloc explain -i tests/data/fixtures/hwloc-memorysidecaches.xml \\\n"
      "      --config tools/podalloc/testdata/draw_config.yaml \\\n"
      "      --pod tools/podalloc/testdata/gpu_pod.json");
  return [o](const Io& io) { return Explain(*o, io); };
}

}  // namespace podalloc::cli
