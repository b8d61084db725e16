// What the node subcommands (simulate, nrt, fits) share: the machine, the configuration and
// the pods to admit, their flags, and loading them into a Node.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"
#include "podalloc/quantity.h"

namespace podalloc::cli {

// The flags' usage lines, for a subcommand's help.
extern const char kNodeInputsHelp[];

struct NodeInputs {
  std::string source;  // default | host | synthetic | xml | sysfs | json-topology
  std::string source_value;
  std::string config_file;
  std::vector<std::string> pod_files;
  std::optional<Quantity> swap;
  // A running node: the kubelet's checkpoint files and the pods they belong to, restored
  // before any --pods are admitted.
  std::vector<std::string> running_files;
  std::string cpu_state_file;
  std::string memory_state_file;
  std::string device_state_file;  // kubelet_internal_checkpoint
  // The device plugins' devices (device_file.h), registered once any running pods are
  // restored, as plugins register again after a kubelet restart.
  std::string devices_file;
  bool Restores() const {
    return !running_files.empty() || !cpu_state_file.empty() || !memory_state_file.empty() ||
           !device_state_file.empty();
  }
};

// When args[i] is a node-input flag (--default, --host, --synthetic S, --xml F, --sysfs DIR,
// --json-topology F, --config C, --pods P ..., --swap Q, --running P ..., --cpu-state F,
// --memory-state F, --device-state F, --devices F), reads it and its values (advancing i)
// and returns true; false for any other argument. InvalidArgument for a flag without its
// value or a second machine.
absl::StatusOr<bool> ParseNodeInputFlag(const std::vector<std::string>& args, size_t& i,
                                        NodeInputs& inputs);

// Walks a subcommand's arguments: node-input flags fill `inputs`, every other argument goes to
// `own` with its index (which it advances past any values it reads). InvalidArgument when
// either refuses one, or when no machine is named.
absl::Status ParseNodeArgs(const std::vector<std::string>& args, NodeInputs& inputs,
                           const std::function<absl::Status(size_t& i)>& own);

absl::StatusOr<std::string> ReadFile(const std::string& path);

// What -i/--input names, as lstopo's -i does: "sysfs" for a folder, "xml" or "json-topology"
// for a file by its first character, "synthetic" for anything else with a ':'; NotFound or
// InvalidArgument naming the input otherwise.
absl::StatusOr<std::string> InputKind(const std::string& input);

// "--flag=value" as "--flag" "value" (the first '=' splits), so every flag of the node
// subcommands takes both forms; other arguments are kept as they are.
std::vector<std::string> SplitFlagValues(const std::vector<std::string>& args);

struct LoadedNode {
  std::unique_ptr<Node> node;
  std::vector<Pod> pods;  // to admit, in order
};
// Builds the node (the configuration's warnings go to `warnings`, one line each, prefixed by
// "<command>: config: warning: "), restores the running pods with the checkpoint files when
// given, registers the devices, and reads the pods to admit; --default fills what is not given
// (its example pods only when nothing is restored).
absl::StatusOr<LoadedNode> LoadNode(const NodeInputs& inputs, const std::string& command,
                                    std::ostream& warnings);

// Admits and commits the pods in order; a refused pod is reported on `warnings`. The
// decisions, refused ones included, in order.
absl::StatusOr<std::vector<Decision>> AdmitPods(Node& node, const std::vector<Pod>& pods,
                                                const std::string& command,
                                                std::ostream& warnings);

// The machine, the configuration's policies and the registered devices, one line each, as
// simulate and explain print them before their pods (no devices line without device plugins).
void PrintNodeSummary(const Node& node, std::ostream& out);

// The start every node subcommand shares: `--help` (or -h) prints `help` and exits 0;
// "--flag=value" is read as "--flag value"; arguments
// `parse` refuses print the reason and `help` and exit 2. Otherwise fills `out`, nullopt.
template <typename Options>
std::optional<int> ParseOrExit(const std::vector<std::string>& args, const Io& io,
                               const std::string& command, const std::string& help,
                               absl::StatusOr<Options> (*parse)(const std::vector<std::string>&),
                               Options& out) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      io.out << help;
      return kOk;
    }
  }
  absl::StatusOr<Options> parsed = parse(SplitFlagValues(args));
  if (!parsed.ok()) {
    io.err << command << ": " << parsed.status().message() << "\n" << help;
    return kUsage;
  }
  out = *std::move(parsed);
  return std::nullopt;
}

}  // namespace podalloc::cli
