// File: tests/fuzz/fuzz_sysfs.cc
// Linux sysfs trees, read by podalloc_topology_from_sysfs below a root folder. The input is
// a text archive (sysfs_archive.py writes it from a capture): records of a header line
// "== <path>" followed by the file's bytes. The target unpacks it into a private temporary
// folder (paths are confined to sys/ and to plain names) and reads the machine from there.
// An accepted machine writes JSON that reads back into the same machine.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_support.h"

namespace {

namespace fs = std::filesystem;
using podalloc_fuzz::Violation;

constexpr size_t kMaxFiles = 4096;

// A relative path below sys/ of plain names: no "..", no absolute path, no odd bytes.
bool Confined(std::string_view path) {
  if (path.substr(0, 4) != "sys/" || path.size() > 200) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ',' ||
                         c == ':' || c == '+';
      if (!plain) return false;
    }
    start = end + 1;
  }
  return true;
}

// The per-process folder the archive is unpacked into; removed at exit.
const fs::path& Root() {
  static const fs::path root = [] {
    std::string pattern = (fs::temp_directory_path() / "podalloc-fuzz-sysfs-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) Violation("cannot make a temporary folder");
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(Root(), ignored);
    });
    return fs::path(pattern);
  }();
  return root;
}

// Unpacks the archive; false when it names a path outside the rules (input ignored).
bool Unpack(std::string_view archive) {
  std::error_code ignored;
  fs::remove_all(Root() / "sys", ignored);
  size_t files = 0;
  size_t at = 0;
  while (at < archive.size()) {
    if (archive.substr(at, 3) != "== ") return false;
    const size_t header_end = archive.find('\n', at);
    if (header_end == std::string_view::npos) return false;
    const std::string_view path = archive.substr(at + 3, header_end - at - 3);
    size_t next = archive.find("\n== ", header_end);
    next = next == std::string_view::npos ? archive.size() : next + 1;
    const std::string_view body =
        archive.substr(header_end + 1, next > header_end + 1 ? next - header_end - 1 : 0);
    if (!Confined(path) || ++files > kMaxFiles) return false;
    const fs::path file = Root() / std::string(path);
    fs::create_directories(file.parent_path(), ignored);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) return false;  // e.g. a path that is also a folder
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    at = next;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!Unpack(std::string_view(reinterpret_cast<const char*>(data), size))) return 0;
  const std::string root = Root().string();
  podalloc_topology* topology = nullptr;
  const podalloc_status s =
      podalloc_topology_from_sysfs(&topology, root.data(), root.size(), nullptr);
  podalloc_fuzz::CheckStatus(s, "podalloc_topology_from_sysfs");
  if (s != PODALLOC_OK) {
    if (topology != nullptr) Violation("a refused sysfs tree wrote its output");
    return 0;
  }
  if (podalloc_topology_num_cpus(topology) <= 0) Violation("a machine without CPUs was accepted");
  podalloc_fuzz::CheckTopologyRoundTrip(topology);
  podalloc_topology_destroy(topology);
  return 0;
}
