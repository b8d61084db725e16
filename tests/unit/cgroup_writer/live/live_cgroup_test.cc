// CgroupWriter against the machine's own cgroup v2 hierarchy: creates a child cgroup under
// a test-owned directory, writes every file kind the writer carries, reads the values back
// and removes the cgroup. Without a writable cgroup v2 mount offering cpu, cpuset and memory
// to its children it exits with 77, which CTest reports as Skipped, and prints why.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "podalloc/cgroup_writer.h"

namespace {

constexpr int kSkip = 77;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The mount point of the cgroup2 file system, from /proc/self/mountinfo ("" if none).
std::string Cgroup2Mount() {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    const size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream rest(line.substr(dash + 3));
    std::string fstype;
    rest >> fstype;
    if (fstype != "cgroup2") continue;
    std::istringstream fields(line);
    std::string id, parent, devno, root, mount;
    fields >> id >> parent >> devno >> root >> mount;
    return mount;
  }
  return "";
}

bool HasWord(const std::string& list, const std::string& word) {
  std::istringstream in(list);
  std::string w;
  while (in >> w) {
    if (w == word) return true;
  }
  return false;
}

int Skip(const std::string& reason) {
  std::printf("SKIPPED: %s\n", reason.c_str());
  return kSkip;
}

}  // namespace

int main() {
  const std::string mount = Cgroup2Mount();
  if (mount.empty()) return Skip("no cgroup2 file system is mounted");
  const std::string enabled = ReadFile(mount + "/cgroup.subtree_control");
  for (const char* controller : {"cpu", "cpuset", "memory"}) {
    if (!HasWord(enabled, controller)) {
      return Skip("cgroup2 at " + mount + " does not enable \"" + controller +
                  "\" for its children (cgroup.subtree_control: \"" + enabled + "\")");
    }
  }
  const std::string dir = mount + "/podalloc-writer-test-" + std::to_string(::getpid());
  if (::mkdir(dir.c_str(), 0755) != 0) {
    return Skip("cannot create " + dir + ": " + std::strerror(errno));
  }
  const std::string cpus = ReadFile(mount + "/cpuset.cpus.effective");
  const std::string mems = ReadFile(mount + "/cpuset.mems.effective");
  const std::string first_cpu = cpus.substr(0, cpus.find_first_of(",-"));
  const std::string first_mem = mems.substr(0, mems.find_first_of(",-"));
  const std::vector<podalloc::CgroupWrite> writes = {
      {"", "cpuset.cpus", first_cpu},       {"", "cpuset.mems", first_mem},
      {"", "cpu.max", "50000 100000"},      {"", "cpu.weight", "50"},
      {"", "memory.max", "1073741824"},     {"", "memory.high", "805306368"},
      {"", "memory.low", "268435456"},      {"", "memory.min", "134217728"},
  };
  const podalloc::CgroupWriteReport report =
      podalloc::CgroupWriter(dir).Apply(writes, podalloc::CgroupWriteMode::kWrite);
  int failures = 0;
  if (!report.ok()) {
    std::printf("FAILED: %s\n", std::string(report.status().message()).c_str());
    ++failures;
  } else {
    for (const podalloc::CgroupWrite& w : writes) {
      const std::string back = ReadFile(dir + "/" + w.file);
      if (back != w.value) {
        std::printf("FAILED: %s reads back \"%s\", wrote \"%s\"\n", w.file.c_str(),
                    back.c_str(), w.value.c_str());
        ++failures;
      }
    }
  }
  if (::rmdir(dir.c_str()) != 0) {
    std::printf("FAILED: cannot remove %s: %s\n", dir.c_str(), std::strerror(errno));
    ++failures;
  }
  if (failures == 0) std::printf("wrote and read back %zu files under %s\n", writes.size(), dir.c_str());
  return failures == 0 ? 0 : 1;
}
