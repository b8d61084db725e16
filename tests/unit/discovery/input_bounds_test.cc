// Bounds on what discovery reads: file sizes, files that are not regular files, and path
// arguments that the operating system would cut at a NUL byte.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "file_text.h"
#include "podalloc/discovery.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

// A fresh folder under the system's temporary folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "podalloc-bounds-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void RequireRefused(const absl::Status& status, absl::StatusCode code,
                    const std::vector<std::string>& parts) {
  const std::string message(status.message());
  CAPTURE(message);
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == code);
  for (const std::string& part : parts) CHECK_THAT(message, Catch::Contains(part));
}

TEST_CASE("discovery bounds: a device, a FIFO or a directory is refused before any read",
          "[discovery][bounds]") {
  RequireRefused(FromHwlocXml("/dev/zero").status(), absl::StatusCode::kInvalidArgument,
                 {"/dev/zero", "a character device", "only regular files are read"});
  RequireRefused(FromJsonFile("/dev/zero").status(), absl::StatusCode::kInvalidArgument,
                 {"/dev/zero", "a character device"});
  TempDir dir;
  const std::filesystem::path fifo = dir.path() / "topology.xml";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // No writer ever opens the FIFO: a blocking open or read would hang this test.
  RequireRefused(FromHwlocXml(fifo).status(), absl::StatusCode::kInvalidArgument,
                 {fifo.string(), "a FIFO"});
  RequireRefused(FromHwlocXml(dir.path()).status(), absl::StatusCode::kInvalidArgument,
                 {"a directory"});
}

TEST_CASE("discovery bounds: files over the limit are refused, naming the file and the limit",
          "[discovery][bounds]") {
  TempDir dir;
  const std::filesystem::path big = dir.path() / "big.xml";
  {
    std::ofstream out(big, std::ios::binary);
    out << std::string(internal::kMaxTopologyFileBytes + 1, ' ');
  }
  RequireRefused(FromHwlocXml(big).status(), absl::StatusCode::kInvalidArgument,
                 {big.string(), "larger than the limit of 16777216 bytes"});
  RequireRefused(FromJsonFile(big).status(), absl::StatusCode::kInvalidArgument,
                 {big.string(), "16777216"});
  RequireRefused(
      FromHwlocXmlBuffer(std::string(internal::kMaxTopologyFileBytes + 1, ' ')).status(),
      absl::StatusCode::kInvalidArgument, {"larger than the limit of 16777216 bytes"});
  // The bound itself, on a small limit: exactly the limit is read, one byte more is not.
  const std::filesystem::path small = dir.path() / "small";
  {
    std::ofstream out(small, std::ios::binary);
    out << "12345";
  }
  auto at_limit = internal::ReadBoundedFile(small, 5, "test");
  REQUIRE(at_limit.ok());
  CHECK(*at_limit == "12345");
  RequireRefused(internal::ReadBoundedFile(small, 4, "test").status(),
                 absl::StatusCode::kInvalidArgument,
                 {"test: ", "larger than the limit of 4 bytes"});
}

TEST_CASE("discovery bounds: a sysfs attribute that is a device is refused",
          "[discovery][bounds]") {
  TempDir dir;
  const std::filesystem::path cpu = dir.path() / "sys/devices/system/cpu";
  std::filesystem::create_directories(cpu);
  std::filesystem::create_symlink("/dev/zero", cpu / "online");
  RequireRefused(FromSysfs(dir.path()).status(), absl::StatusCode::kInvalidArgument,
                 {(cpu / "online").string(), "a character device"});
}

TEST_CASE("discovery bounds: a path with a NUL byte is refused, naming the argument",
          "[discovery][bounds]") {
  const std::string fixture =
      (testing::TestDataDir() / "fixtures" / "hwloc-fakeheterodistances.xml").string();
  // The part before the NUL names a real file: the OS would read it if the path were cut.
  const std::string cut = fixture + std::string("\0.evil", 6);
  RequireRefused(FromHwlocXml(cut).status(), absl::StatusCode::kInvalidArgument,
                 {"path \"", "\\x00.evil\" has a NUL byte at offset " +
                                  std::to_string(fixture.size())});
  RequireRefused(FromJsonFile(cut).status(), absl::StatusCode::kInvalidArgument,
                 {"path ", "NUL byte"});
  RequireRefused(FromSysfs(std::string("/\0tmp", 5)).status(), absl::StatusCode::kInvalidArgument,
                 {"root \"/\\x00tmp\" has a NUL byte at offset 1"});
}

}  // namespace
}  // namespace podalloc
