// Writing cgroup v2 interface files the way libcontainer's fscommon.WriteFile does: open an
// existing file write-only (never create, never truncate: cgroupfs files are not regular
// files), one write(2) of the value, close, retrying on EINTR.
#include "podalloc/cgroup_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace podalloc {
namespace {

// A relative path component list without "..", so a write cannot leave the root.
bool IsSafeRelative(std::string_view p, bool allow_empty) {
  if (p.empty()) return allow_empty;
  if (p.front() == '/') return false;
  size_t start = 0;
  while (start <= p.size()) {
    const size_t end = std::min(p.find('/', start), p.size());
    if (p.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

int WriteOnce(const std::string& path, const std::string& value) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno;
  ssize_t n;
  do {
    n = ::write(fd, value.data(), value.size());
  } while (n < 0 && errno == EINTR);
  int err = 0;
  if (n < 0) {
    err = errno;
  } else if (static_cast<size_t>(n) != value.size()) {
    err = EIO;  // cgroupfs takes a value in one write; a short write did not apply it
  }
  if (::close(fd) != 0 && err == 0 && errno != EINTR) err = errno;
  return err;
}

absl::StatusCode CodeFor(int error_number) {
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      return absl::StatusCode::kNotFound;
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::StatusCode::kPermissionDenied;
    case EINVAL:
    case ERANGE:
    case EISDIR:
      return absl::StatusCode::kInvalidArgument;
    case EBUSY:
    case ENOSPC:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kUnavailable;
  }
}

}  // namespace

std::string CgroupWriter::PathOf(const CgroupWrite& write) const {
  std::string path = root_;
  if (!write.cgroup.empty()) absl::StrAppend(&path, "/", write.cgroup);
  absl::StrAppend(&path, "/", write.file);
  return path;
}

CgroupWriteReport CgroupWriter::Apply(const std::vector<CgroupWrite>& writes,
                                      CgroupWriteMode mode) const {
  CgroupWriteReport report;
  for (const CgroupWrite& w : writes) {
    const std::string path = PathOf(w);
    int err = 0;
    if (!IsSafeRelative(w.cgroup, true) || !IsSafeRelative(w.file, false) ||
        w.file.find('/') != std::string::npos) {
      err = EINVAL;
    } else if (mode == CgroupWriteMode::kWrite) {
      err = WriteOnce(path, w.value);
    }
    if (err != 0) {
      report.failure = CgroupWriteFailure{w, path, err, std::strerror(err)};
      return report;
    }
    report.done.push_back(w);
  }
  return report;
}

absl::Status CgroupWriteReport::status() const {
  if (!failure) return absl::OkStatus();
  return absl::Status(
      CodeFor(failure->error_number),
      absl::StrCat("cgroup write of \"", failure->write.value, "\" to ", failure->path,
                   " failed: errno ", failure->error_number, " (", failure->error_text, "); ",
                   done.size(), " earlier write(s) applied"));
}

}  // namespace podalloc
