// CgroupWriter against a temporary directory laid out like cgroupfs: dry runs, ordered
// writes, and failures that stop the run and say which writes already happened. Tests run
// as root, so failures are forced with a directory where a file is expected, a missing
// file, and a path under a missing parent, not with file permissions.
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "podalloc/cgroup_writer.h"

namespace podalloc {
namespace {

namespace fs = std::filesystem;

// A fresh pod cgroup directory with two container cgroups, every interface file present.
class FakeCgroupfs {
 public:
  FakeCgroupfs() {
    std::string tmpl = (fs::temp_directory_path() / "podalloc-cgfs-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    root_ = tmpl;
    for (const char* dir : {"", "a", "b"}) {
      fs::create_directories(root_ / dir);
      for (const char* file : {"cpu.max", "cpu.weight", "cpuset.cpus", "cpuset.mems",
                               "memory.min", "memory.low", "memory.high", "memory.max"}) {
        std::ofstream(root_ / dir / file) << "unset\n";
      }
    }
  }
  ~FakeCgroupfs() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  FakeCgroupfs(const FakeCgroupfs&) = delete;
  FakeCgroupfs& operator=(const FakeCgroupfs&) = delete;

  const fs::path& root() const { return root_; }
  std::string Read(const std::string& rel) const {
    std::ifstream in(root_ / rel);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  fs::path root_;
};

const std::vector<CgroupWrite> kPlan = {
    {"", "memory.max", "4294967296"},
    {"a", "memory.max", "3221225472"},
    {"", "cpu.max", "500000 100000"},
    {"a", "cpu.max", "300000 100000"},
    {"b", "cpuset.cpus", "2-3"},
};

TEST_CASE("cgroup_writer: dry run lists every write in order and touches nothing",
          "[cgroup_writer]") {
  FakeCgroupfs cgfs;
  const CgroupWriter writer(cgfs.root().string());
  const CgroupWriteReport report = writer.Apply(kPlan, CgroupWriteMode::kDryRun);
  CHECK(report.ok());
  CHECK(report.status().ok());
  CHECK(report.done == kPlan);
  CHECK(cgfs.Read("memory.max") == "unset\n");
  CHECK(cgfs.Read("a/cpu.max") == "unset\n");
  CHECK(writer.PathOf(kPlan[1]) == (cgfs.root() / "a" / "memory.max").string());
}

TEST_CASE("cgroup_writer: write mode puts each value in its file", "[cgroup_writer]") {
  FakeCgroupfs cgfs;
  const CgroupWriteReport report =
      CgroupWriter(cgfs.root().string()).Apply(kPlan, CgroupWriteMode::kWrite);
  REQUIRE(report.ok());
  CHECK(report.done == kPlan);
  // cgroupfs files are not truncated by the writer; the fake files start longer than
  // nothing, so compare the prefix the write covered.
  CHECK(cgfs.Read("memory.max").rfind("4294967296", 0) == 0);
  CHECK(cgfs.Read("a/memory.max").rfind("3221225472", 0) == 0);
  CHECK(cgfs.Read("cpu.max").rfind("500000 100000", 0) == 0);
  CHECK(cgfs.Read("b/cpuset.cpus").rfind("2-3", 0) == 0);
  CHECK(cgfs.Read("b/cpu.max") == "unset\n");
}

TEST_CASE("cgroup_writer: a directory where a file is expected stops the run after the "
          "writes that happened",
          "[cgroup_writer][failure]") {
  FakeCgroupfs cgfs;
  fs::remove(cgfs.root() / "cpu.max");
  fs::create_directory(cgfs.root() / "cpu.max");
  const CgroupWriteReport report =
      CgroupWriter(cgfs.root().string()).Apply(kPlan, CgroupWriteMode::kWrite);
  REQUIRE_FALSE(report.ok());
  const std::vector<CgroupWrite> done(kPlan.begin(), kPlan.begin() + 2);
  CHECK(report.done == done);
  CHECK(report.failure->write == kPlan[2]);
  CHECK(report.failure->error_number == EISDIR);
  CHECK(report.failure->path == (cgfs.root() / "cpu.max").string());
  CHECK(report.failure->error_text == std::strerror(EISDIR));
  // The writes after the failure were not attempted.
  CHECK(cgfs.Read("a/cpu.max") == "unset\n");
  CHECK(cgfs.Read("b/cpuset.cpus") == "unset\n");
  const absl::Status status = report.status();
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  const std::string message(status.message());
  CAPTURE(message);
  CHECK(message.find((cgfs.root() / "cpu.max").string()) != std::string::npos);
  CHECK(message.find("errno " + std::to_string(EISDIR)) != std::string::npos);
  CHECK(message.find("2 earlier write(s) applied") != std::string::npos);
}

TEST_CASE("cgroup_writer: a missing file is an error, never created", "[cgroup_writer][failure]") {
  FakeCgroupfs cgfs;
  fs::remove(cgfs.root() / "a" / "memory.max");
  const CgroupWriteReport report =
      CgroupWriter(cgfs.root().string()).Apply(kPlan, CgroupWriteMode::kWrite);
  REQUIRE_FALSE(report.ok());
  CHECK(report.done.size() == 1);
  CHECK(report.failure->error_number == ENOENT);
  CHECK(report.status().code() == absl::StatusCode::kNotFound);
  CHECK_FALSE(fs::exists(cgfs.root() / "a" / "memory.max"));
}

TEST_CASE("cgroup_writer: a path under a missing parent fails first", "[cgroup_writer][failure]") {
  FakeCgroupfs cgfs;
  const std::vector<CgroupWrite> writes = {{"gone", "cpu.max", "max 100000"},
                                           {"", "cpu.max", "max 100000"}};
  const CgroupWriteReport report =
      CgroupWriter(cgfs.root().string()).Apply(writes, CgroupWriteMode::kWrite);
  REQUIRE_FALSE(report.ok());
  CHECK(report.done.empty());
  CHECK(report.failure->error_number == ENOENT);
  CHECK(cgfs.Read("cpu.max") == "unset\n");
}

TEST_CASE("cgroup_writer: paths that leave the root are refused, also in dry runs",
          "[cgroup_writer][failure]") {
  FakeCgroupfs cgfs;
  const CgroupWriter writer(cgfs.root().string());
  for (const CgroupWrite& bad : {CgroupWrite{"../x", "cpu.max", "1"},
                                 CgroupWrite{"/abs", "cpu.max", "1"},
                                 CgroupWrite{"a", "../cpu.max", "1"},
                                 CgroupWrite{"a", "", "1"}}) {
    CAPTURE(bad.cgroup, bad.file);
    for (CgroupWriteMode mode : {CgroupWriteMode::kDryRun, CgroupWriteMode::kWrite}) {
      const CgroupWriteReport report = writer.Apply({kPlan[0], bad}, mode);
      REQUIRE_FALSE(report.ok());
      CHECK(report.done.size() == 1);
      CHECK(report.failure->error_number == EINVAL);
    }
  }
}

TEST_CASE("cgroup_writer: a resize plan applied to a fake pod cgroup", "[cgroup_writer][plan]") {
  auto q = [](const char* t) { return *Quantity::Parse(t); };
  Pod old_pod;
  Container a;
  a.name = "a";
  a.resources.requests = {{"cpu", q("1")}, {"memory", q("1Gi")}};
  a.resources.limits = {{"cpu", q("2")}, {"memory", q("2Gi")}};
  old_pod.containers = {a};
  Pod new_pod = old_pod;
  new_pod.containers[0].resources.limits = {{"cpu", q("3")}, {"memory", q("3Gi")}};
  ResizePlanSettings settings;
  settings.cgroup.node_memory_capacity = 16LL << 30;
  auto plan = PlanResize(old_pod, new_pod, nullptr, settings);
  REQUIRE(plan.ok());
  REQUIRE_FALSE(plan->refused);
  FakeCgroupfs cgfs;
  const CgroupWriteReport report =
      CgroupWriter(cgfs.root().string()).Apply(plan->writes, CgroupWriteMode::kWrite);
  REQUIRE(report.ok());
  CHECK(report.done == plan->writes);
  CHECK(cgfs.Read("a/memory.max").rfind("3221225472", 0) == 0);
  CHECK(cgfs.Read("memory.max").rfind("3221225472", 0) == 0);
}

}  // namespace
}  // namespace podalloc
