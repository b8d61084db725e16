// File: lib/discovery/file_text.h
// Whole-file reads for the file-based sources (XML, JSON, sysfs attributes), bounded in size,
// and error prefixing so every message says which input it is about.
//
// A topology file is a few hundred kilobytes (hwloc's export of a 384-thread, 24-node SGI UV is
// 320 KiB), so reads stop at a documented limit instead of trusting the file: /dev/zero, a FIFO
// or a runaway file must not make discovery read forever or exhaust memory. Only regular files
// are read (sysfs attributes are regular files too); a device or FIFO is refused before any read.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace podalloc::internal {

// The most bytes read from a topology file (hwloc XML, topology JSON): 16 MiB, about fifty
// times the largest real export podalloc knows of.
inline constexpr size_t kMaxTopologyFileBytes = size_t{16} << 20;
// The most bytes read from one sysfs attribute file (the kernel's are at most a page or two).
inline constexpr size_t kMaxSysfsFileBytes = size_t{1} << 20;

// The file's bytes. `what` names the input in errors ("XML topology", "sysfs").
// NotFound / PermissionDenied / ... from errno naming the path; InvalidArgument when the path
// is not a regular file (a device, FIFO or directory) or holds more than `max_bytes` bytes.
absl::StatusOr<std::string> ReadBoundedFile(const std::filesystem::path& path, size_t max_bytes,
                                            const std::string& what);

// ReadBoundedFile with the topology file limit.
absl::StatusOr<std::string> ReadTextFile(const std::filesystem::path& path,
                                         const std::string& what);

// InvalidArgument when a path argument has a NUL byte: the operating system would see only
// the part before it, so a different file would be read than the one named. `argument` is the
// parameter's name ("path", "root").
absl::Status CheckPathArgument(const std::filesystem::path& path, const char* argument);

// At most `limit` bytes of `text` between double quotes, cut on a UTF-8 character boundary,
// with control characters, quotes and backslashes escaped: for error messages that quote input.
std::string QuotedExcerpt(absl::string_view text, size_t limit = 64);

// `status` with "<prefix>: " before its message (OK stays OK).
absl::Status Prefixed(const absl::Status& status, const std::string& prefix);

}  // namespace podalloc::internal
