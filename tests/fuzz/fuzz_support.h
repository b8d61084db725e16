// File: tests/fuzz/fuzz_support.h
// What the libFuzzer targets share: a fixed machine and node configurations to judge inputs
// against, text helpers, and Violation() for a broken promise. Every target reaches the
// library through podalloc.h only; a finding is either a sanitizer report or a Violation
// (a printed reason and abort), which libFuzzer saves as a crash input.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "podalloc/podalloc.h"

namespace podalloc_fuzz {

// Prints why the input broke a promise of the library, then aborts (a libFuzzer crash).
[[noreturn]] inline void Violation(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "podalloc fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) {
    std::fprintf(stderr, "  %.*s\n", static_cast<int>(detail.size()), detail.data());
  }
  std::abort();
}

// A setup call that must succeed (fixed inputs of the target itself).
inline void MustSucceed(podalloc_status status, std::string_view what) {
  if (status != PODALLOC_OK) Violation(what, podalloc_last_error_message());
}

// A status the C ABI documents; INTERNAL ("a bug in podalloc") and unknown codes are findings.
inline void CheckStatus(podalloc_status status, std::string_view call) {
  if (status == PODALLOC_INTERNAL || status < 0 || status > PODALLOC_UNAUTHENTICATED) {
    Violation(std::string(call) + " returned " + podalloc_status_name(status),
              podalloc_last_error_message());
  }
}

// Owns a podalloc_buffer.
struct Buffer {
  podalloc_buffer b = PODALLOC_BUFFER_INIT;
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { podalloc_buffer_free(&b); }
  std::string str() const {
    return b.data == nullptr ? std::string() : std::string(b.data, b.size);
  }
};

inline std::string State(const podalloc_node* node) {
  Buffer out;
  MustSucceed(podalloc_node_state(&out.b, node, nullptr), "podalloc_node_state");
  return out.str();
}

// The state JSON without its leading "version" member, which every change moves on: two
// nodes with the same pods, CPUs and memory give the same text.
inline std::string StateBody(const podalloc_node* node) {
  std::string state = State(node);
  const size_t comma = state.find(',');
  return comma == std::string::npos ? state : state.substr(comma);
}

