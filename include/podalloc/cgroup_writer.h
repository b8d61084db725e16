// File: podalloc/cgroup_writer.h
// The optional edge that carries cgroup values to a cgroup v2 tree: the only code in
// podalloc that touches cgroupfs. It writes lists of (cgroup directory, interface file,
// value) below a root path, such as the ordered plan of resize.h or a decision's
// ContainerCgroupFiles, the way the kubelet's cgroup manager and the OCI runtime would
// (pkg/kubelet/cm/cgroup_manager_linux.go through libcontainer's cgroups/fscommon WriteFile).
//
// Not part of podalloc::core; link podalloc::cgroup_writer.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "podalloc/resize.h"

namespace podalloc {

enum class CgroupWriteMode {
  kDryRun,  // report what would be written, in order; touch nothing
  kWrite,   // write each file in order
};

// One write that was attempted and failed.
struct CgroupWriteFailure {
  CgroupWrite write;
  std::string path;  // absolute path of the file
  int error_number = 0;
  std::string error_text;  // strerror(error_number)

  friend bool operator==(const CgroupWriteFailure&, const CgroupWriteFailure&) = default;
};

// What Apply did: `done` holds every write that happened (in dry-run mode: every write that
// would happen), in order; `failure` the first write that failed, after which nothing more
// was attempted. `failure` set means `done` is a strict prefix of the request, so a caller
// knows exactly which files already hold their new value.
struct CgroupWriteReport {
  std::vector<CgroupWrite> done;
  std::optional<CgroupWriteFailure> failure;

  bool ok() const { return !failure.has_value(); }
  // OK, or the failure as a status naming the file and errno (kNotFound for ENOENT,
  // kPermissionDenied for EACCES/EPERM, kInvalidArgument for EINVAL/ERANGE, else
  // kUnavailable).
  absl::Status status() const;
};

// Writes below one root (e.g. "/sys/fs/cgroup/kubepods.slice/kubepods-pod<uid>.slice", or
// a temporary directory laid out like cgroupfs in tests). Thread-compatible; holds only the
// root path.
class CgroupWriter {
 public:
  explicit CgroupWriter(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }

  // Applies `writes` in order. Each write opens <root>/<cgroup>/<file> for writing without
  // creating or truncating it (cgroup interface files always exist; a missing file is an
  // error, never a new regular file), writes the value in one write(2) and closes it.
  // Stops at the first failure: a later write may depend on an earlier one (a pod limit
  // raised before its containers'), so carrying on could leave a child above its parent.
  // Cgroup names and file names must be relative and may not contain "..": such a write
  // fails with EINVAL at its turn in the order, before its file is touched.
  CgroupWriteReport Apply(const std::vector<CgroupWrite>& writes, CgroupWriteMode mode) const;

  // The absolute path a write goes to.
  std::string PathOf(const CgroupWrite& write) const;

 private:
  std::string root_;
};

}  // namespace podalloc
