// The checkpoint's file edge: read a cpu_manager_state file, replace it atomically. The only
// file-system code of the module.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cpu_checkpoint.h"

namespace podalloc {
namespace {

absl::Status Errno(const std::string& what, const std::filesystem::path& path) {
  const int err = errno;
  const std::string text = absl::StrCat(what, " ", path.string(), ": ", std::strerror(err));
  return err == ENOENT ? absl::NotFoundError(text) : absl::InternalError(text);
}

absl::Status WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DecodedCpuCheckpoint> ReadCpuCheckpointFile(const std::filesystem::path& path,
                                                           const ContainerIdResolver& resolve) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Errno("cannot open", path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return Errno("cannot read", path);
  auto decoded = DecodeCpuCheckpoint(bytes.str(), resolve);
  if (!decoded.ok()) {
    return absl::Status(decoded.status().code(),
                        absl::StrCat(path.string(), ": ", decoded.status().message()));
  }
  return decoded;
}

absl::Status WriteCpuCheckpointFile(const std::filesystem::path& path,
                                    const CpuCheckpoint& checkpoint, CpuCheckpointFormat format) {
  absl::StatusOr<std::string> bytes = EncodeCpuCheckpoint(checkpoint, format);
  if (!bytes.ok()) return bytes.status();
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Errno("cannot create a temporary file in", dir);
  const std::filesystem::path tmp = tmpl;
  absl::Status status = WriteAll(fd, *bytes, tmp);
  if (status.ok() && ::fsync(fd) != 0) status = Errno("cannot fsync", tmp);
  if (::close(fd) != 0 && status.ok()) status = Errno("cannot close", tmp);
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status = Errno("cannot rename the temporary file over", path);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  // Make the rename itself durable.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return absl::OkStatus();
}

}  // namespace podalloc