// `text` as a JSON string literal. Bytes that are not ASCII pass through unchanged, so an
// input that is not UTF-8 stays malformed (the library must refuse it, not the harness).
inline std::string JsonQuoted(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

inline std::string TopologyJson(const podalloc_topology* topology) {
  Buffer out;
  MustSucceed(podalloc_topology_to_json(&out.b, topology, nullptr), "podalloc_topology_to_json");
  return out.str();
}

// The documented round trip: an accepted machine writes v1 JSON that reads back into a
// machine writing the same bytes.
inline void CheckTopologyRoundTrip(const podalloc_topology* topology) {
  const std::string written = TopologyJson(topology);
  podalloc_topology* again = nullptr;
  if (podalloc_topology_from_json(&again, written.data(), written.size(), nullptr) != PODALLOC_OK) {
    Violation("a written topology does not read back", podalloc_last_error_message());
  }
  const std::string rewritten = TopologyJson(again);
  podalloc_topology_destroy(again);
  if (rewritten != written) Violation("a topology does not round-trip", written);
}

// The kubelet's newest checkpoint layout around a payload: {"checksum":0,"data":"<payload>",
// "dataChecksum":fnv1a32("(string)" + payload)} (checksum.New on a string, as the kubelet's
// checkpointmanager writes it). It lets mutated payloads get past the checksum check.
inline std::string WrapCheckpointData(std::string_view payload) {
  uint32_t hash = 2166136261u;
  const std::string typed = std::string("(string)") + std::string(payload);
  for (unsigned char c : typed) {
    hash ^= c;
    hash *= 16777619u;
  }
  return "{\"checksum\":0,\"data\":" + JsonQuoted(payload) +
         ",\"dataChecksum\":" + std::to_string(hash) + "}";
}

// A small real-looking machine: 2 sockets, one NUMA node each with 8 GiB and huge pages of
// 2 MiB (512) and 1 GiB (2), 4 cores of 2 threads per socket (CPUs 0-15, core c holds c and
// c + 8), an L3 per socket, SLIT distances 10/21.
inline podalloc_topology* SmallMachine() {
  std::string cpus;
  for (int cpu = 0; cpu < 16; ++cpu) {
    const int core = cpu % 8;
    const int socket = core / 4;
    if (!cpus.empty()) cpus += ",";
    cpus += "{\"id\":" + std::to_string(cpu) + ",\"core\":" + std::to_string(core) +
            ",\"socket\":" + std::to_string(socket) + ",\"numa\":" + std::to_string(socket) + "}";
  }
  std::string nodes;
  for (int numa = 0; numa < 2; ++numa) {
    if (!nodes.empty()) nodes += ",";
    nodes += "{\"id\":" + std::to_string(numa) +
             ",\"memory_bytes\":8589934592,\"hugepages\":["
             "{\"page_size_bytes\":2097152,\"total_pages\":512},"
             "{\"page_size_bytes\":1073741824,\"total_pages\":2}]}";
  }
  const std::string json =
      "{\"schema\":\"podalloc.topology/v1\",\"name\":\"fuzz-16cpu-2numa\","
      "\"cpus\":[" +
      cpus + "],\"numa_nodes\":[" + nodes + "],\"distances\":[[10,21],[21,10]]}";
  podalloc_topology* topology = nullptr;
  MustSucceed(podalloc_topology_from_json(&topology, json.data(), json.size(), nullptr),
              "the fixed machine");
  return topology;
}

// Static CPU manager (CPU 0 reserved), Static memory manager (512 MiB reserved on node 0),
// topology manager best-effort, container scope; the pod-level resource managers on.
inline constexpr std::string_view kStaticConfig =
    R"({"cpuManagerPolicy":"static","reservedSystemCPUs":"0",)"
    R"("topologyManagerPolicy":"best-effort","memoryManagerPolicy":"Static",)"
    R"("reservedMemory":[{"numaNode":0,"limits":{"memory":"512Mi"}}],)"
    R"("featureGates":{"PodLevelResourceManagers":true}})";

// The same managers with the topology manager single-numa-node at pod scope.
inline constexpr std::string_view kPodScopeConfig =
    R"({"cpuManagerPolicy":"static","reservedSystemCPUs":"0",)"
    R"("topologyManagerPolicy":"single-numa-node","topologyManagerScope":"pod",)"
    R"("memoryManagerPolicy":"Static",)"
    R"("reservedMemory":[{"numaNode":0,"limits":{"memory":"512Mi"}}],)"
    R"("featureGates":{"PodLevelResourceManagers":true}})";

inline podalloc_node* MakeNode(const podalloc_topology* topology, std::string_view config) {
  podalloc_node* node = nullptr;
  MustSucceed(podalloc_node_create(&node, topology, config.data(), config.size(), nullptr),
              "a fixed node configuration");
  return node;
}

// A pod the fixed nodes admit, committed through admit-and-commit.
inline void MustAdmit(podalloc_node* node, std::string_view pod) {
  Buffer out;
  MustSucceed(podalloc_node_admit_and_commit(&out.b, node, pod.data(), pod.size(), nullptr),
              "a fixed pod");
  if (out.str().find("\"admitted\":true") == std::string::npos) {
    Violation("a fixed pod was refused", out.str());
  }
}

// Pods the fixed nodes hold before the input is judged (UIDs fixed-*; names as the UIDs).
inline constexpr std::string_view kFixedGuaranteed =
    R"({"metadata":{"name":"fixed-guaranteed","namespace":"default","uid":"fixed-guaranteed"},)"
    R"("spec":{"containers":[{"name":"app","resources":{"limits":{"cpu":"2","memory":"1Gi"}}}]}})";
inline constexpr std::string_view kFixedBurstable =
    R"({"metadata":{"name":"fixed-burstable","namespace":"default","uid":"fixed-burstable"},)"
    R"("spec":{"containers":[{"name":"web","resources":{"requests":{"cpu":"500m",)"
    R"("memory":"256Mi"},"limits":{"memory":"512Mi"}}}]}})";

}  // namespace podalloc_fuzz
