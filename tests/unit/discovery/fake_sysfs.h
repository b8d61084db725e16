// File: tests/unit/discovery/fake_sysfs.h
// A small sysfs tree written into a fresh temporary folder, for the reader's error and rule
// tests. The folder is removed when the object goes away.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace podalloc::testing {

class FakeSysfs {
 public:
  FakeSysfs() {
    static std::atomic<int> counter{0};
    root_ = std::filesystem::temp_directory_path() /
            ("podalloc-sysfs-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~FakeSysfs() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  FakeSysfs(const FakeSysfs&) = delete;
  FakeSysfs& operator=(const FakeSysfs&) = delete;

  const std::filesystem::path& root() const { return root_; }

  // Writes `text` plus the kernel's trailing newline to root/relative.
  void Write(const std::string& relative, const std::string& text) {
    std::filesystem::path p = root_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text << "\n";
  }
  void Remove(const std::string& relative) { std::filesystem::remove_all(root_ / relative); }

  // One CPU with its topology files.
  void Cpu(int cpu, int package, int core_id, const std::string& siblings) {
    const std::string dir = "sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    Write(dir + "physical_package_id", std::to_string(package));
    Write(dir + "core_id", std::to_string(core_id));
    Write(dir + "thread_siblings_list", siblings);
  }
  // A cache index of one CPU.
  void Cache(int cpu, int index, int level, int id, const std::string& shared) {
    const std::string dir = "sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/cache/index" +
                            std::to_string(index) + "/";
    Write(dir + "level", std::to_string(level));
    if (id >= 0) Write(dir + "id", std::to_string(id));
    Write(dir + "shared_cpu_list", shared);
    Write(dir + "type", level == 1 ? "Data" : "Unified");
  }
  // One NUMA node.
  void Node(int node, const std::string& cpulist, uint64_t mem_kb, const std::string& distance) {
    const std::string dir = "sys/devices/system/node/node" + std::to_string(node) + "/";
    Write(dir + "cpulist", cpulist);
    Write(dir + "meminfo", "Node " + std::to_string(node) +
                               " MemTotal:       " + std::to_string(mem_kb) + " kB\nNode " +
                               std::to_string(node) + " MemFree:        1024 kB");
    if (!distance.empty()) Write(dir + "distance", distance);
  }

  // Two NUMA nodes, one package, 4 cores of 2 threads: CPUs i and i+4 are siblings; node 0
  // holds cores 0-1, node 1 cores 2-3. L3 per node with kernel ids 7 and 9.
  void SmallMachine() {
    Write("sys/devices/system/cpu/online", "0-7");
    for (int cpu = 0; cpu < 8; ++cpu) {
      int core = cpu % 4;
      Cpu(cpu, 0, core, std::to_string(core) + "," + std::to_string(core + 4));
      Cache(cpu, 0, 1, core, std::to_string(core) + "," + std::to_string(core + 4));
      Cache(cpu, 3, 3, core < 2 ? 7 : 9, core < 2 ? "0-1,4-5" : "2-3,6-7");
    }
    Write("sys/devices/system/node/online", "0-1");
    Node(0, "0-1,4-5", 1024 * 1024, "10 21");
    Node(1, "2-3,6-7", 2048 * 1024, "21 10");
  }

 private:
  std::filesystem::path root_;
};

}  // namespace podalloc::testing
