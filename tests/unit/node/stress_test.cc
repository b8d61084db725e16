// Many threads (more than the machine has cores) drive one Node at once: planning and committing
// separately (a commit may lose the race and must then change nothing), admitting and committing
// in one step, removing whole pods and single containers, while readers take State(), version()
// and MetricsText(). Every snapshot a reader sees must be consistent, and at the end the
// counters must add up to what the committed decisions counted and removing every pod must give
// back a fresh node's state. Built with ThreadSanitizer (scripts/test.sh, label "stress"), a
// data race anywhere on these paths fails the run.
#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "node_test_support.h"

namespace podalloc::testing {
namespace {

// Pods are built up front, on the test's thread: Catch2 assertions are not thread-safe.
Pod StressPod(std::mt19937& rng, const std::string& uid) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  switch (pick(4)) {
    case 0: {  // pod-level budget shared by an exclusive container and a pool container
      const int budget = 2 + pick(4);
      return MakePod(uid, std::to_string(budget), std::to_string(budget) + "Gi",
                     {{"pinned", "1", "512Mi"}, {"pool", "", ""}});
    }
    case 1: {  // Guaranteed with an init container whose CPUs the app container may reuse
      const std::string cpus = std::to_string(1 + pick(3));
      return MakePod(uid, "", "", {{"setup", cpus, "1Gi", "init"}, {"app", cpus, "1Gi"}});
    }
    case 2: {  // Guaranteed, two containers, one of them fractional (shared pool)
      return MakePod(uid, "", "",
                     {{"a", std::to_string(1 + pick(4)), "1Gi"}, {"b", "500m", "256Mi"}});
    }
    default: {  // Burstable: requests without limits
      nlohmann::json j = {{"metadata", {{"name", uid}, {"namespace", "stress"}, {"uid", uid}}},
                          {"spec", {{"containers", nlohmann::json::array()}}}};
      j["spec"]["containers"].push_back(
          {{"name", "web"}, {"resources", {{"requests", {{"cpu", "250m"}, {"memory", "64Mi"}}}}}});
      auto pod = ParsePod(j.dump());
      REQUIRE(pod.ok());
      return *pod;
    }
  }
}

// Empty when `s` is consistent: every CPU is in exactly one of the shared pool and the pods'
// slices, pod-level pods' containers stay inside their pod's set, every pod holding CPUs or
// memory is admitted, and every memory table balances.
std::string Inconsistency(const Topology& topology, const NodeState& s) {
  std::ostringstream out;
  CpuSet seen = s.cpu.default_cpu_set;
  for (const auto& [uid, containers] : s.cpu.assignments) {
    if (!s.pods.contains(uid)) out << "CPUs held by pod " << uid << ", which is not admitted; ";
    CpuSet held;
    const auto pod_level = s.cpu.pod_assignments.find(uid);
    for (const auto& [name, cpus] : containers) {
      if (pod_level != s.cpu.pod_assignments.end() && !cpus.IsSubsetOf(pod_level->second)) {
        out << uid << "/" << name << " outside its pod's CPUs; ";
      }
      held |= cpus;
    }
    if (pod_level != s.cpu.pod_assignments.end()) held = pod_level->second;
    if (held.Intersects(seen)) {
      out << "pod " << uid << " holds " << held.ToString() << ", already taken: "
          << (held & seen).ToString() << "; ";
    }
    seen |= held;
  }
  for (const auto& [uid, cpus] : s.cpu.pod_assignments) {
    if (!s.cpu.assignments.contains(uid)) out << "pod-level CPUs of " << uid << " unassigned; ";
  }
  if (seen != topology.cpus()) out << "CPUs accounted for: " << seen.ToString() << "; ";
  for (const auto& [uid, containers] : s.memory.assignments) {
    if (!s.pods.contains(uid)) out << "memory held by pod " << uid << ", not admitted; ";
  }
  for (const auto& n : s.memory.machine.nodes) {
    for (const auto& t : n.memory) {
      if (t.table.free + t.table.reserved != t.table.allocatable) {
        out << "NUMA " << n.id << " memory table does not balance; ";
      }
    }
  }
  return out.str();
}

// The non-zero series of a Prometheus text exposition.
MetricCounts ParseCounters(const std::string& text) {
  MetricCounts counts;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    // The admission duration histogram depends on timing; only the counters are compared.
    if (line.starts_with("kubelet_topology_manager_admission_duration_ms")) continue;
    const size_t space = line.rfind(' ');
    const uint64_t value = std::stoull(line.substr(space + 1));
    if (value != 0) counts[line.substr(0, space)] = value;
  }
  return counts;
}

// What one worker thread knows: the pods it admitted and still holds, and what it counted.
struct Worker {
  std::vector<Pod> pods;
  std::map<std::string, std::set<std::string>> live;  // pod UID -> containers left
  MetricCounts committed_metrics;
  int admitted = 0, rejected = 0, lost_races = 0, removals = 0;
  std::vector<std::string> failures;
};

void RecordCommitted(Worker& w, const Decision& d) {
  for (const auto& [series, n] : d.metrics) w.committed_metrics[series] += n;
  if (!d.admitted) {
    ++w.rejected;
    return;
  }
  ++w.admitted;
  w.live[d.pod_uid] = d.delta.record.containers;
}

