// File: podalloc/memory_checkpoint.h
// The kubelet's memory manager checkpoint (`memory_manager_state`): machine state, container
// entries and pod-level entries (KEP-5526) with their checksums. Mirrors
// pkg/kubelet/cm/memorymanager/state/{checkpoint.go,state_checkpoint.go} and
// pkg/kubelet/checkpointmanager/checksum.
//
// Encoding and decoding are pure functions over strings; only ReadMemoryCheckpointFile and
// WriteMemoryCheckpointFile touch the file system. A checkpoint that fails to decode or
// verify is reported, never repaired or replaced.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/memory_state.h"

namespace podalloc {

// What a checkpoint holds.
struct MemoryCheckpoint {
  std::string policy_name;  // "Static" for the Static policy
  MemoryMachineState machine_state;
  ContainerMemoryAssignments entries;
  PodMemoryAssignments pod_entries;
  friend bool operator==(const MemoryCheckpoint&, const MemoryCheckpoint&) = default;
};

// The file layouts the kubelet has written, oldest first.
enum class MemoryCheckpointFormat {
  kV1,  // policyName, machineState, entries, checksum
  kV2,  // V1 + podEntries, checksum over all of it
  kV3,  // the V1 fields and checksum kept for older kubelets, plus "data" (the JSON of
        // policyName, machineState, entries, podEntries) and "dataChecksum" over it
};

struct DecodedMemoryCheckpoint {
  MemoryCheckpoint checkpoint;
  MemoryCheckpointFormat format = MemoryCheckpointFormat::kV3;
};

// The JSON the current kubelet writes (V3), byte for byte in the kubelet's field order:
// {"policyName","machineState","entries"?,"checksum","data","dataChecksum"}.
[[nodiscard]] std::string EncodeMemoryCheckpoint(const MemoryCheckpoint& checkpoint);

// Reads any layout the way the kubelet restores it: V3 first (its data checksum is the
// authority; a V3 file that fails is an error, with no fallback), else V2, else V1 (whose
// checksum 0 means "none"; a V1 file has no pod entries). Unknown fields are ignored and
// field names match case-insensitively, as in Go. Errors: malformed JSON or a value of the
// wrong type is InvalidArgument naming the JSON path; a checksum mismatch is DataLoss
// (`checkpoint is corrupted`, with both checksums); content podalloc cannot represent
// (a NUMA id outside 0..63, an unknown resource name, a null node) is InvalidArgument.
[[nodiscard]] absl::StatusOr<DecodedMemoryCheckpoint> DecodeMemoryCheckpoint(
    std::string_view json);

// restoreState's check: `[memorymanager] configured policy "A" differs from state
// checkpoint policy "B"` (FailedPrecondition).
[[nodiscard]] absl::Status CheckMemoryCheckpointPolicy(const MemoryCheckpoint& checkpoint,
                                                       std::string_view configured_policy);

// The checkpoint manager's checksum: 32-bit FNV-1a of `bytes`, stored as a decimal uint64.
uint32_t MemoryCheckpointChecksum(std::string_view bytes);

// The text the kubelet hashes for a V1 (`with_pod_entries` false) or V2 checksum: Go's
// spew rendering of the checkpoint struct under its legacy name, checksum zeroed, e.g.
// `(*state.MemoryManagerCheckpoint){PolicyName:(string)Static MachineState:(...)map[...] ...}`.
std::string MemoryCheckpointHashText(const MemoryCheckpoint& checkpoint, bool with_pod_entries);

// The state file: NotFound when there is none; otherwise DecodeMemoryCheckpoint plus the
// policy check. The file is left as it is whatever happens.
[[nodiscard]] absl::StatusOr<DecodedMemoryCheckpoint> ReadMemoryCheckpointFile(
    const std::filesystem::path& path, std::string_view configured_policy);

// Replaces the state file atomically: a temporary file beside it is written, flushed to
// disk and renamed over it, then the directory is flushed. On error the old file is intact.
[[nodiscard]] absl::Status WriteMemoryCheckpointFile(const std::filesystem::path& path,
                                                     const MemoryCheckpoint& checkpoint);

}  // namespace podalloc
