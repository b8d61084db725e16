// podalloc draw: a picture (SVG) of the node after admitting the pods: which CPUs each
// container, pod pool, the node's shared pool and the reserved CPUs hold, per socket, NUMA
// node, L3 group and core, with the memory each NUMA node has pinned.
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli.h"
#include "cli_flags.h"
#include "machine_svg.h"
#include "node_inputs.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc draw MACHINE [--config C] [--pods P ...] [--running P ...\n"
    "                     [--cpu-state F] [--memory-state F]] [-o FILE]\n"
    "  Admits the pods in order (a refused pod is named in the legend and on stderr) and\n"
    "  draws the machine as SVG: sockets, NUMA nodes, L3 groups, cores and CPUs, each CPU\n"
    "  coloured by who holds it, and each NUMA node's pinned memory. MACHINE is one of the\n"
    "  machine flags below.\n";

struct Options {
  NodeInputs inputs;
  std::string output;
};

int Draw(const Options& o, const Io& io) {
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

}  // namespace

RunFn AddDraw(CLI::App& app) {
  auto o = std::make_shared<Options>();
  SetUsage(app, kSynopsis);
  AddNodeInputFlags(app, o->inputs);
  // -o names a file here: draw prints a picture, not decisions in a format.
  app.add_option("-o,--output", o->output, "write the SVG to FILE (default, or -: standard output)")
      ->type_name("FILE");
  app.footer(
      "examples:\n"
      "  podalloc draw --default -o node.svg\n"
      "  podalloc draw -i tests/data/fixtures/hwloc-memorysidecaches.xml \\\n"
      "      --config tools/podalloc/testdata/draw_config.yaml \\\n"
      "      --pods tools/podalloc/testdata/draw_pods.yaml -o map.svg");
  return [o](const Io& io) { return Draw(*o, io); };
}

}  // namespace podalloc::cli
