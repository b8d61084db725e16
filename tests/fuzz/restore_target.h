// File: tests/fuzz/restore_target.h
// The body of the two checkpoint targets (fuzz_cpu_checkpoint, fuzz_memory_checkpoint): the
// input is one of the kubelet's checkpoint files, given to podalloc_node_checkpoint_restore
// beside the other manager's file of a fixed state and the fixed pods, once as it is and
// once as the payload of the current layout with a matching checksum (so mutations reach
// the state decoder, not only the checksum). A refused restore leaves the node unchanged; an
// accepted one saves to files that restore into a fresh node to the same state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"

namespace podalloc_fuzz {

// The pods whose checkpoints the seed files hold.
inline constexpr std::string_view kRestorePods =
    R"([{"metadata":{"name":"fixed-guaranteed","namespace":"default","uid":"fixed-guaranteed"},)"
    R"("spec":{"containers":[{"name":"app","resources":{"limits":{"cpu":"2","memory":"1Gi"}}}]}},)"
    R"({"metadata":{"name":"fixed-burstable","namespace":"default","uid":"fixed-burstable"},)"
    R"("spec":{"containers":[{"name":"web","resources":{"requests":{"cpu":"500m",)"
    R"("memory":"256Mi"},"limits":{"memory":"512Mi"}}}]}},)"
    R"({"metadata":{"name":"pod-level","namespace":"default","uid":"pod-level"},"spec":{)"
    R"("resources":{"requests":{"cpu":"3","memory":"2Gi"},"limits":{"cpu":"3","memory":"2Gi"}},)"
    R"("containers":[{"name":"a","resources":{"limits":{"cpu":"2","memory":"1Gi"}}},)"
    R"({"name":"b"}],"initContainers":[{"name":"init","resources":{"limits":{"cpu":"1",)"
    R"("memory":"128Mi"}}}]}}])";

class RestoreTarget {
 public:
  // `kind`: the file the input stands for (PODALLOC_CHECKPOINT_*).
  explicit RestoreTarget(int32_t kind) : kind_(kind) {
    machine_ = SmallMachine();
    node_ = MakeNode(machine_, kPodScopeConfig);
    // The fixed state: every pod of kRestorePods admitted; its files are the seeds' origin.
    podalloc_node* source = MakeNode(machine_, kPodScopeConfig);
    MustAdmit(source, kFixedGuaranteed);
    MustAdmit(source, kFixedBurstable);
    const std::string_view pods = kRestorePods;
    const size_t third = pods.find(R"({"metadata":{"name":"pod-level")");
    MustAdmit(source, pods.substr(third, pods.size() - third - 1));
    other_file_ =
        Save(source, kind_ == PODALLOC_CHECKPOINT_CPU_MANAGER ? PODALLOC_CHECKPOINT_MEMORY_MANAGER
                                                              : PODALLOC_CHECKPOINT_CPU_MANAGER);
    podalloc_node_destroy(source);
  }

  void Run(const uint8_t* data, size_t size) {
    const std::string_view file(reinterpret_cast<const char*>(data), size);
    Restore(file);
    Restore(WrapCheckpointData(file));
  }

 private:
  static std::string Save(const podalloc_node* node, int32_t kind) {
    Buffer out;
    MustSucceed(podalloc_node_checkpoint_save(&out.b, node, kind, nullptr),
                "podalloc_node_checkpoint_save");
    return out.str();
  }

  podalloc_status RestoreInto(podalloc_node* node, std::string_view cpu, std::string_view memory) {
    return podalloc_node_checkpoint_restore(node, cpu.data(), cpu.size(), memory.data(),
                                            memory.size(), kRestorePods.data(), kRestorePods.size(),
                                            nullptr);
  }

  void Restore(std::string_view file) {
    // Start each input from an empty node, so inputs do not depend on each other.
    MustSucceed(
        podalloc_node_checkpoint_restore(node_, nullptr, 0, nullptr, 0, nullptr, 0, nullptr),
        "emptying the node");
    const std::string before = State(node_);
    const uint64_t version = podalloc_node_version(node_);
    const bool cpu = kind_ == PODALLOC_CHECKPOINT_CPU_MANAGER;
    const podalloc_status s =
        cpu ? RestoreInto(node_, file, other_file_) : RestoreInto(node_, other_file_, file);
    CheckStatus(s, "podalloc_node_checkpoint_restore");
    if (s != PODALLOC_OK) {
      if (State(node_) != before || podalloc_node_version(node_) != version) {
        Violation("a refused restore changed the node", podalloc_last_error_message());
      }
      return;
    }
    // restore(save(state)) == state.
    const std::string cpu_file = Save(node_, PODALLOC_CHECKPOINT_CPU_MANAGER);
    const std::string memory_file = Save(node_, PODALLOC_CHECKPOINT_MEMORY_MANAGER);
    podalloc_node* fresh = MakeNode(machine_, kPodScopeConfig);
    if (RestoreInto(fresh, cpu_file, memory_file) != PODALLOC_OK) {
      Violation("a restored node's checkpoints do not restore", podalloc_last_error_message());
    }
    if (StateBody(fresh) != StateBody(node_)) {
      Violation("restore(save(state)) differs from the state",
                State(node_) + "\n  " + State(fresh));
    }
    podalloc_node_destroy(fresh);
  }

  int32_t kind_;
  podalloc_topology* machine_ = nullptr;
  podalloc_node* node_ = nullptr;
  std::string other_file_;
};

}  // namespace podalloc_fuzz
