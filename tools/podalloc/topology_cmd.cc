// podalloc topology: discover or load a machine and print its summary or its JSON.
#include <string>
#include <vector>

#include "cli.h"
#include "podalloc/discovery.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/topology_json.h"
#include "node_inputs.h"
#include "topology_summary.h"

namespace podalloc::cli {
namespace {

constexpr char kHelp[] =
    "usage: podalloc topology [-i X | --synthetic S | --xml FILE | --sysfs DIR | --json FILE]\n"
    "                         [-o|--output text|json]\n"
    "  Without a source, discovers this machine (hwloc, completed from sysfs).\n"
    "  -i, --input X   a machine, its kind recognised: a folder is a sysfs root, a file an hwloc\n"
    "                  XML or topology JSON one, else an hwloc synthetic string\n"
    "  --synthetic S   an hwloc synthetic description, e.g. \"pack:2 numa:4 l3:3 core:8 pu:2\"\n"
    "  --xml FILE      an hwloc XML export\n"
    "  --sysfs DIR     a Linux sysfs tree below DIR (DIR/sys/devices/system/...)\n"
    "  --json FILE, --json-topology FILE   podalloc.topology/v1 JSON, or one kubelet\n"
    "                  test-topology record\n"
    "  -o, --output F  text (default): a readable summary; json: podalloc.topology/v1\n"
    "                  (--format F is the same)\n"
    "  Both list the machine's PCI devices (GPUs, NICs, HCAs, storage) and their OS devices\n"
    "  (eth0, mlx5_0, sda) with the NUMA nodes each is local to (hwloc and sysfs sources).\n"
    "examples:\n"
    "  podalloc topology -i hwloc-192em64t-24n8c2t.xml\n"
    "  podalloc topology -i \"pack:2 numa:2 core:8 pu:2\" -o json\n";

// The short forms, as the long ones ParseFlags reads.
std::vector<std::string> LongFlags(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    out.push_back(a == "-i" ? "--input" : a == "-o" ? "--output" : a);
  }
  return out;
}

}  // namespace

int RunTopology(const std::vector<std::string>& args, const Io& io) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      io.out << kHelp;
      return kOk;
    }
  }
  auto flags = ParseFlags(LongFlags(args), {"input", "synthetic", "xml", "sysfs", "json",
                                            "json-topology", "format", "output"});
  if (!flags.ok()) {
    io.err << "podalloc topology: " << flags.status().message() << "\n" << kHelp;
    return kUsage;
  }
  if (flags->count("format") && flags->count("output")) {
    io.err << "podalloc topology: give --output or --format, not both\n";
    return kUsage;
  }
  const std::string format = flags->count("output")   ? flags->at("output")
                             : flags->count("format") ? flags->at("format")
                                                      : "text";
  if (format != "text" && format != "json") {
    io.err << "podalloc topology: --output must be text or json, not "
           << internal::QuoteInput(format) << "\n";
    return kUsage;
  }
  flags->erase("format");
  flags->erase("output");
  if (flags->size() > 1) {
    io.err << "podalloc topology: give at most one of -i, --synthetic, --xml, --sysfs, --json\n";
    return kUsage;
  }
  if (auto in = flags->find("input"); in != flags->end()) {
    absl::StatusOr<std::string> kind = InputKind(in->second);
    if (!kind.ok()) {
      io.err << "podalloc topology: " << kind.status().message() << "\n";
      return kUsage;
    }
    const std::string value = in->second;
    flags->erase(in);
    (*flags)[*kind] = value;
  }
  if (auto j = flags->find("json-topology"); j != flags->end()) {
    const std::string value = j->second;
    flags->erase(j);
    (*flags)["json"] = value;
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
