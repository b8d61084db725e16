// podalloc nrt: the NodeResourceTopology object of a node after admitting the given pods, as
// JSON or YAML, ready for `kubectl apply -f -`.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli.h"
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
    "                    [--exclude R ...] [--format json|yaml]\n"
    "  Admits the pods in order (a refused pod is reported on stderr) and prints the node's\n"
    "  NodeResourceTopology (topology.node.k8s.io/v1alpha2). MACHINE is one of:\n";
constexpr char kOwnFlags[] =
    "  --node-name N   metadata.name (default \"node\")\n"
    "  --node-uid U    adds an ownerReference to the Node with this UID\n"
    "  --mode M        exact (default): available = the managers' free pools; rte: the\n"
    "                  arithmetic of resource-topology-exporter, for diffing against it\n"
    "  --method M      which pods the fingerprint covers (default with-exclusive-resources)\n"
    "  --fingerprint-rule R   how exclusive pods are picked: plugin (default, the scheduler\n"
    "                  plugin's rule) or rte (what podresources lists)\n"
    "  --no-fingerprint           no fingerprint annotation or attributes\n"
    "  --legacy-topology-policies the deprecated topologyPolicies field (NFD's value)\n"
    "  --publish-max-numa-nodes   attribute topologyManagerMaxNUMANodes\n"
    "  --exclude R ... resource names left out of every zone\n"
    "  --format F      json (default) or yaml\n";

struct Options {
  NodeInputs inputs;
  NrtOptions nrt;
  bool yaml = false;
};

absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args) {
  Options o;
  o.nrt.node_name = "node";
  absl::Status parsed = ParseNodeArgs(args, o.inputs, [&](size_t& i) -> absl::Status {
    const std::string& a = args[i];
    auto value = [&]() -> absl::StatusOr<std::string> {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a value");
      return args[++i];
    };
    auto choice = [&](const std::string& first,
                      const std::string& second) -> absl::StatusOr<bool> {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      if (*v != first && *v != second) {
        return absl::InvalidArgumentError(
            absl::StrCat(a, ": \"", *v, "\" is neither ", first, " nor ", second));
      }
      return *v == second;
    };
    if (a == "--node-name" || a == "--node-uid") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      (a == "--node-name" ? o.nrt.node_name : o.nrt.node_uid) = *v;
    } else if (a == "--mode") {
      absl::StatusOr<bool> rte = choice("exact", "rte");
      if (!rte.ok()) return rte.status();
      o.nrt.mode = *rte ? NrtMode::kRte : NrtMode::kExact;
    } else if (a == "--method") {
      absl::StatusOr<bool> all = choice("with-exclusive-resources", "all");
      if (!all.ok()) return all.status();
      o.nrt.method = *all ? FingerprintMethod::kAll : FingerprintMethod::kWithExclusiveResources;
    } else if (a == "--fingerprint-rule") {
      absl::StatusOr<bool> rte = choice("plugin", "rte");
      if (!rte.ok()) return rte.status();
      o.nrt.rule = *rte ? FingerprintRule::kRte : FingerprintRule::kPlugin;
    } else if (a == "--format") {
      absl::StatusOr<bool> yaml = choice("json", "yaml");
      if (!yaml.ok()) return yaml.status();
      o.yaml = *yaml;
    } else if (a == "--no-fingerprint") {
      o.nrt.fingerprint = false;
    } else if (a == "--legacy-topology-policies") {
      o.nrt.legacy_topology_policies = true;
    } else if (a == "--publish-max-numa-nodes") {
      o.nrt.publish_max_numa_nodes = true;
    } else if (a == "--exclude") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      o.nrt.resource_exclude["*"].insert(*v);
      while (i + 1 < args.size() && !IsFlag(args[i + 1])) {
        o.nrt.resource_exclude["*"].insert(args[++i]);
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown argument \"", a, "\""));
    }
    return absl::OkStatus();
  });
  if (!parsed.ok()) return parsed;
  if (o.nrt.node_name.empty()) return absl::InvalidArgumentError("--node-name: empty");
  return o;
}

}  // namespace

int RunNrt(const std::vector<std::string>& args, const Io& io) {
  const std::string help = absl::StrCat(kSynopsis, kNodeInputsHelp, kOwnFlags);
  Options parsed;
  if (std::optional<int> exit = ParseOrExit(args, io, "podalloc nrt", help, &ParseArgs, parsed)) {
    return *exit;
  }
  const Options* o = &parsed;
  absl::StatusOr<LoadedNode> loaded = LoadNode(o->inputs, "podalloc nrt", io.err);
  absl::Status admitted = loaded.ok() ? AdmitPods(*loaded->node, loaded->pods, "podalloc nrt",
                                                  io.err).status()
                                      : loaded.status();
  if (!admitted.ok()) {
    io.err << "podalloc nrt: " << admitted << "\n";
    return kFailure;
  }
  absl::StatusOr<std::string> doc = o->yaml ? ExportNrtYaml(*loaded->node, o->nrt)
                                            : ExportNrt(*loaded->node, o->nrt, 2);
  if (!doc.ok()) {
    io.err << "podalloc nrt: " << doc.status() << "\n";
    return kFailure;
  }
  io.out << *doc << (o->yaml ? "" : "\n");
  return kOk;
}

}  // namespace podalloc::cli