void RunWorker(Node& node, Worker& w, uint32_t seed) {
  std::mt19937 rng(seed);
  auto fail = [&](const std::string& what, const absl::Status& s) {
    w.failures.push_back(what + ": " + s.ToString());
  };
  size_t next = 0;
  while (next < w.pods.size() || !w.live.empty()) {
    const int op = static_cast<int>(rng() % 8);
    if (next < w.pods.size() && (op < 4 || w.live.empty())) {
      const Pod& pod = w.pods[next++];
      if (op % 2 == 0) {  // plan now, commit later: another thread may commit in between
        absl::StatusOr<Decision> d = node.Admit(pod);
        if (!d.ok()) {
          fail("Admit " + pod.uid, d.status());
          continue;
        }
        absl::Status c = node.Commit(*d);
        if (absl::IsFailedPrecondition(c)) {
          ++w.lost_races;
          // A stale decision changes nothing: the same pod can still be admitted.
          d = node.AdmitAndCommit(pod);
          if (!d.ok()) fail("AdmitAndCommit after a lost race " + pod.uid, d.status());
          if (d.ok()) RecordCommitted(w, *d);
        } else if (!c.ok()) {
          fail("Commit " + pod.uid, c);
        } else {
          RecordCommitted(w, *d);
        }
      } else {
        absl::StatusOr<Decision> d = node.AdmitAndCommit(pod);
        if (!d.ok()) fail("AdmitAndCommit " + pod.uid, d.status());
        if (d.ok()) RecordCommitted(w, *d);
      }
      continue;
    }
    if (w.live.empty()) continue;
    auto it = w.live.begin();
    std::advance(it, rng() % w.live.size());
    const std::string uid = it->first;
    if (op == 4) {  // a pod this thread holds is never admitted twice
      const Pod* pod = nullptr;
      for (const Pod& p : w.pods) pod = p.uid == uid ? &p : pod;
      absl::Status again = node.Admit(*pod).status();
      if (!absl::IsAlreadyExists(again)) fail("Admit of live pod " + uid, again);
    } else if (op == 5) {
      auto c = it->second.begin();
      std::advance(c, rng() % it->second.size());
      absl::Status s = node.RemoveContainer(uid, *c);
      if (!s.ok()) fail("RemoveContainer " + uid + "/" + *c, s);
      it->second.erase(c);
      if (it->second.empty()) w.live.erase(it);
      ++w.removals;
    } else {
      absl::Status s = node.RemovePod(uid);
      if (!s.ok()) fail("RemovePod " + uid, s);
      w.live.erase(it);
      ++w.removals;
    }
  }
}

TEST_CASE("node: many threads admit, commit and remove while readers take snapshots",
          "[node][stress]") {
  const auto scope = GENERATE(as<std::string>{}, "container", "pod");
  CAPTURE(scope);
  auto created = Node::Create(MakeMachine(2, 2, 4, 16), PodLevelConfig("best-effort", scope, 4));
  REQUIRE(created.ok());
  Node& node = **created;
  const NodeState initial = node.State();
  const MetricCounts initial_metrics = ParseCounters(node.MetricsText());
  REQUIRE(initial_metrics.empty());

  // More threads than cores, so the scheduler preempts them inside the critical sections.
  const int writers =
      static_cast<int>(std::clamp(2 * std::thread::hardware_concurrency(), 8u, 16u));
  constexpr int kReaders = 3;
  constexpr int kPodsPerWriter = 120;
  const uint32_t seed = 7;
  INFO("seed " << seed << ", " << writers << " writers, " << kReaders << " readers");
  std::vector<Worker> workers(writers);
  std::mt19937 pod_rng(seed);
  for (int t = 0; t < writers; ++t) {
    for (int i = 0; i < kPodsPerWriter; ++i) {
      workers[t].pods.push_back(StressPod(pod_rng, "t" + std::to_string(t) + "-p" +
                                                       std::to_string(i)));
    }
  }

  std::latch start(writers + kReaders);
  std::atomic<int> writers_left{writers};
  std::mutex reader_mu;
  std::vector<std::string> reader_failures;
  std::atomic<int> snapshots{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < writers; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      RunWorker(node, workers[t], seed * 1000 + t);
      --writers_left;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      start.arrive_and_wait();
      uint64_t last_version = 0;
      do {
        const uint64_t v = node.version();
        std::string problem;
        if (v < last_version) problem = "version went back";
        last_version = v;
        if (r == 0) {
          if (ParseCounters(node.MetricsText()).empty() && v > 0) problem += "no counters";
        } else {
          problem += Inconsistency(node.topology(), node.State());
        }
        ++snapshots;
        if (!problem.empty()) {
          std::lock_guard<std::mutex> lock(reader_mu);
          reader_failures.push_back(problem);
        }
      } while (writers_left.load() > 0);
    });
  }
  for (auto& t : threads) t.join();

  MetricCounts expected;
  int admitted = 0, rejected = 0, lost_races = 0, removals = 0;
  for (const Worker& w : workers) {
    for (const std::string& f : w.failures) FAIL_CHECK(f);
    CHECK(w.live.empty());
    for (const auto& [series, n] : w.committed_metrics) expected[series] += n;
    admitted += w.admitted;
    rejected += w.rejected;
    lost_races += w.lost_races;
    removals += w.removals;
  }
  for (const std::string& f : reader_failures) FAIL_CHECK("reader saw: " << f);
  INFO(admitted << " admitted, " << rejected << " rejected, " << lost_races
                << " commits refused as stale, " << removals << " removals, " << snapshots
                << " snapshots");
  CHECK(admitted > writers);
  CHECK(snapshots > 0);
  // No increment lost or counted twice: the counters are the sum of the committed decisions'.
  CHECK(ParseCounters(node.MetricsText()) == expected);
  // Every worker removed what it admitted: the node is as it was created.
  CHECK(Inconsistency(node.topology(), node.State()).empty());
  CHECK(node.State() == initial);
}

}  // namespace
}  // namespace podalloc::testing
