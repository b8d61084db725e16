#include "machine_source.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "podalloc/discovery.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc::cli {

absl::StatusOr<std::string> InputKind(const std::string& input) {
  std::error_code ec;
  if (std::filesystem::is_directory(input, ec)) return std::string("sysfs");
  if (std::filesystem::is_regular_file(input, ec)) {
    std::ifstream in(input, std::ios::binary);
    char first = 0;
    while (in.get(first) && std::isspace(static_cast<unsigned char>(first))) {
    }
    if (first == '<') return std::string("xml");
    if (first == '{' || first == '[') return std::string("json-topology");
    return absl::InvalidArgumentError(
        absl::StrCat(internal::QuoteInput(input),
                     ": neither an hwloc XML file (<...) nor a topology JSON file ({...})"));
  }
  if (input.find(':') != std::string::npos) return std::string("synthetic");
  return absl::NotFoundError(absl::StrCat(
      internal::QuoteInput(input),
      ": no such file or folder, and not an hwloc synthetic description (e.g. \"pack:2 core:8 "
      "pu:2\")"));
}

void AddMachineFlags(CLI::App& app, MachineSource& source, MachineFlags which) {
  const bool node = which == MachineFlags::kNode;
  const std::string group =
      node ? "machine (exactly one)" : "machine (at most one; none: this machine)";
  std::vector<CLI::Option*> flags;
  auto described = [&](const std::string& names, const std::string& kind,
                       const std::string& type, const std::string& description) {
    flags.push_back(app.add_option_function<std::string>(
                           names,
                           [&source, kind](const std::string& value) {
                             source.kind = kind;
                             source.value = value;
                           },
                           description)
                        ->type_name(type)
                        ->group(group));
  };
  if (node) {
    flags.push_back(
        app.add_flag_callback("--default", [&source] { source.kind = "default"; },
                              "the built-in example: a synthetic 2-socket, 4-NUMA, 64-CPU machine "
                              "with\n16 GiB per NUMA node (\"pack:2 numa:2 core:8 pu:2\"), the "
                              "built-in\nconfiguration (static CPU policy reserving CPUs 0-1, "
                              "Static memory policy\nreserving 1Gi per NUMA node, topology manager "
                              "restricted with scope pod,\nPodLevelResources and "
                              "PodLevelResourceManagers on), four GPUs\n(nvidia.com/gpu, two on "
                              "NUMA node 1 and two on node 3) and the KEP-5526\nexample pods and a "
                              "GPU pod; --config, --devices and --pods replace the\nparts they name")
            ->group(group));
    flags.push_back(app.add_flag_callback("--host", [&source] { source.kind = "host"; },
                                          "this machine's topology (hwloc, completed from sysfs)")
                        ->group(group));
  }
  // -i: the kind is recognised when the flag is read, so a bad input is a usage error.
  flags.push_back(
      app.add_option_function<std::string>(
             "-i,--input",
             [&source](const std::string& value) {
               absl::StatusOr<std::string> kind = InputKind(value);
               if (!kind.ok()) {
                 throw CLI::ValidationError("--input", std::string(kind.status().message()));
               }
               source.kind = *kind;
               source.value = value;
             },
             "a machine, its kind recognised: a folder is a sysfs root, a file an\nhwloc XML or "
             "topology JSON one, else an hwloc synthetic string")
          ->type_name("X")
          ->group(group));
  described("--synthetic", "synthetic", "S",
            "an hwloc synthetic description, e.g. \"pack:2 numa:4 l3:3 core:8 pu:2\"");
  described("--xml", "xml", "FILE", "an hwloc XML export");
  described("--sysfs", "sysfs", "DIR", "a Linux sysfs tree below DIR (DIR/sys/devices/system/...)");
  described(node ? "--json-topology" : "--json,--json-topology", "json-topology", "FILE",
            "podalloc.topology/v1 JSON, or one kubelet test-topology record");
  for (size_t a = 0; a < flags.size(); ++a) {
    for (size_t b = a + 1; b < flags.size(); ++b) flags[a]->excludes(flags[b]);
  }
  if (node) {
    app.callback([&source] {
      if (source.kind.empty()) {
        throw CLI::RequiredError(
            "name a machine: --default, --host, -i X, --synthetic S, --xml FILE, --sysfs DIR or "
            "--json-topology FILE",
            CLI::ExitCodes::RequiredError);
      }
    });
  }
}

absl::StatusOr<Topology> LoadMachine(const MachineSource& source) {
  if (source.kind == "host") return DiscoverHost();
  if (source.kind == "synthetic") return FromHwlocSynthetic(source.value);
  if (source.kind == "xml") return FromHwlocXml(source.value);
  if (source.kind == "sysfs") return FromSysfs(source.value);
  if (source.kind == "json-topology") return FromJsonFile(source.value);
  return absl::InvalidArgumentError(
      absl::StrCat("no machine of kind ", internal::QuoteInput(source.kind)));
}

}  // namespace podalloc::cli
