// File: lib/discovery/sysfs_files.h
// Reading the Linux sysfs files that describe CPUs and NUMA nodes below a root prefix, the way
// cadvisor reads them for the kubelet. The prefix makes captured trees (hwloc-gather-topology
// tarballs) readable without root; an empty prefix reads the live /sys.
//
// Every error names the file: NotFound / PermissionDenied for an unreadable file (from errno),
// InvalidArgument for contents that do not parse.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/cpuset.h"

namespace podalloc::internal {

class SysfsRoot {
 public:
  explicit SysfsRoot(std::filesystem::path root) : root_(std::move(root)) {}

  // The path of `relative` ("sys/devices/system/cpu/online") below the root.
  std::filesystem::path Path(const std::string& relative) const;
  bool Exists(const std::string& relative) const;

  // The file's text with trailing whitespace and NUL bytes removed (some kernels end
  // node/online with "\n\0").
  absl::StatusOr<std::string> Read(const std::string& relative) const;
  // A CPU list in the kernel's list syntax ("0-3,8"); an empty file is the empty set.
  absl::StatusOr<CpuSet> ReadCpuList(const std::string& relative) const;
  // A CPU mask in the kernel's hex syntax (32-bit words, most significant first, ","-joined).
  absl::StatusOr<CpuSet> ReadCpuMask(const std::string& relative) const;
  // The list file when present, else the mask file; NotFound names the list file.
  absl::StatusOr<CpuSet> ReadCpuListOrMask(const std::string& list_relative,
                                           const std::string& mask_relative) const;
  absl::StatusOr<int64_t> ReadInt(const std::string& relative) const;
  // Ascending N of the entries "<prefix>N" (decimal N) of a directory, e.g. cpu0, cpu1, ...
  absl::StatusOr<std::vector<int>> ListNumbered(const std::string& dir_relative,
                                                const std::string& prefix) const;
  // Names of the entries of a directory, sorted.
  absl::StatusOr<std::vector<std::string>> List(const std::string& dir_relative) const;

  // InvalidArgument "sysfs: <path>: <what>".
  absl::Status Malformed(const std::string& relative, const std::string& what) const;

 private:
  std::filesystem::path root_;
};

// Parses the kernel's hex CPU mask syntax; `where` names the input in errors.
absl::StatusOr<CpuSet> ParseCpuMask(std::string_view text, const std::string& where);

}  // namespace podalloc::internal
