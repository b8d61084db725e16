// File: podalloc/cpu_checkpoint.h
// The kubelet's `cpu_manager_state` file: its JSON forms (V1 container-id entries, V2
// pod/container entries, V3 with pod-level `podEntries`, V4 with the serialised `data` and its
// `dataChecksum`), the checksums the kubelet verifies, conversion to and from
// CpuManagerState, and atomic file writes. Mirrors pkg/kubelet/cm/cpumanager/state
// (checkpoint.go, state_checkpoint.go) and pkg/kubelet/checkpointmanager/checksum.
//
// Encoding, decoding and checksums are pure functions; only ReadCpuCheckpointFile and
// WriteCpuCheckpointFile touch the file system. All functions are reentrant.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/cpu_manager.h"

namespace podalloc {

// The checkpoint's fields as text, exactly as stored (checksums are computed over the text,
// so "0-3" and "0,1,2,3" differ).
struct CpuCheckpoint {
  std::string policy_name;
  std::string default_cpu_set;
  // pod UID -> container name -> cpuset text.
  std::map<std::string, std::map<std::string, std::string>> entries;
  // PodCPUAssignments: pod UID -> the pod's cpuset text (PodEntry.CPUSet).
  std::map<std::string, std::string> pod_entries;
  friend bool operator==(const CpuCheckpoint&, const CpuCheckpoint&) = default;
};

enum class CpuCheckpointFormat { kV1, kV2, kV3, kV4 };

// The file bytes the kubelet writes for `checkpoint` (json.Marshal of the checkpoint struct):
//  V4 (the current kubelet): the V3 fields with "checksum": 0, "data" (the JSON of
//     {policyName, defaultCpuSet, entries?, podEntries?}) and "dataChecksum";
//  V3 / V2: the legacy checksum (computed under the struct name "CPUManagerCheckpoint", as
//     the kubelet writes it for rollback); V2 has no pod entries.
// V1 (container-id keys) is read-only. Deterministic: map keys ascending, Go's escaping.
[[nodiscard]] absl::StatusOr<std::string> EncodeCpuCheckpoint(
    const CpuCheckpoint& checkpoint, CpuCheckpointFormat format = CpuCheckpointFormat::kV4);

// Maps a V1 container id to (pod UID, container name); nullopt when unknown.
using ContainerIdResolver =
    std::function<std::optional<std::pair<std::string, std::string>>(std::string_view)>;

struct DecodedCpuCheckpoint {
  CpuCheckpoint checkpoint;
  CpuCheckpointFormat format = CpuCheckpointFormat::kV4;
};

// Reads any form the kubelet accepts, trying them as it does (newest first):
//  * "data" present: V4; dataChecksum must match (a mismatch is an error here, where a kubelet
//    would fall back to the inline fields and accept them under V2's checksum 0);
//  * else V3 (checksum under "CPUManagerCheckpointV3" or the legacy name), else V2 (checksum
//    0, or under either name; pod entries are dropped as the V2 struct has none), else V1
//    (checksum 0 or legacy name), whose container ids `resolve` must map.
// Errors: InvalidArgument for malformed JSON or wrong types (naming the JSON path);
// DataLoss for a checksum mismatch (naming stored and computed values); FailedPrecondition for
// V1 ids that cannot be resolved.
[[nodiscard]] absl::StatusOr<DecodedCpuCheckpoint> DecodeCpuCheckpoint(
    std::string_view bytes, const ContainerIdResolver& resolve = nullptr);

// --- Checksums (checkpointmanager/checksum) -----------------------------------------------------

// FNV-1a, 32 bit.
uint32_t Fnv1a32(std::string_view bytes);
// The text the kubelet hashes for a legacy (V1/V2/V3) checksum: go-spew's "%#v" of a pointer
// to the checkpoint struct with Checksum 0. `struct_name` is "CPUManagerCheckpoint" (the
// legacy name every writer uses) or the versioned one ("CPUManagerCheckpointV2", ...). For
// V1, `checkpoint.entries` must be keyed "" -> container id -> cpuset.
std::string CpuCheckpointHashInput(const CpuCheckpoint& checkpoint, CpuCheckpointFormat format,
                                   std::string_view struct_name = "CPUManagerCheckpoint");
// The V4 dataChecksum of a data string: FNV-1a of "(string)" + data.
uint32_t CpuCheckpointDataChecksum(std::string_view data);

// --- State --------------------------------------------------------------------------------------

// The checkpoint of a policy state (cpusets in canonical form).
CpuCheckpoint CpuCheckpointFromState(const CpuManagerState& state, std::string_view policy_name);
// restoreState: the policy name must match (`configured policy "<a>" differs from state
// checkpoint policy "<b>"`) and every cpuset must parse (`could not parse default cpu set
// "<s>": ...`, `could not parse cpuset "<s>" for container "<c>" in pod "<p>": ...`).
[[nodiscard]] absl::StatusOr<CpuManagerState> CpuStateFromCheckpoint(
    const CpuCheckpoint& checkpoint, std::string_view policy_name);

// --- Files --------------------------------------------------------------------------------------

// Reads and decodes a checkpoint file; NotFound when it does not exist.
[[nodiscard]] absl::StatusOr<DecodedCpuCheckpoint> ReadCpuCheckpointFile(
    const std::filesystem::path& path, const ContainerIdResolver& resolve = nullptr);
// Writes atomically: a temporary file in the same directory, fsync, rename over `path`, fsync
// of the directory. On error the previous file is untouched.
[[nodiscard]] absl::Status WriteCpuCheckpointFile(
    const std::filesystem::path& path, const CpuCheckpoint& checkpoint,
    CpuCheckpointFormat format = CpuCheckpointFormat::kV4);

}  // namespace podalloc
