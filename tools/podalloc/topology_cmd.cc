// podalloc topology: discover or load a machine and print its summary or its JSON.
#include <string>
#include <vector>

#include "cli.h"
#include "podalloc/discovery.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/topology_json.h"
#include "topology_summary.h"

namespace podalloc::cli {
namespace {

constexpr char kHelp[] =
    "usage: podalloc topology [--synthetic S | --xml FILE | --sysfs DIR | --json FILE]\n"
    "                         [--format text|json]\n"
    "  Without a source, discovers this machine (hwloc, completed from sysfs).\n"
    "  --synthetic S   an hwloc synthetic description, e.g. \"pack:2 numa:4 l3:3 core:8 pu:2\"\n"
    "  --xml FILE      an hwloc XML export\n"
    "  --sysfs DIR     a Linux sysfs tree below DIR (DIR/sys/devices/system/...)\n"
    "  --json FILE     podalloc.topology/v1 JSON, or one kubelet test-topology record\n"
    "  --format F      text (default): a readable summary; json: podalloc.topology/v1\n"
    "  Both list the machine's PCI devices (GPUs, NICs, HCAs, storage) and their OS devices\n"
    "  (eth0, mlx5_0, sda) with the NUMA nodes each is local to (hwloc and sysfs sources).\n";

}  // namespace

int RunTopology(const std::vector<std::string>& args, const Io& io) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    io.out << kHelp;
    return kOk;
  }
  auto flags = ParseFlags(args, {"synthetic", "xml", "sysfs", "json", "format"});
  if (!flags.ok()) {
    io.err << "podalloc topology: " << flags.status().message() << "\n" << kHelp;
    return kUsage;
  }
  const std::string format = flags->count("format") ? flags->at("format") : "text";
  if (format != "text" && format != "json") {
    io.err << "podalloc topology: --format must be text or json, not "
           << internal::QuoteInput(format) << "\n";
    return kUsage;
  }
  flags->erase("format");
  if (flags->size() > 1) {
    io.err << "podalloc topology: give at most one of --synthetic, --xml, --sysfs, --json\n";
    return kUsage;
  }

  absl::StatusOr<Topology> topology;
  if (flags->empty()) {
    topology = DiscoverHost();
  } else if (const auto& [source, value] = *flags->begin(); source == "synthetic") {
    topology = FromHwlocSynthetic(value);
  } else if (source == "xml") {
    topology = FromHwlocXml(value);
  } else if (source == "sysfs") {
    topology = FromSysfs(value);
  } else {
    topology = FromJsonFile(value);
  }
  if (!topology.ok()) {
    io.err << "podalloc topology: " << topology.status() << "\n";
    return kFailure;
  }
  io.out << (format == "json" ? TopologyToJsonString(*topology, 2) + "\n"
                              : TopologySummary(*topology));
  return kOk;
}

}  // namespace podalloc::cli
