#include "file_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc::internal {
namespace {

// Closes a file descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

const char* FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

absl::StatusOr<std::string> ReadBoundedFile(const std::filesystem::path& path, size_t max_bytes,
                                            const std::string& what) {
  if (absl::Status nul = CheckPathArgument(path, "path"); !nul.ok()) return Prefixed(nul, what);
  const std::string name = path.string();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  Fd fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) {
    int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat(what, ": cannot open ", name));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat(what, ": cannot stat ", name));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", name, " is ", FileKind(info.st_mode),
                                                   "; only regular files are read"));
  }
  auto too_large = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", name, " is larger than the limit of ", max_bytes, " bytes"));
  };
  if (static_cast<uint64_t>(info.st_size) > max_bytes) return too_large();
  std::string text;
  // sysfs reports 4096 for every attribute whatever it holds, so the size only sizes the buffer;
  // the loop reads to the end, one byte past the limit at most.
  text.reserve(static_cast<size_t>(info.st_size));
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      return absl::ErrnoToStatus(err, absl::StrCat(what, ": cannot read ", name));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > max_bytes) return too_large();
  }
  return text;
}

absl::StatusOr<std::string> ReadTextFile(const std::filesystem::path& path,
                                         const std::string& what) {
  return ReadBoundedFile(path, kMaxTopologyFileBytes, what);
}

absl::Status CheckPathArgument(const std::filesystem::path& path, const char* argument) {
  const std::string& native = path.native();
  size_t nul = native.find('\0');
  if (nul == std::string::npos) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(argument, " ", QuotedExcerpt(native, 256),
                                                 " has a NUL byte at offset ", nul,
                                                 "; a file name cannot hold one"));
}

std::string QuotedExcerpt(absl::string_view text, size_t limit) {
  return QuoteInput(std::string_view(text.data(), text.size()), limit);
}

absl::Status Prefixed(const absl::Status& status, const std::string& prefix) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, ": ", std::string(status.message())));
}

}  // namespace podalloc::internal
