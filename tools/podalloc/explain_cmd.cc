// podalloc explain: one pod's admission explained on a node that has admitted --pods first:
// the verdict, every topology manager merge with each hint provider's hints, and per
// container its CPUs, memory, devices and cgroup files (ExplainAdmission; nothing is admitted).
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli.h"
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
    "  admitted unless named with --pods. MACHINE is one of:\n";
constexpr char kOwnFlags[] =
    "  --pod FILE      the pod to explain, in the --pods forms\n"
    "  --name NAME     the pod of FILE named NAME (or NAMESPACE/NAME) when FILE holds several\n"
    "  -o, --output F  text (default) or json (podalloc/admission_explanation.h's layout)\n"
    "examples:\n"
    "  podalloc explain --default --pod gpu-pod.yaml\n"
    "  podalloc explain --default --pods running.yaml --pod pods.yaml --name web -o json\n"
    "  podalloc explain -i machine.xml --config kubelet.yaml --pod pod.yaml\n";

struct Options {
  NodeInputs inputs;
  std::string pod_file;
  std::string name;
  bool json = false;
};

absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args) {
  Options o;
  absl::Status parsed = ParseNodeArgs(args, o.inputs, [&](size_t& i) -> absl::Status {
    const std::string& a = args[i];
    if (a != "--pod" && a != "--name" && a != "-o" && a != "--output") {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument ", internal::QuoteInput(a)));
    }
    if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--pod") {
      o.pod_file = v;
    } else if (a == "--name") {
      o.name = v;
    } else if (v == "text" || v == "json") {
      o.json = v == "json";
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(a, " must be text or json, not ", internal::QuoteInput(v)));
    }
    return absl::OkStatus();
  });
  if (!parsed.ok()) return parsed;
  if (o.pod_file.empty()) return absl::InvalidArgumentError("name the pod to explain: --pod FILE");
  return o;
}

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

}  // namespace

int RunExplain(const std::vector<std::string>& args, const Io& io) {
  const std::string help = absl::StrCat(kSynopsis, kNodeInputsHelp, kOwnFlags);
  Options o;
  if (std::optional<int> exit = ParseOrExit(args, io, "podalloc explain", help, &ParseArgs, o)) {
    return *exit;
  }
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
  if (o.json) {
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

}  // namespace podalloc::cli
