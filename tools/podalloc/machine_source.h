// File: tools/podalloc/machine_source.h
// Which machine a subcommand reads and the flags that name it: -i/--input (its kind
// recognised, as lstopo's -i), --synthetic, --xml, --sysfs, --json-topology, and for the node
// subcommands --default and --host. At most one may be given (CLI11 `excludes`).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "podalloc/topology.h"

namespace CLI {
class App;
}  // namespace CLI

namespace podalloc::cli {

struct MachineSource {
  // "" (none named), default, host, synthetic, xml, sysfs or json-topology.
  std::string kind;
  std::string value;  // the description, file or folder
};

enum class MachineFlags {
  kTopology,  // none named: this machine; --json is --json-topology
  kNode,      // exactly one, --default and --host among them
};

// Adds the machine flags to `app` in one help group, each excluding the others. With kNode,
// a line that names none is a usage error (app's final callback).
void AddMachineFlags(CLI::App& app, MachineSource& source, MachineFlags which);

// What -i/--input names: "sysfs" for a folder, "xml" or "json-topology" for a file by its
// first character, "synthetic" for anything else with a ':'; NotFound or InvalidArgument
// naming the input otherwise.
absl::StatusOr<std::string> InputKind(const std::string& input);

// The machine of host, synthetic, xml, sysfs or json-topology (node_inputs.h builds default).
absl::StatusOr<Topology> LoadMachine(const MachineSource& source);

}  // namespace podalloc::cli
