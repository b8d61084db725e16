// The state file on disk: the only part of the memory manager that does I/O.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/memory_checkpoint.h"

namespace podalloc {
namespace {

absl::Status Errno(std::string_view what, const std::filesystem::path& path, int err) {
  return absl::Status(err == ENOENT ? absl::StatusCode::kNotFound : absl::StatusCode::kInternal,
                      absl::StrCat(std::string(what), " ", path.string(), ": ",
                                   std::strerror(err)));
}

absl::Status WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DecodedMemoryCheckpoint> ReadMemoryCheckpointFile(
    const std::filesystem::path& path, std::string_view configured_policy) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Errno("cannot open memory manager checkpoint", path, errno);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Errno("cannot read memory manager checkpoint", path, errno);
  absl::StatusOr<DecodedMemoryCheckpoint> decoded = DecodeMemoryCheckpoint(text.str());
  if (!decoded.ok()) {
    return absl::Status(decoded.status().code(),
                        absl::StrCat(path.string(), ": ", decoded.status().message()));
  }
  if (absl::Status s = CheckMemoryCheckpointPolicy(decoded->checkpoint, configured_policy);
      !s.ok()) {
    return s;
  }
  return decoded;
}

absl::Status WriteMemoryCheckpointFile(const std::filesystem::path& path,
                                       const MemoryCheckpoint& checkpoint) {
  const std::string bytes = EncodeMemoryCheckpoint(checkpoint);
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string tmp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Errno("cannot create a temporary file in", dir, errno);
  absl::Status status = WriteAll(fd, bytes, tmp);
  if (status.ok() && ::fsync(fd) != 0) status = Errno("cannot flush", tmp, errno);
  if (::close(fd) != 0 && status.ok()) status = Errno("cannot close", tmp, errno);
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status = Errno("cannot rename the temporary file over", path, errno);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  // The rename is only durable once the directory entry is.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd < 0) return Errno("cannot open", dir, errno);
  const bool synced = ::fsync(dir_fd) == 0;
  const int err = errno;
  ::close(dir_fd);
  if (!synced) return Errno("cannot flush", dir, err);
  return absl::OkStatus();
}

}  // namespace podalloc
