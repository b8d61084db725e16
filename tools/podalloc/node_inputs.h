// What the node subcommands (simulate, nrt, fits) share: the machine, the configuration and
// the pods to admit, their flags, and loading them into a Node.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli.h"
#include "machine_source.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"
#include "podalloc/quantity.h"

namespace podalloc::cli {

struct NodeInputs {
  MachineSource machine;
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

// Adds the machine flags (exactly one; machine_source.h) and the node's: --config C,
// --pods P ..., --swap Q, --running P ..., --cpu-state F, --memory-state F, --device-state F,
// --devices F. Takes `app`'s final callback (the check that a machine is named).
void AddNodeInputFlags(CLI::App& app, NodeInputs& inputs);

absl::StatusOr<std::string> ReadFile(const std::string& path);

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

}  // namespace podalloc::cli
