// podalloc nrt: the NodeResourceTopology object of a node after admitting the given pods, as
// JSON or YAML, ready for `kubectl apply -f -`.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_join.h"
#include "cli.h"
#include "cli_flags.h"
#include "node_inputs.h"
#include "podalloc/nrt.h"

namespace podalloc::cli {
namespace {

constexpr char kSynopsis[] =
    "usage: podalloc nrt MACHINE [--config C] [--running P ... [--cpu-state F]\n"
    "                    [--memory-state F]] [--pods P ...] [--node-name N] [--node-uid U]\n"
    "                    [--mode exact|rte] [--method with-exclusive-resources|all]\n"
    "                    [--fingerprint-rule plugin|rte] [--no-fingerprint]\n"
    "                    [--legacy-topology-policies] [--publish-max-numa-nodes]\n"
    "                    [--exclude R ...] [-o|--output json|yaml]\n"
    "  Admits the pods in order (a refused pod is reported on stderr) and prints the node's\n"
    "  NodeResourceTopology (topology.node.k8s.io/v1alpha2). MACHINE is one of the machine\n"
    "  flags below.\n";

struct Options {
  NodeInputs inputs;
  NrtOptions nrt;
  std::string output;  // json or yaml
};

// A flag whose value is one of two words, each meaning one enumerator.
template <typename Enum>
void AddChoice(CLI::App& app, const std::string& name, Enum& out,
               std::vector<std::pair<std::string, Enum>> choices, const std::string& description) {
  std::vector<std::string> words;
  for (const auto& [word, value] : choices) words.push_back(word);
  app.add_option_function<std::string>(
         name,
         [&out, choices](const std::string& word) {
           for (const auto& [w, value] : choices) {
             if (w == word) out = value;
           }
         },
         description)
      ->type_name(absl::StrJoin(words, "|"))
      ->check(OneOf(words));
}

int Nrt(const Options& o, const Io& io) {
  absl::StatusOr<LoadedNode> loaded = LoadNode(o.inputs, "podalloc nrt", io.err);
  absl::Status admitted = loaded.ok() ? AdmitPods(*loaded->node, loaded->pods, "podalloc nrt",
                                                  io.err).status()
                                      : loaded.status();
  if (!admitted.ok()) {
    io.err << "podalloc nrt: " << admitted << "\n";
    return kFailure;
  }
  const bool yaml = o.output == "yaml";
  absl::StatusOr<std::string> doc =
      yaml ? ExportNrtYaml(*loaded->node, o.nrt) : ExportNrt(*loaded->node, o.nrt, 2);
  if (!doc.ok()) {
    io.err << "podalloc nrt: " << doc.status() << "\n";
    return kFailure;
  }
  io.out << *doc << (yaml ? "" : "\n");
  return kOk;
}
}  // namespace

RunFn AddNrt(CLI::App& app) {
  auto o = std::make_shared<Options>();
  o->nrt.node_name = "node";
  SetUsage(app, kSynopsis);
  AddNodeInputFlags(app, o->inputs);
  app.add_option("--node-name", o->nrt.node_name, "metadata.name (default \"node\")")
      ->type_name("N")
      ->check(CLI::Validator(
          [](std::string& name) { return name.empty() ? std::string("may not be empty") : std::string(); },
          ""));
  app.add_option("--node-uid", o->nrt.node_uid, "adds an ownerReference to the Node with this UID")
      ->type_name("U");
  AddChoice(app, "--mode", o->nrt.mode, {{"exact", NrtMode::kExact}, {"rte", NrtMode::kRte}},
            "exact (default): available = the managers' free pools; rte: the\n"
            "arithmetic of resource-topology-exporter, for diffing against it");
  AddChoice(app, "--method", o->nrt.method,
            {{"with-exclusive-resources", FingerprintMethod::kWithExclusiveResources},
             {"all", FingerprintMethod::kAll}},
            "which pods the fingerprint covers (default with-exclusive-resources)");
  AddChoice(app, "--fingerprint-rule", o->nrt.rule,
            {{"plugin", FingerprintRule::kPlugin}, {"rte", FingerprintRule::kRte}},
            "how exclusive pods are picked: plugin (default, the scheduler\n"
            "plugin's rule) or rte (what podresources lists)");
  app.add_flag_callback("--no-fingerprint", [o] { o->nrt.fingerprint = false; },
                        "no fingerprint annotation or attributes");
  app.add_flag("--legacy-topology-policies", o->nrt.legacy_topology_policies,
               "the deprecated topologyPolicies field (NFD's value)");
  app.add_flag("--publish-max-numa-nodes", o->nrt.publish_max_numa_nodes,
               "attribute topologyManagerMaxNUMANodes");
  app.add_option_function<std::vector<std::string>>(
         "--exclude",
         [o](const std::vector<std::string>& names) {
           o->nrt.resource_exclude["*"].insert(names.begin(), names.end());
         },
         "resource names left out of every zone")
      ->type_name("R");
  AddOutputFlag(app, o->output, {"json", "yaml"}, "json (default) or yaml", "--format");
  app.footer(
      "examples:\n"
      "  podalloc nrt --default -o yaml\n"
      "  podalloc nrt --json-topology tests/data/derived/nrt/example4-topology.json \\\n"
      "      --config tests/data/derived/nrt/example4-config.json \\\n"
      "      --pods tests/data/derived/nrt/pods/pod-x.json --node-name worker-0 -o yaml \\\n"
      "      | kubectl apply -f -");
  return [o](const Io& io) { return Nrt(*o, io); };
}

}  // namespace podalloc::cli
