// Reading pods for the CLI: Kubernetes Pod documents in JSON or YAML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/node_checkpoint.h"
#include "podalloc/pod.h"

namespace podalloc::cli {

// Appends the pods of `text` to `out`: one pod, a list of pods, or a v1 List ({"items": [...]}),
// as JSON or as YAML (several `---` separated documents are read in turn). A pod without
// metadata.namespace is in "default", as kubectl reads a file. `origin` (the file name) starts
// error messages. Nothing is appended on error.
absl::Status AppendPods(std::string_view text, const std::string& origin, std::vector<Pod>& out);

// The pods of a running node in the same forms (namespace "default" when absent), with the
// containers each names as removed
// (its podalloc.dev/removed-containers annotation), for restoring checkpoints.
absl::StatusOr<PodsToRestore> RunningPods(std::string_view text, const std::string& origin);

}  // namespace podalloc::cli
