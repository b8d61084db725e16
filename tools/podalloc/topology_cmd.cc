// podalloc topology: discover or load a machine and print its summary or its JSON.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli.h"
#include "cli_flags.h"
#include "machine_source.h"
#include "podalloc/topology_json.h"
#include "topology_summary.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc topology [-i X | --synthetic S | --xml FILE | --sysfs DIR | --json FILE]\n"
    "                         [-o|--output text|json]\n"
    "  Without a machine, discovers this one (hwloc, completed from sysfs). Both outputs list\n"
    "  the machine's PCI devices (GPUs, NICs, HCAs, storage) and their OS devices (eth0,\n"
    "  mlx5_0, sda) with the NUMA nodes each is local to (hwloc and sysfs sources).\n";

struct Options {
  MachineSource machine;
  std::string output;
};

}  // namespace

RunFn AddTopology(CLI::App& app) {
  auto o = std::make_shared<Options>();
  SetUsage(app, kSynopsis);
  AddMachineFlags(app, o->machine, MachineFlags::kTopology);
  AddOutputFlag(app, o->output, {"text", "json"},
                "text (default): a readable summary; json: podalloc.topology/v1", "--format");
  app.footer(
      "examples:\n"
      "  podalloc topology -i tests/data/fixtures/hwloc-192em64t-24n8c2t.xml\n"
      "  podalloc topology -i \"pack:2 numa:2 core:8 pu:2\" -o json");
  return [o](const Io& io) {
    MachineSource machine = o->machine;
    if (machine.kind.empty()) machine.kind = "host";
    absl::StatusOr<Topology> topology = LoadMachine(machine);
    if (!topology.ok()) {
      io.err << "podalloc topology: " << topology.status() << "\n";
      return kFailure;
    }
    io.out << (o->output == "json" ? TopologyToJsonString(*topology, 2) + "\n"
                                   : TopologySummary(*topology));
    return kOk;
  };
}

}  // namespace podalloc::cli
