// podalloc draw: a picture (SVG) of the node after admitting the pods: which CPUs each
// container, pod pool, the node's shared pool and the reserved CPUs hold, per socket, NUMA
// node, L3 group and core, with the memory each NUMA node has pinned.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli.h"
#include "machine_svg.h"
#include "node_inputs.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc draw MACHINE [--config C] [--pods P ...] [--running P ...\n"
    "                     [--cpu-state F] [--memory-state F]] [-o FILE]\n"
    "  Admits the pods in order (a refused pod is named in the legend and on stderr) and\n"
    "  draws the machine as SVG: sockets, NUMA nodes, L3 groups, cores and CPUs, each CPU\n"
    "  coloured by who holds it, and each NUMA node's pinned memory. MACHINE is one of:\n";
constexpr char kOwnFlags[] =
    "  -o, --output FILE  write the SVG to FILE (default: standard output)\n"
    "examples:\n"
    "  podalloc draw --default -o node.svg\n"
    "  podalloc draw -i hwloc-memorysidecaches.xml --config kubelet.yaml --pods pods.yaml "
    "-o map.svg\n";

struct Options {
  NodeInputs inputs;
  std::string output;
};

absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args) {
  Options o;
  absl::Status parsed = ParseNodeArgs(args, o.inputs, [&](size_t& i) -> absl::Status {
    const std::string& a = args[i];
    if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a file");
      o.output = args[++i];
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat("unknown argument \"", a, "\""));
  });
  if (!parsed.ok()) return parsed;
  return o;
}

}  // namespace

int RunDraw(const std::vector<std::string>& args, const Io& io) {
  const std::string help = absl::StrCat(kSynopsis, kNodeInputsHelp, kOwnFlags);
  Options o;
  if (std::optional<int> exit = ParseOrExit(args, io, "podalloc draw", help, &ParseArgs, o)) {
    return *exit;
  }
  absl::StatusOr<LoadedNode> loaded = LoadNode(o.inputs, "podalloc draw", io.err);
  if (!loaded.ok()) {
    io.err << "podalloc draw: " << loaded.status().message() << "\n";
    return kFailure;
  }
  Node& node = *loaded->node;
  absl::StatusOr<std::vector<Decision>> decisions =
      AdmitPods(node, loaded->pods, "podalloc draw", io.err);
  if (!decisions.ok()) {
    io.err << "podalloc draw: " << decisions.status().message() << "\n";
    return kFailure;
  }
  const std::string svg = MachineSvg(PictureOfNode(node, *std::move(decisions)));
  if (o.output.empty() || o.output == "-") {
    io.out << svg;
    return kOk;
  }
  if (absl::Status s = WriteTextFile(o.output, svg); !s.ok()) {
    io.err << "podalloc draw: " << s.message() << "\n";
    return kFailure;
  }
  return kOk;
}

}  // namespace podalloc::cli
