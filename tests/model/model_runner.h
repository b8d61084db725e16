// File: tests/model/model_runner.h
// The model-based test: random operations on a node through the C ABI (admit, admit then
// commit, admit-and-commit, stale commits, container and pod removal, in-place resize,
// checkpoint save and restore into a fresh node, and deliberate faults), in episodes of one
// machine and one random configuration each. After every operation the state JSON must hold
// the allocation invariants (state_invariants.h), list exactly the pods the model admitted,
// and, when the operation failed or changed nothing, be byte for byte what it was with the
// same version. Checkpoints must restore to the same state.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model_world.h"

namespace podalloc_model {

struct RunOptions {
  uint64_t seed = 1;
  uint64_t max_operations = 100000;
  double seconds = 60;  // the time budget; the run stops at whichever limit comes first
  bool verbose = false;
};

class Runner {
 public:
  Runner(const RunOptions& options, const std::vector<Machine>& machines);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs until a limit; false when an invariant broke (already reported).
  bool Run();
  void PrintSummary() const;

 private:
  struct Snapshot {
    std::string text;
    uint64_t version = 0;
  };

  void NewEpisode();
  bool Step();
  Snapshot Take() const;
  // Fails unless the node is exactly `before` (state text and version).
  bool Unchanged(const Snapshot& before, const std::string& op);
  bool CheckInvariants(const std::string& op);
  bool Fail(const std::string& op, const std::string& what);
  void Known(int item, const std::string& what);
  std::string PodsJson(const std::string& omit_uid = "",
                       const std::string& omit_container = "") const;
  ModelPod* PickPod();

  bool OpAdmit(bool commit);
  bool OpAdmitAndCommit();
  bool OpStaleCommit();
  bool OpRemoveContainer();
  bool OpRemovePod();
  bool OpResize();
  bool OpSaveRestore();
  bool OpFault();
  bool OpRestoreWithout();

  RunOptions options_;
  const std::vector<Machine>& machines_;
  Rng rng_;
  std::chrono::steady_clock::time_point start_;
  Scenario scenario_;
  podalloc_node* node_ = nullptr;
  std::map<std::string, ModelPod> pods_;
  int serial_ = 0;
  uint64_t operation_ = 0;
  uint64_t episode_end_ = 0;
  uint64_t episodes_ = 0;
  uint64_t refused_configs_ = 0;
  std::map<std::string, uint64_t> counts_;  // operation outcomes
  struct KnownTally {
    uint64_t count = 0;
    uint64_t first_operation = 0;
    std::string first;
  };
  std::map<int, KnownTally> known_;
  double elapsed_ = 0;
};

}  // namespace podalloc_model
