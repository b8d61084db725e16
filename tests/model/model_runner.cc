#include "model_runner.h"

#include <cstdio>
#include <set>

namespace podalloc_model {

using nlohmann::json;

Runner::Runner(const RunOptions& options, const std::vector<Machine>& machines)
    : options_(options), machines_(machines), rng_(options.seed) {}

Runner::~Runner() { podalloc_node_destroy(node_); }

void Runner::NewEpisode() {
  podalloc_node_destroy(node_);
  node_ = nullptr;
  pods_.clear();
  ++episodes_;
  while (node_ == nullptr) {
    const Machine& machine = machines_[rng_.Below(machines_.size())];
    scenario_ = RandomScenario(rng_, machine);
    if (podalloc_node_create(&node_, machine.topology, scenario_.config.data(),
                             scenario_.config.size(), nullptr) != PODALLOC_OK) {
      // Option combinations the kubelet refuses (e.g. full-pcpus-only with
      // distribute-cpus-across-cores): draw again.
      ++refused_configs_;
      if (options_.verbose) {
        std::fprintf(stderr, "model: refused %s on %s: %s\n", scenario_.config.c_str(),
                     machine.name.c_str(), podalloc_last_error_message());
      }
      node_ = nullptr;
    }
  }
  episode_end_ = operation_ + static_cast<uint64_t>(rng_.Range(100, 1500));
  if (options_.verbose) {
    std::fprintf(stderr, "model: episode at operation %llu: %s %s\n",
                 static_cast<unsigned long long>(operation_), scenario_.machine->name.c_str(),
                 scenario_.config.c_str());
  }
}

Runner::Snapshot Runner::Take() const {
  Snapshot s;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  if (podalloc_node_state(&out, node_, nullptr) == PODALLOC_OK) s.text.assign(out.data, out.size);
  podalloc_buffer_free(&out);
  s.version = podalloc_node_version(node_);
  return s;
}

bool Runner::Fail(const std::string& op, const std::string& what) {
  std::fprintf(stderr,
               "model: FAILED at operation %llu (%s): %s\n"
               "  machine %s, configuration %s\n"
               "  state: %s\n"
               "  reproduce: PODALLOC_MODEL_SEED=%llu PODALLOC_MODEL_OPS=%llu "
               "PODALLOC_MODEL_SECONDS=0 <build>/tests/model/model_test\n",
               static_cast<unsigned long long>(operation_), op.c_str(), what.c_str(),
               scenario_.machine->name.c_str(), scenario_.config.c_str(), Take().text.c_str(),
               static_cast<unsigned long long>(options_.seed),
               static_cast<unsigned long long>(operation_ + 1));
  return false;
}

void Runner::Known(int item, const std::string& what) {
  KnownTally& tally = known_[item];
  if (tally.count++ == 0) {
    tally.first_operation = operation_;
    tally.first = what + " [" + scenario_.machine->name + ", " + scenario_.config + "]";
  }
}

bool Runner::Unchanged(const Snapshot& before, const std::string& op) {
  const Snapshot now = Take();
  if (now.version != before.version) {
    return Fail(op, "the version moved from " + std::to_string(before.version) + " to " +
                        std::to_string(now.version) + " although nothing changed");
  }
  if (now.text != before.text) return Fail(op, "the state changed: before " + before.text);
  return true;
}

bool Runner::CheckInvariants(const std::string& op) {
  const json state = json::parse(Take().text, nullptr, false);
  if (state.is_discarded()) return Fail(op, "the state is not JSON");
  NodeFacts facts = scenario_.facts;
  for (const auto& [uid, pod] : pods_) facts.init_containers[uid] = pod.init_names;
  const std::vector<Violation> violations = CheckState(state, facts);
  if (!violations.empty()) {
    std::string what;
    for (const Violation& v : violations)
      what += std::string(KindName(v.kind)) + ": " + v.detail + "; ";
    return Fail(op, what);
  }
  std::set<std::string> listed;
  for (const json& pod : state["pods"]) listed.insert(pod.value("uid", ""));
  std::set<std::string> admitted;
  for (const auto& [uid, pod] : pods_) admitted.insert(uid);
  if (listed != admitted) return Fail(op, "the state lists other pods than the model admitted");
  return true;
}

std::string Runner::PodsJson(const std::string& omit_uid, const std::string& omit_container) const {
  json list = json::array();
  for (const auto& [uid, pod] : pods_) {
    if (uid == omit_uid && omit_container.empty()) continue;
    json doc = pod.doc;
    if (uid == omit_uid) {
      for (const char* key : {"initContainers", "containers"}) {
        if (!doc["spec"].contains(key)) continue;
        json kept = json::array();
        for (const json& c : doc["spec"][key]) {
          if (c["name"] != omit_container) kept.push_back(c);
        }
        doc["spec"][key] = kept;
      }
    }
    list.push_back(doc);
  }
  return list.dump();
}

ModelPod* Runner::PickPod() {
  if (pods_.empty()) return nullptr;
  auto it = pods_.begin();
  std::advance(it, static_cast<long>(rng_.Below(pods_.size())));
  return &it->second;
}

bool Runner::Step() {
  if (node_ == nullptr || operation_ >= episode_end_) NewEpisode();
  // Removal grows likelier as the node fills, so episodes see both full and empty nodes.
  const uint64_t full = std::min<uint64_t>(pods_.size(), 20);
  const uint64_t weights[] = {8, 14, 14, 2, 4 + full / 2, 4 + full, 10, 3, 4, 2};
  uint64_t total = 0;
  for (uint64_t w : weights) total += w;
  uint64_t pick = rng_.Below(total);
  size_t op = 0;
  while (pick >= weights[op]) pick -= weights[op++];
  switch (op) {
    case 0:
      return OpAdmit(false);
    case 1:
      return OpAdmit(true);
    case 2:
      return OpAdmitAndCommit();
    case 3:
      return OpStaleCommit();
    case 4:
      return OpRemoveContainer();
    case 5:
      return OpRemovePod();
    case 6:
      return OpResize();
    case 7:
      return OpSaveRestore();
    case 8:
      return OpFault();
    default:
      return OpRestoreWithout();
  }
}

bool Runner::Run() {
  start_ = std::chrono::steady_clock::now();
  bool ok = true;
  while (operation_ < options_.max_operations) {
    if (options_.seconds > 0 && (operation_ & 15) == 0) {
      elapsed_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      if (elapsed_ >= options_.seconds) break;
    }
    if (!Step()) {
      ok = false;
      ++operation_;
      break;
    }
    ++operation_;
  }
  elapsed_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return ok;
}

void Runner::PrintSummary() const {
  std::printf(
      "model: %llu operations in %.1f s (seed %llu, %llu episodes, %llu configurations "
      "refused and drawn again)\n",
      static_cast<unsigned long long>(operation_), elapsed_,
      static_cast<unsigned long long>(options_.seed), static_cast<unsigned long long>(episodes_),
      static_cast<unsigned long long>(refused_configs_));
  std::string line;
  for (const auto& [what, n] : counts_) line += " " + what + "=" + std::to_string(n);
  std::printf("model: outcomes:%s\n", line.c_str());
  for (const auto& [item, tally] : known_) {
    std::printf(
        "model: KNOWN repro item %d (tests/data/repro/README.md) seen %llu times; first "
        "at operation %llu: %s\n",
        item, static_cast<unsigned long long>(tally.count),
        static_cast<unsigned long long>(tally.first_operation), tally.first.c_str());
  }
}

}  // namespace podalloc_model
