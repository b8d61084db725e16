/* File: podalloc/podalloc.h
 *
 * The C ABI of podalloc: node-level resource allocation decisions of Kubernetes (CPU,
 * memory and topology managers) for programs written in C, Go (cgo), Rust and anything
 * else with a C FFI. This is the only header with an ABI promise; the C++ headers beside it
 * serve static C++ users and carry none.
 *
 * Conventions (docs/c-abi.md has the long form):
 *  - Every fallible call returns a podalloc_status (0 = PODALLOC_OK) and takes an optional
 *    last argument `podalloc_error** err`. When err is non-NULL and the call fails, *err
 *    receives an error object owned by the caller (free it with podalloc_error_free). The
 *    message of the last failed call on the calling thread is also available through
 *    podalloc_last_error_message(), but bindings whose calls may change threads (Go) should
 *    use err.
 *  - Outputs come first and the one output is called `out`. On failure every output is left
 *    untouched and every handle is exactly as it was.
 *  - Text inputs are (pointer, length) pairs in UTF-8 and need no terminating NUL; the
 *    library copies what it keeps. A NULL pointer with length 0 is the empty text.
 *  - Documents (JSON) come back in a podalloc_buffer released with podalloc_buffer_free.
 *    Typed hot-path results go into arrays the caller owns. Nothing the library returns is
 *    released with free().
 *  - Integers have fixed widths; "enum" values are int32_t or uint32_t constants.
 *
 * Thread safety: a podalloc_topology is immutable once created and may be shared by any
 * number of threads. A podalloc_node is thread-safe (calls on one node are serialised).
 * Free functions are reentrant. The last-error slot is per thread.
 *
 * Sections: version; status and error; memory; topology; node; typed pods and decisions;
 * typed hot paths; experimental (behind PODALLOC_EXPERIMENTAL).
 */
#ifndef PODALLOC_PODALLOC_H_
#define PODALLOC_PODALLOC_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(PODALLOC_SHARED) && !defined(PODALLOC_BUILDING)
#define PODALLOC_API __declspec(dllimport)
#elif defined(_WIN32) && defined(PODALLOC_BUILDING)
#define PODALLOC_API __declspec(dllexport)
#elif defined(PODALLOC_BUILDING) && defined(__GNUC__)
#define PODALLOC_API __attribute__((visibility("default")))
#else
#define PODALLOC_API
#endif

/* Entry points never throw; C++ callers may rely on that. */
#if defined(__cplusplus)
#define PODALLOC_NOEXCEPT noexcept
extern "C" {
#else
#define PODALLOC_NOEXCEPT
#endif

/* ======================================================================================
 * Version
 * ====================================================================================== */

/* The version of this header. CMake checks that it matches the project version. */
#define PODALLOC_VERSION_MAJOR 0
#define PODALLOC_VERSION_MINOR 1
#define PODALLOC_VERSION_PATCH 0
#define PODALLOC_VERSION_NUMBER \
  (PODALLOC_VERSION_MAJOR * 10000 + PODALLOC_VERSION_MINOR * 100 + PODALLOC_VERSION_PATCH)
#define PODALLOC_VERSION_STRING "0.1.0"

/**
 * The version of the loaded library as PODALLOC_VERSION_NUMBER computes it
 * (major * 10000 + minor * 100 + patch). A binding compares its major with
 * PODALLOC_VERSION_MAJOR at load time (version / 10000).
 * @since 0.1
 */
PODALLOC_API uint32_t podalloc_version(void) PODALLOC_NOEXCEPT;

/**
 * The version of the loaded library as "major.minor.patch"; a static string, never NULL.
 * @since 0.1
 */
PODALLOC_API const char* podalloc_version_string(void) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * Status and error
 * ====================================================================================== */

/** A call's outcome. The values are the canonical codes of absl::StatusCode (and gRPC),
 *  fixed forever. A pod the node refuses is not an error: the call succeeds and the
 *  decision says why the pod was not admitted. */
typedef int32_t podalloc_status;

enum {
  PODALLOC_OK = 0,
  PODALLOC_CANCELLED = 1,
  PODALLOC_UNKNOWN = 2,
  PODALLOC_INVALID_ARGUMENT = 3, /* a NULL, malformed JSON, a bad value, a bad struct_size */
  PODALLOC_DEADLINE_EXCEEDED = 4,
  PODALLOC_NOT_FOUND = 5, /* a pod or container the node does not know, a missing file */
  PODALLOC_ALREADY_EXISTS = 6,
  PODALLOC_PERMISSION_DENIED = 7,
  PODALLOC_RESOURCE_EXHAUSTED = 8, /* not enough CPUs, out of memory */
  PODALLOC_FAILED_PRECONDITION = 9, /* the node or topology cannot serve this request */
  PODALLOC_ABORTED = 10,
  PODALLOC_OUT_OF_RANGE = 11, /* a caller-owned output array or string is too small */
  PODALLOC_UNIMPLEMENTED = 12,
  PODALLOC_INTERNAL = 13, /* a bug in podalloc; please report it */
  PODALLOC_UNAVAILABLE = 14,
  PODALLOC_DATA_LOSS = 15, /* a checkpoint whose checksum does not match */
  PODALLOC_UNAUTHENTICATED = 16
};

/**
 * The name of a status code ("OK", "INVALID_ARGUMENT", ...); "UNKNOWN_STATUS" for a value
 * outside 0..16. A static string, never NULL.
 * @since 0.1
 */
PODALLOC_API const char* podalloc_status_name(podalloc_status status) PODALLOC_NOEXCEPT;

/** The error of one failed call: a code and a message. Owned by the caller. */
typedef struct podalloc_error podalloc_error;

/**
 * The code of an error; PODALLOC_OK when err is NULL.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_error_code(const podalloc_error* err) PODALLOC_NOEXCEPT;

/**
 * The message of an error (UTF-8, NUL-terminated), naming the argument, JSON path or value
 * at fault. Borrowed: valid until podalloc_error_free(err). "" when err is NULL; never NULL.
 * @since 0.1
 */
PODALLOC_API const char* podalloc_error_message(const podalloc_error* err) PODALLOC_NOEXCEPT;

/**
 * Releases an error. NULL is allowed and does nothing.
 * @since 0.1
 */
PODALLOC_API void podalloc_error_free(podalloc_error* err) PODALLOC_NOEXCEPT;

/**
 * The message of the last failed call made on this thread, or "" when the last fallible
 * call on this thread succeeded (each fallible call resets it). Owned by the library: valid
 * until the next podalloc call on this thread. Never NULL.
 * @since 0.1
 */
PODALLOC_API const char* podalloc_last_error_message(void) PODALLOC_NOEXCEPT;

/**
 * The status of the last fallible call made on this thread (PODALLOC_OK before any).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_last_error_code(void) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * Memory
 * ====================================================================================== */

/** A document the library allocated (JSON, metrics text). `data` holds `size` bytes
 *  followed by a NUL that `size` does not count. Release it with podalloc_buffer_free. */
typedef struct podalloc_buffer {
  char* data;
  size_t size;
} podalloc_buffer;

/** An empty buffer, for initialisation: `podalloc_buffer b = PODALLOC_BUFFER_INIT;`. */
#define PODALLOC_BUFFER_INIT {NULL, 0}

/**
 * Releases the bytes of `buf` and resets it to {NULL, 0}. NULL, an empty buffer and a
 * buffer already released are allowed and do nothing. A call that fills a buffer
 * overwrites it without releasing what it held: release a buffer before reusing it.
 * @since 0.1
 */
PODALLOC_API void podalloc_buffer_free(podalloc_buffer* buf) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * Topology
 * ====================================================================================== */

/** A machine: CPUs with their core, socket, NUMA node and uncore cache; NUMA nodes with
 *  memory, hugepages and distances. Immutable and safe to share between threads. */
typedef struct podalloc_topology podalloc_topology;

/**
 * This machine, as hwloc discovers it (cgroup restrictions applied), with the CPU-less NUMA
 * nodes that sysfs lists. Reads the system; reentrant.
 * @param[out] out the new topology, owned by the caller (podalloc_topology_destroy).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT when out is NULL; PODALLOC_INTERNAL or
 *   PODALLOC_FAILED_PRECONDITION when discovery fails.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_discover(podalloc_topology** out,
                                                        podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * A machine described by an hwloc synthetic string, e.g. "pack:2 numa:2 l3:1 core:8 pu:2".
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for a NULL out or a string hwloc rejects.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_from_synthetic(
    podalloc_topology** out, const char* description, size_t description_len,
    podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * A machine from an hwloc XML export held in memory (format 2, at most 16 MiB). The bytes are
 * parsed with libxml2 and checked against hwloc's v2 format before hwloc reads a canonical
 * rewrite of them (docs/discovery.md): no input can crash or leak inside hwloc.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for a NULL out, more than 16 MiB, or XML that
 *   is malformed or outside hwloc's v2 format (the message names the line and the problem).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_from_xml(podalloc_topology** out,
                                                        const char* xml, size_t xml_len,
                                                        podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * A machine from an hwloc XML file, checked as podalloc_topology_from_xml checks a buffer.
 * @param path file name (not NUL-terminated; path_len bytes, none of them NUL).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for a path holding a NUL byte, a file that is
 *   not a regular file (a device, FIFO or directory) or is larger than 16 MiB, or XML refused
 *   as by podalloc_topology_from_xml; PODALLOC_NOT_FOUND when the file is missing.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_from_xml_file(podalloc_topology** out,
                                                             const char* path, size_t path_len,
                                                             podalloc_error** err)
    PODALLOC_NOEXCEPT;

/**
 * A machine from Linux sysfs below `root`: "" or "/" reads the live system, any other
 * folder is a capture holding sys/ (read as cadvisor reads it for the kubelet). Each file read
 * must be a regular file of at most 1 MiB.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT (also for a root holding a NUL byte);
 *   PODALLOC_NOT_FOUND for missing files;
 *   other codes naming the unreadable or inconsistent file.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_from_sysfs(podalloc_topology** out,
                                                          const char* root, size_t root_len,
                                                          podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * A machine from JSON: the "podalloc.topology/v1" document (docs/topology-json.md) or one
 * kubelet test-topology record.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT naming the JSON path at fault.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_from_json(podalloc_topology** out,
                                                         const char* json, size_t json_len,
                                                         podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * Releases a topology. NULL is allowed. Nodes created from it keep their own copy.
 * @since 0.1
 */
PODALLOC_API void podalloc_topology_destroy(podalloc_topology* topology) PODALLOC_NOEXCEPT;

/**
 * The "podalloc.topology/v1" JSON document of a topology (compact, deterministic; it reads
 * back into an equal topology).
 * @param[out] out receives the document; release it with podalloc_buffer_free.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT when out or topology is NULL.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_to_json(podalloc_buffer* out,
                                                       const podalloc_topology* topology,
                                                       podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The topology's name (free text). Borrowed: valid until the topology is destroyed. ""
 * for NULL; never NULL.
 * @since 0.1
 */
PODALLOC_API const char* podalloc_topology_name(const podalloc_topology* topology)
    PODALLOC_NOEXCEPT;

/** Counts of a topology, as the kubelet's CPUTopology states them (0 for NULL). */
PODALLOC_API int32_t podalloc_topology_num_cpus(const podalloc_topology* topology)
    PODALLOC_NOEXCEPT;
PODALLOC_API int32_t podalloc_topology_num_cores(const podalloc_topology* topology)
    PODALLOC_NOEXCEPT;
PODALLOC_API int32_t podalloc_topology_num_sockets(const podalloc_topology* topology)
    PODALLOC_NOEXCEPT;
PODALLOC_API int32_t podalloc_topology_num_numa_nodes(const podalloc_topology* topology)
    PODALLOC_NOEXCEPT;
PODALLOC_API int32_t podalloc_topology_num_uncore_caches(const podalloc_topology* topology)
    PODALLOC_NOEXCEPT;

/**
 * How many 64-bit words a CPU mask needs to hold every CPU of the topology (highest CPU
 * id / 64 + 1; 0 for NULL). An output array of this size always fits a CPU set drawn from
 * the topology.
 * @since 0.1
 */
PODALLOC_API size_t podalloc_topology_cpuset_words(const podalloc_topology* topology)
    PODALLOC_NOEXCEPT;

/**
 * The topology's online CPUs as a CPU mask (see the typed hot paths for the mask layout).
 * @param[out] out array of out_words words, all of them written.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs; PODALLOC_OUT_OF_RANGE when
 *   out_words < podalloc_topology_cpuset_words(topology).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_topology_cpus(uint64_t* out, size_t out_words,
                                                    const podalloc_topology* topology,
                                                    podalloc_error** err) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * Node
 * ====================================================================================== */

/** One machine's allocation state: its topology, the kubelet configuration that matters (CPU,
 *  memory and topology manager policies, options, reservations, feature gates), and the pods
 *  admitted so far with their CPUs and memory. Thread-safe: calls on one node may come from
 *  any threads; state changes are serialised. */
typedef struct podalloc_node podalloc_node;

/** One planned admission (podalloc_node_admit): the decision, and what committing it changes.
 *  Immutable; owned by the caller. */
typedef struct podalloc_decision podalloc_decision;

/**
 * A node on `topology` (copied: the topology handle may be destroyed afterwards) with a node
 * configuration, JSON or YAML (docs/node-config.md): a whole KubeletConfiguration file's text
 * (a document with apiVersion/kind; read as the kubelet reads it, unknown and duplicate fields
 * becoming warnings, see podalloc_node_warnings), or podalloc's plain form, an object of the
 * fields podalloc reads (cpuManagerPolicy, cpuManagerPolicyOptions, reservedSystemCPUs,
 * topologyManagerPolicy, topologyManagerScope, topologyManagerPolicyOptions,
 * memoryManagerPolicy, reservedMemory, memoryThrottlingFactor, memoryReservationPolicy,
 * kubeReserved, systemReserved, kubeReservedCgroup, systemReservedCgroup, evictionHard,
 * maxPods, podsPerCore, memorySwap, failSwapOn, featureGates, and podalloc's nodeCapacity)
 * where any other key is an error. An empty text is "{}": every policy none. The
 * configuration is validated against the machine as the kubelet's managers do; the static CPU
 * policy reserves reservedSystemCPUs, or ceil(kubeReserved.cpu + systemReserved.cpu) CPUs it
 * picks by topology. The machine has no swap (see podalloc_node_create_with_options).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for a NULL, malformed JSON or YAML, an
 *   unknown key or value (named), or the kubelet's "failed to decode: ..." and "invalid
 *   configuration: ..." texts; PODALLOC_FAILED_PRECONDITION for a configuration the machine
 *   cannot serve (e.g. more NUMA nodes than max-allowable-numa-nodes).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_create(podalloc_node** out,
                                                  const podalloc_topology* topology,
                                                  const char* config_json, size_t config_len,
                                                  podalloc_error** err) PODALLOC_NOEXCEPT;

/* podalloc_node_options.flags */
#define PODALLOC_NODE_SWAP_CONTROLLER 0x1u /* the swap cgroup controller is there: cgroup v2
                                             memory.swap.max exists in the kubelet's cgroup */

/** What podalloc_node_create_with_options knows of the machine beyond its topology.
 *  Initialise with PODALLOC_NODE_OPTIONS_INIT or podalloc_node_options_init. @since 0.1 */
typedef struct podalloc_node_options {
  uint32_t struct_size;         /* sizeof(podalloc_node_options) as the caller was compiled */
  uint32_t flags;               /* PODALLOC_NODE_* */
  uint64_t swap_capacity_bytes; /* SwapTotal; more than 0 means swap is on, which the
                                   configuration's failSwapOn (default true) refuses */
} podalloc_node_options;

#define PODALLOC_NODE_OPTIONS_INIT {(uint32_t)sizeof(podalloc_node_options), 0u, 0u}

/**
 * Resets `options` to the defaults (no swap, no swap controller). NULL is allowed and does
 * nothing.
 * @since 0.1
 */
PODALLOC_API void podalloc_node_options_init(podalloc_node_options* options) PODALLOC_NOEXCEPT;

/**
 * podalloc_node_create with the machine's swap. With PODALLOC_NODE_SWAP_CONTROLLER every
 * container cgroup of a decision gets memory.swap.max: "0", or under
 * memorySwap.swapBehavior LimitedSwap a Burstable container's share of the swap
 * (request / node memory x swap_capacity_bytes); an in-place resize of a container's memory
 * request is then Infeasible while it swaps (reason_detail "swap_limitation").
 * @param options NULL for the defaults.
 * @return as podalloc_node_create; also PODALLOC_INVALID_ARGUMENT for unknown flags or a bad
 *   struct_size, and PODALLOC_FAILED_PRECONDITION "running with swap on is not supported,
 *   please disable swap or set --fail-swap-on flag to false" for swap with failSwapOn.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_create_with_options(
    podalloc_node** out, const podalloc_topology* topology, const char* config_json,
    size_t config_len, const podalloc_node_options* options,
    podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * What loading the node's configuration noticed without refusing it, as a JSON array of
 * strings: duplicate fields (the last value was used), and for a KubeletConfiguration unknown
 * fields, which the kubelet decodes leniently, and feature gates podalloc does not model.
 * @param[out] out the JSON text (podalloc_buffer_free).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_warnings(podalloc_buffer* out,
                                                    const podalloc_node* node,
                                                    podalloc_error** err) PODALLOC_NOEXCEPT;

/** Releases a node. NULL is allowed. Decisions it made stay valid but can no longer be
 *  committed anywhere. @since 0.1 */
PODALLOC_API void podalloc_node_destroy(podalloc_node* node) PODALLOC_NOEXCEPT;

/** The node's state version: it grows with every change (commit, removal, restore).
 *  0 for NULL. @since 0.1 */
PODALLOC_API uint64_t podalloc_node_version(const podalloc_node* node) PODALLOC_NOEXCEPT;

/**
 * Plans the admission of a pod (Kubernetes v1 Pod JSON) without changing the node: the
 * topology manager's merge, the CPU and memory managers' allocation, pod-level resource
 * managers, then resource fit against node allocatable, cgroup values. A pod the node refuses
 * is a successful call whose decision says admitted = false (with the kubelet's reason, e.g.
 * "TopologyAffinityError", "OutOfcpu") and why (docs/admission.md).
 * @param[out] out the decision (podalloc_decision_destroy).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for a NULL or a malformed pod (the message
 *   names the JSON path); PODALLOC_ALREADY_EXISTS when the pod's UID is already admitted.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_admit(podalloc_decision** out,
                                                 const podalloc_node* node, const char* pod_json,
                                                 size_t pod_json_len,
                                                 podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * Explains the admission of a pod (v1 Pod JSON) without changing the node: the decision
 * podalloc_node_admit would make, and every topology manager merge it performed with each hint
 * provider's hints (device, CPU and memory managers), the merged hint and whether the policy
 * admitted it (ExplainAdmission, podalloc/admission_explanation.h, and its JSON layout:
 * {"decision", "merges", "no_merge_reason"}). For logs and tools; admission itself does not
 * need it.
 * @param[out] out the explanation as JSON (podalloc_buffer_free).
 * @return as podalloc_node_admit.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_explain(podalloc_buffer* out, const podalloc_node* node,
                                                   const char* pod_json, size_t pod_json_len,
                                                   podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * Applies a decision of this node: an admitted pod's CPUs and memory become the node's; a
 * refused pod only counts in the metrics.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs or a decision of another node;
 *   PODALLOC_FAILED_PRECONDITION when the node changed since the decision was made (admit
 *   again).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_commit(podalloc_node* node,
                                                  const podalloc_decision* decision,
                                                  podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * Admits and commits a pod in one step under the node's lock (no other change can come in
 * between), and returns the decision as JSON (the layout of podalloc_decision_to_json).
 * @return as podalloc_node_admit.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_admit_and_commit(podalloc_buffer* out,
                                                            podalloc_node* node,
                                                            const char* pod_json,
                                                            size_t pod_json_len,
                                                            podalloc_error** err)
    PODALLOC_NOEXCEPT;

/** Releases a decision. NULL is allowed. @since 0.1 */
PODALLOC_API void podalloc_decision_destroy(podalloc_decision* decision) PODALLOC_NOEXCEPT;

/** 1 when the decision admits its pod, 0 when it refuses it (or for NULL). @since 0.1 */
PODALLOC_API int32_t podalloc_decision_admitted(const podalloc_decision* decision)
    PODALLOC_NOEXCEPT;

/**
 * The decision as JSON, deterministic, keys in this order:
 * {"pod": {"uid", "name", "namespace"}, "admitted", "reason", "message", "qos", "scope",
 *  "pod_level", "pod_hint", "pod_cpus", "pod_shared_pool", "reasons", "containers": [{"name",
 *  "type", "isolation", "exclusive_cpus", "cpus", "memory_nodes", "cpu_quota_disabled",
 *  "hint", "memory_blocks", "cgroup", "reasons"}], "pod_cgroup", "burstable_cgroup",
 *  "base_version"}. CPU sets and NUMA node sets use the kubelet's list syntax; hints are
 *  {"numa_nodes", "preferred"} or null; cgroup files are {file: value} in write order.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_decision_to_json(podalloc_buffer* out,
                                                       const podalloc_decision* decision,
                                                       podalloc_error** err) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * Typed pods and decisions: admission without JSON
 * ====================================================================================== */

/* A pod described with plain C values, for callers that hold the pod as typed data (a Go
 * kubelet, an NRI plugin): the same pod a Kubernetes v1 Pod JSON document describes, given
 * to podalloc_node_admit_typed, which reads it with the same API-server defaulting and the
 * same validation as podalloc_node_admit and returns the same decision. Nothing is kept
 * after the call: the library copies what it needs. Quantities are integers: CPU in
 * millicores, memory and storage in bytes, hugepages-<size> in bytes, other (extended)
 * resources in whole units. Errors name the typed field, e.g.
 * "pod->containers[1].requests.cpu_milli: -5 must be greater than or equal to 0"; the rules
 * checked on the pod as a whole (a request above its limit, duplicate names, pod-level
 * budgets) name the field of the pod's JSON form and the typed container it came from. */

/** UTF-8 text as pointer and length; no NUL is needed. {NULL, 0} is the empty text. */
typedef struct podalloc_text {
  const char* data;
  size_t size;
} podalloc_text;

#define PODALLOC_TEXT_EMPTY {NULL, 0}

/** One resource of a list beyond cpu, memory and ephemeral-storage: "hugepages-2Mi" (bytes)
 *  or an extended resource such as "example.com/gpu" (whole units). */
typedef struct podalloc_named_quantity {
  podalloc_text name;
  int64_t value;
} podalloc_named_quantity;

/* podalloc_resources.present: which of the three fixed resources the list holds (an absent
 * resource is not a zero request: limits are copied into absent requests). */
#define PODALLOC_RESOURCE_CPU 0x1u
#define PODALLOC_RESOURCE_MEMORY 0x2u
#define PODALLOC_RESOURCE_EPHEMERAL_STORAGE 0x4u

/** A v1.ResourceList. All values must be >= 0; names in `other` must be unique, non-empty,
 *  and not cpu, memory or ephemeral-storage. A zeroed struct is the empty list. */
typedef struct podalloc_resources {
  uint32_t present;                    /* PODALLOC_RESOURCE_* */
  int64_t cpu_milli;                   /* cpu, millicores */
  int64_t memory_bytes;                /* memory */
  int64_t ephemeral_storage_bytes;     /* ephemeral-storage */
  const podalloc_named_quantity* other; /* other_count entries; NULL when 0 */
  size_t other_count;
} podalloc_resources;

#define PODALLOC_RESOURCES_EMPTY {0u, 0, 0, 0, NULL, 0}

/* podalloc_container.kind */
#define PODALLOC_CONTAINER_KIND_APP 0       /* spec.containers */
#define PODALLOC_CONTAINER_KIND_INIT 1      /* spec.initContainers */
#define PODALLOC_CONTAINER_KIND_SIDECAR 2   /* spec.initContainers with restartPolicy Always */
#define PODALLOC_CONTAINER_KIND_EPHEMERAL 3 /* spec.ephemeralContainers */

/* podalloc_container.restart_policy: the container's restartPolicy */
#define PODALLOC_RESTART_UNSET 0 /* absent (a sidecar's is Always whatever it says) */
#define PODALLOC_RESTART_ALWAYS 1
#define PODALLOC_RESTART_ON_FAILURE 2
#define PODALLOC_RESTART_NEVER 3

/* podalloc_resize_policy.restart */
#define PODALLOC_RESIZE_NOT_REQUIRED 0
#define PODALLOC_RESIZE_RESTART_CONTAINER 1

/** One entry of a container's resizePolicy. */
typedef struct podalloc_resize_policy {
  podalloc_text resource_name; /* "cpu", "memory" */
  int32_t restart;             /* PODALLOC_RESIZE_NOT_REQUIRED or _RESTART_CONTAINER */
} podalloc_resize_policy;

/** One container. Initialise with PODALLOC_CONTAINER_INIT. Every element of a pod's
 *  container array has the same struct_size, which is also the array's stride. */
typedef struct podalloc_container {
  uint32_t struct_size;   /* sizeof(podalloc_container) as the caller was compiled */
  int32_t kind;           /* PODALLOC_CONTAINER_* */
  int32_t restart_policy; /* PODALLOC_RESTART_*; ALWAYS only for a sidecar */
  podalloc_text name;     /* required, unique within the pod */
  podalloc_resources requests;
  podalloc_resources limits;
  const podalloc_resize_policy* resize_policy; /* resize_policy_count entries */
  size_t resize_policy_count;
} podalloc_container;

#define PODALLOC_CONTAINER_INIT                                                            \
  {(uint32_t)sizeof(podalloc_container), PODALLOC_CONTAINER_KIND_APP, PODALLOC_RESTART_UNSET, \
   PODALLOC_TEXT_EMPTY, PODALLOC_RESOURCES_EMPTY, PODALLOC_RESOURCES_EMPTY, NULL, 0}

/* podalloc_pod.flags */
#define PODALLOC_POD_RESOURCES 0x1u     /* spec.resources is set: `requests` and `limits` */
#define PODALLOC_POD_PRIORITY 0x2u      /* spec.priority is set: `priority` */
#define PODALLOC_POD_CONFIG_SOURCE 0x4u /* kubernetes.io/config.source: `config_source` */
#define PODALLOC_POD_MIRROR 0x8u        /* annotation kubernetes.io/config.mirror is set */

/** A pod. Initialise with PODALLOC_POD_INIT. Containers of each kind keep their array
 *  order (init containers and sidecars together, in start order). */
typedef struct podalloc_pod {
  uint32_t struct_size; /* sizeof(podalloc_pod) as the caller was compiled */
  uint32_t flags;       /* PODALLOC_POD_* */
  podalloc_text name;
  podalloc_text namespace_name;
  podalloc_text uid;
  const podalloc_container* containers; /* container_count elements, at least one app */
  size_t container_count;
  podalloc_resources overhead; /* spec.overhead */
  podalloc_resources requests; /* spec.resources.requests (with PODALLOC_POD_RESOURCES) */
  podalloc_resources limits;   /* spec.resources.limits (with PODALLOC_POD_RESOURCES) */
  int32_t priority;            /* with PODALLOC_POD_PRIORITY */
  podalloc_text config_source; /* with PODALLOC_POD_CONFIG_SOURCE: "api", "file", "http" */
} podalloc_pod;

#define PODALLOC_POD_INIT                                                                 \
  {(uint32_t)sizeof(podalloc_pod), 0u, PODALLOC_TEXT_EMPTY, PODALLOC_TEXT_EMPTY,          \
   PODALLOC_TEXT_EMPTY, NULL, 0, PODALLOC_RESOURCES_EMPTY, PODALLOC_RESOURCES_EMPTY,      \
   PODALLOC_RESOURCES_EMPTY, 0, PODALLOC_TEXT_EMPTY}

/**
 * podalloc_node_admit for a typed pod: the same defaulting, validation and decision.
 * @param[out] out the decision (podalloc_decision_destroy).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for a NULL, a bad struct_size, an unknown
 *   kind, restart policy or flag, a negative quantity, or a pod the API server would refuse
 *   (the message names the field); PODALLOC_ALREADY_EXISTS when the UID is already admitted.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_admit_typed(podalloc_decision** out,
                                                       const podalloc_node* node,
                                                       const podalloc_pod* pod,
                                                       podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * podalloc_node_admit_and_commit for a typed pod, returning the decision handle (already
 * committed when admitted; podalloc_decision_to_json renders it if wanted).
 * @return as podalloc_node_admit_typed.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_admit_and_commit_typed(
    podalloc_decision** out, podalloc_node* node, const podalloc_pod* pod,
    podalloc_error** err) PODALLOC_NOEXCEPT;

/* Typed reading of a decision. Text is borrowed: valid until the decision is destroyed. */

/** The kubelet's admission reason ("TopologyAffinityError", ...) and message of a refused
 *  pod; {NULL, 0} texts when admitted. Either output may be NULL. No-op for NULL decision.
 *  @since 0.1 */
PODALLOC_API void podalloc_decision_reason(const podalloc_decision* decision,
                                           podalloc_text* reason,
                                           podalloc_text* message) PODALLOC_NOEXCEPT;

/** The pod's QoS class (PODALLOC_QOS_*); -1 for NULL. @since 0.1 */
PODALLOC_API int32_t podalloc_decision_qos(const podalloc_decision* decision) PODALLOC_NOEXCEPT;

/** How many containers the decision places (init, sidecars, app, ephemeral, in the order of
 *  the JSON's "containers"); 0 for NULL. @since 0.1 */
PODALLOC_API size_t podalloc_decision_container_count(const podalloc_decision* decision)
    PODALLOC_NOEXCEPT;

/* podalloc_container_placement.flags */
#define PODALLOC_PLACEMENT_EXCLUSIVE_CPUS 0x1u     /* CPUs no other pod may use */
#define PODALLOC_PLACEMENT_CPU_QUOTA_DISABLED 0x2u /* cpu.max "max" */
#define PODALLOC_PLACEMENT_HINT 0x4u               /* the topology manager gave a hint */
#define PODALLOC_PLACEMENT_HINT_PREFERRED 0x8u     /* ... and it is preferred */

/* podalloc_container_placement.isolation */
#define PODALLOC_ISOLATION_HOST 0      /* the node's shared pool */
#define PODALLOC_ISOLATION_POD 1       /* the pod's shared pool (pod-level) */
#define PODALLOC_ISOLATION_CONTAINER 2 /* exclusive CPUs */

/** Where one container of a decision runs. The caller sets struct_size (use
 *  PODALLOC_CONTAINER_PLACEMENT_INIT); the library writes no more than that. */
typedef struct podalloc_container_placement {
  uint32_t struct_size;
  int32_t kind;             /* PODALLOC_CONTAINER_* */
  int32_t isolation;        /* PODALLOC_ISOLATION_* */
  uint32_t flags;           /* PODALLOC_PLACEMENT_* */
  podalloc_text name;       /* borrowed from the decision */
  uint64_t memory_nodes;    /* cpuset.mems: NUMA node n is bit n; 0 = not pinned */
  uint64_t hint_numa_nodes; /* the hint's NUMA nodes (with PODALLOC_PLACEMENT_HINT) */
  size_t cpu_count;         /* how many CPUs cpuset.cpus holds */
  int32_t max_cpu;          /* the highest of them; -1 when none */
  /* (Written only when struct_size covers it: a later field.) How many exclusive memory blocks
   * the Static memory manager recorded for the container (podalloc_decision_memory_block). */
  size_t memory_block_count;
  /* (Written only when struct_size covers it: a later field.) How many device-plugin
   * resources the container holds devices of (podalloc_decision_device_resource). */
  size_t device_resource_count;
} podalloc_container_placement;

#define PODALLOC_CONTAINER_PLACEMENT_INIT                                                   \
  {(uint32_t)sizeof(podalloc_container_placement), 0, 0, 0u, PODALLOC_TEXT_EMPTY, 0u, 0u, 0, -1, \
   0, 0}

/**
 * The placement of container `index` (< podalloc_decision_container_count).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs or a bad struct_size;
 *   PODALLOC_OUT_OF_RANGE for an index past the last container.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_decision_container(podalloc_container_placement* out,
                                                         const podalloc_decision* decision,
                                                         size_t index,
                                                         podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The cpuset.cpus of container `index` as a CPU mask (the layout of the typed hot paths),
 * every one of the out_words words written (`out` may be NULL when out_words is 0).
 * podalloc_topology_cpuset_words words always suffice, as do max_cpu / 64 + 1.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs; PODALLOC_OUT_OF_RANGE for an
 *   index past the last container or a mask too small for its highest CPU.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_decision_container_cpus(uint64_t* out, size_t out_words,
                                                              const podalloc_decision* decision,
                                                              size_t index,
                                                              podalloc_error** err)
    PODALLOC_NOEXCEPT;

/** One block of exclusive memory of a container, as the Static memory manager records it
 *  (the kubelet's memory_manager_state Block). Set struct_size (PODALLOC_MEMORY_BLOCK_INIT). */
typedef struct podalloc_memory_block {
  uint32_t struct_size;
  uint32_t reserved;            /* 0 */
  uint64_t hugepage_size_bytes; /* 0 for "memory", else the page size of hugepages-<size> */
  uint64_t size_bytes;          /* bytes of the block */
  uint64_t numa_nodes;          /* the block's NUMA nodes: node n is bit n */
} podalloc_memory_block;

#define PODALLOC_MEMORY_BLOCK_INIT {(uint32_t)sizeof(podalloc_memory_block), 0u, 0u, 0u, 0u}

/**
 * Memory block `block` (< the placement's memory_block_count) of container `index`.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs or a bad struct_size;
 *   PODALLOC_OUT_OF_RANGE for an index past the last container or block.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_decision_memory_block(podalloc_memory_block* out,
                                                            const podalloc_decision* decision,
                                                            size_t index, size_t block,
                                                            podalloc_error** err)
    PODALLOC_NOEXCEPT;

/** The devices of one device-plugin resource a container holds. Set struct_size
 *  (PODALLOC_DEVICE_RESOURCE_INIT). */
typedef struct podalloc_device_resource {
  uint32_t struct_size;
  podalloc_text name;  /* the resource, e.g. "nvidia.com/gpu"; borrowed from the decision */
  size_t device_count; /* how many device IDs (podalloc_decision_device_id) */
} podalloc_device_resource;

#define PODALLOC_DEVICE_RESOURCE_INIT {(uint32_t)sizeof(podalloc_device_resource), {NULL, 0}, 0}

/**
 * Device-plugin resource `resource` (< the placement's device_resource_count; resources in
 * name order) of container `index`.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs or a bad struct_size;
 *   PODALLOC_OUT_OF_RANGE for an index past the last container or resource.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_decision_device_resource(podalloc_device_resource* out,
                                                               const podalloc_decision* decision,
                                                               size_t index, size_t resource,
                                                               podalloc_error** err)
    PODALLOC_NOEXCEPT;

/**
 * Device ID `device` (< the resource's device_count; IDs ascending) of resource `resource` of
 * container `index`, borrowed from the decision.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs; PODALLOC_OUT_OF_RANGE for an
 *   index past the last container, resource or device.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_decision_device_id(podalloc_text* out,
                                                         const podalloc_decision* decision,
                                                         size_t index, size_t resource,
                                                         size_t device,
                                                         podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The pod's whole CPU set under pod-level resource managers (empty otherwise), as a mask.
 * @return as podalloc_decision_container_cpus.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_decision_pod_cpus(uint64_t* out, size_t out_words,
                                                        const podalloc_decision* decision,
                                                        podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The kubelet's RemoveContainer on the CPU and memory managers: the container's exclusive
 * CPUs and memory go back to the node (a pod-level pod's with its last container).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs; PODALLOC_NOT_FOUND for an unknown
 *   pod or container (nothing changes).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_remove_container(podalloc_node* node,
                                                            const char* pod_uid,
                                                            size_t pod_uid_len,
                                                            const char* container,
                                                            size_t container_len,
                                                            podalloc_error** err)
    PODALLOC_NOEXCEPT;

/** Removes every container of a pod. Same codes as podalloc_node_remove_container.
 *  @since 0.1 */
PODALLOC_API podalloc_status podalloc_node_remove_pod(podalloc_node* node, const char* pod_uid,
                                                      size_t pod_uid_len,
                                                      podalloc_error** err) PODALLOC_NOEXCEPT;

/* podalloc_device.flags */
#define PODALLOC_DEVICE_HEALTHY 0x1u /* the plugin reports the device "Healthy" */
#define PODALLOC_DEVICE_NUMA 0x2u    /* numa_nodes holds its NUMA nodes; without this flag the
                                        device has no NUMA info (no TopologyInfo) */

/** One device of a device plugin (pluginapi.Device). Initialise with PODALLOC_DEVICE_INIT
 *  (healthy, no NUMA info). Every element of an array has the same struct_size, which is also
 *  the array's stride. */
typedef struct podalloc_device {
  uint32_t struct_size; /* sizeof(podalloc_device) as the caller was compiled */
  uint32_t flags;       /* PODALLOC_DEVICE_* */
  podalloc_text id;     /* required, unique within the resource */
  uint64_t numa_nodes;  /* with PODALLOC_DEVICE_NUMA: NUMA node n is bit n (at least one) */
} podalloc_device;

#define PODALLOC_DEVICE_INIT \
  {(uint32_t)sizeof(podalloc_device), PODALLOC_DEVICE_HEALTHY, PODALLOC_TEXT_EMPTY, 0u}

/**
 * A device plugin registered (or re-registered) for `resource` with its full device list,
 * replacing the previous one (the kubelet's device manager: ListAndWatch). Devices already
 * allocated stay with their containers. Counted in kubelet_device_plugin_registration_total.
 * The device manager is the first topology hint provider of admissions after this call, and
 * healthy devices count in the node's allocatable for `resource`.
 * @param devices device_count elements (NULL when 0), copied.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for a NULL, a bad struct_size, an unknown
 *   flag, a name that is not an extended resource name (e.g. "cpu"), an empty or repeated
 *   device ID, PODALLOC_DEVICE_NUMA with no node, or a NUMA node the machine lacks (nothing
 *   changes then).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_set_device_resource(podalloc_node* node,
                                                               const char* resource,
                                                               size_t resource_len,
                                                               const podalloc_device* devices,
                                                               size_t device_count,
                                                               podalloc_error** err)
    PODALLOC_NOEXCEPT;

/**
 * The resource's device plugin is gone: the resource is forgotten (no capacity, no new
 * allocations), as the kubelet forgets it once the plugin's endpoint is gone; containers keep
 * the devices they hold.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs; PODALLOC_NOT_FOUND for a resource
 *   that is not registered.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_remove_device_resource(podalloc_node* node,
                                                                  const char* resource,
                                                                  size_t resource_len,
                                                                  podalloc_error** err)
    PODALLOC_NOEXCEPT;

/**
 * A device plugin's GetPreferredAllocation, for a container that needs `size` devices of
 * `resource`: `available` holds the available_count candidate IDs (ascending), which include
 * the must_include_count IDs of `must_include` (devices the container already gets). Write the
 * preferred candidates as indices into `available` to `chosen` (room for chosen_capacity, which
 * is available_count) and their number to `*chosen_count`; indices out of range are ignored, as
 * the kubelet ignores IDs it did not offer. Return 0 with an answer; any other value is the
 * plugin's call failing, which refuses the pod (UnexpectedAdmissionError, the value in the
 * message). When it fails, the callback may also write why to `message`: a NUL-terminated
 * text of at most message_capacity bytes (the NUL included), quoted into the pod's message.
 * The texts are valid only during the call.
 */
typedef int (*podalloc_preferred_allocation_fn)(void* user_data, podalloc_text resource,
                                                const podalloc_text* available,
                                                size_t available_count,
                                                const podalloc_text* must_include,
                                                size_t must_include_count, size_t size,
                                                size_t* chosen, size_t chosen_capacity,
                                                size_t* chosen_count, char* message,
                                                size_t message_capacity);

/**
 * The resource's device plugin answers GetPreferredAllocation through `fn` (NULL: it does not).
 * The node asks it during admissions when a container can take more devices than it needs.
 * It is called while the node is read-locked: it must not call into the same node, and must be
 * safe to call from several threads when admissions of one node run concurrently. Kept when the
 * resource's devices are listed again (podalloc_node_set_device_resource);
 * podalloc_node_remove_device_resource drops it. `user_data` is passed to each call as is.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs; PODALLOC_NOT_FOUND for a resource
 *   that is not registered.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_set_device_preferred_allocation(
    podalloc_node* node, const char* resource, size_t resource_len,
    podalloc_preferred_allocation_fn fn, void* user_data, podalloc_error** err) PODALLOC_NOEXCEPT;

/* Checkpoint files (podalloc_node_checkpoint_save kind). */
#define PODALLOC_CHECKPOINT_CPU_MANAGER 0    /* the kubelet's cpu_manager_state */
#define PODALLOC_CHECKPOINT_MEMORY_MANAGER 1 /* the kubelet's memory_manager_state */
#define PODALLOC_CHECKPOINT_DEVICE_MANAGER 2 /* the kubelet's kubelet_internal_checkpoint */

/**
 * The bytes of one of the kubelet's checkpoint files for the node's state, as the current
 * kubelet writes them (with their checksums).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs or an unknown kind.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_checkpoint_save(podalloc_buffer* out,
                                                           const podalloc_node* node,
                                                           int32_t kind,
                                                           podalloc_error** err)
    PODALLOC_NOEXCEPT;

/**
 * Replaces the node's state with checkpoint files (any layout the kubelet reads; an empty
 * text is a missing file) and the pods they belong to (a JSON array of v1 Pods or a v1
 * PodList), after checking every checkpoint entry against the pods and the machine and the
 * managers' start-up checks. Pods without checkpoint entries run in the shared pool. A pod
 * whose containers were removed (podalloc_node_remove_container) says which in its
 * annotation "podalloc.dev/removed-containers" (comma-separated names); its other init and
 * app containers are present. On any error the node is unchanged.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT (malformed JSON, a pod listed twice, a
 *   checkpoint entry naming an unlisted pod or a container the pod lacks, a pod-level entry
 *   for a pod without pod-level resources); PODALLOC_DATA_LOSS for a checksum mismatch;
 *   PODALLOC_FAILED_PRECONDITION when a checkpoint's policy differs from the node's, a CPU is
 *   held by two pods, is reserved or is not on the machine, memory blocks exceed their NUMA
 *   nodes, or the managers' start-up checks refuse the state.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_checkpoint_restore(
    podalloc_node* node, const char* cpu_checkpoint, size_t cpu_checkpoint_len,
    const char* memory_checkpoint, size_t memory_checkpoint_len, const char* pods_json,
    size_t pods_json_len, podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * podalloc_node_checkpoint_restore with the device manager's kubelet_internal_checkpoint too
 * (an empty text is a missing file: no devices held). Its entries must belong to listed pods
 * and their init or app containers. Registered resources come back without devices: each
 * plugin registers again (podalloc_node_set_device_resource) before its devices can be
 * allocated, as after a kubelet restart. On any error the node is unchanged.
 * @return as podalloc_node_checkpoint_restore; PODALLOC_INVALID_ARGUMENT also for a
 *   malformed device file (naming the field); PODALLOC_DATA_LOSS for its checksum mismatch.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_checkpoint_restore_with_devices(
    podalloc_node* node, const char* cpu_checkpoint, size_t cpu_checkpoint_len,
    const char* memory_checkpoint, size_t memory_checkpoint_len, const char* device_checkpoint,
    size_t device_checkpoint_len, const char* pods_json, size_t pods_json_len,
    podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * Prometheus text exposition of the node's counters (kubelet metric names, e.g.
 * cpu_manager_pinning_requests_total, topology_manager_admission_requests_total).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_metrics(podalloc_buffer* out,
                                                   const podalloc_node* node,
                                                   podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The node's state as JSON: {"version", "cpu_manager": {policyName, defaultCpuSet, entries,
 * podEntries}, "memory_manager": {policyName, machineState, entries, podEntries},
 * "device_manager": {PodDeviceEntries, RegisteredDevices}, "pods": [{"uid", "name",
 * "namespace", "containers"}]} (the managers' parts in the kubelet's checkpoint field names;
 * pods by UID). Deterministic.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_state(podalloc_buffer* out, const podalloc_node* node,
                                                 podalloc_error** err) PODALLOC_NOEXCEPT;

/* podalloc_resize_options.flags */
#define PODALLOC_RESIZE_CHECK_ONLY 0x1u /* preview: judge and plan, change nothing */
#define PODALLOC_RESIZE_STATIC_POD 0x2u /* a static (config-file) pod: never resized in place */

/** Options of podalloc_node_resize. Initialise with PODALLOC_RESIZE_OPTIONS_INIT or
 *  podalloc_resize_options_init. */
typedef struct podalloc_resize_options {
  uint32_t struct_size; /* sizeof(podalloc_resize_options) as the caller was compiled */
  uint32_t flags;       /* PODALLOC_RESIZE_* */
  /* Current memory usage (memory.current) in bytes, as JSON: {"pod": bytes, "containers":
   * {"name": bytes}}, both keys optional; a byte count is a non-negative integer or a
   * quantity string ("512Mi"). NULL/0 means unknown. With it, a memory limit at or below
   * usage refuses the plan (see podalloc_node_resize). Copied; not kept after the call. */
  const char* usage_json;
  size_t usage_json_len;
} podalloc_resize_options;

#define PODALLOC_RESIZE_OPTIONS_INIT {(uint32_t)sizeof(podalloc_resize_options), 0u, NULL, 0}

/**
 * Resets `options` to the defaults (resize for real, not a static pod, usage unknown).
 * NULL is allowed and does nothing.
 * @since 0.1
 */
PODALLOC_API void podalloc_resize_options_init(podalloc_resize_options* options)
    PODALLOC_NOEXCEPT;

/**
 * In-place resize of an admitted pod, as the kubelet's handlePodResourcesResize judges it.
 * `pod_json` is the admitted pod (same UID, or namespace/name without one; the same init and
 * app containers) with the new container-level and/or pod-level resources. The answer is
 * the kubelet's: feasible, Infeasible (never fits this node: the feature gate, a static pod,
 * a Guaranteed pod under the static CPU or Static memory manager, above node allocatable) or
 * Deferred (does not fit beside the other pods now). A resize that is not feasible is a
 * successful call whose decision says so, as admission refusals are. When feasible, the
 * decision lists the cgroup v2 writes that carry it out, in the order they must be applied,
 * and the pod's allocation takes the new resources (the node's version moves on) unless:
 * the plan is refused (a memory limit at or below usage), nothing changed, or
 * PODALLOC_RESIZE_CHECK_ONLY is set (then the node is never changed; the call takes only
 * the node's shared lock).
 * @param[out] out the decision as JSON: {"pod": {"uid"}, "feasible", "reason" ("" |
 *   "Infeasible" | "Deferred"), "message", "reason_detail", "applied", "plan": {"refused",
 *   "refusal", "writes": [{"cgroup", "file", "value"}]}, "restarted_containers",
 *   "base_version"}; "cgroup" is "" for the pod cgroup, else a container name. Containers
 *   whose resizePolicy restarts them are listed in restarted_containers and have no writes.
 * @param options NULL for the defaults.
 * @return PODALLOC_OK (for Deferred and Infeasible too); PODALLOC_INVALID_ARGUMENT for NULLs,
 *   malformed pod or usage JSON, unknown flags, a bad struct_size, or containers that differ
 *   from the admitted pod's; PODALLOC_NOT_FOUND for a pod the node has not admitted;
 *   PODALLOC_UNIMPLEMENTED for a feasible resize that would change exclusive CPUs or memory
 *   held by the Static memory manager (the managers' resize paths are not modelled). On any
 *   error the node is unchanged.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_resize(podalloc_buffer* out, podalloc_node* node,
                                                  const char* pod_json, size_t pod_json_len,
                                                  const podalloc_resize_options* options,
                                                  podalloc_error** err) PODALLOC_NOEXCEPT;

/* Typed resize: the same judgement as podalloc_node_resize, answered as a handle read without
 * JSON. Text is borrowed from the handle: valid until podalloc_resize_decision_destroy. */
typedef struct podalloc_resize_decision podalloc_resize_decision;

/**
 * podalloc_node_resize with the desired pod as C structs (podalloc_pod, validated and
 * defaulted as for podalloc_node_admit_typed); `options->usage_json` as there.
 * @param[out] out the decision (podalloc_resize_decision_destroy); NULL on error.
 * @return as podalloc_node_resize. On any error the node is unchanged.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_resize_typed(podalloc_resize_decision** out,
                                                        podalloc_node* node,
                                                        const podalloc_pod* pod,
                                                        const podalloc_resize_options* options,
                                                        podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * podalloc_node_resize with the desired pod as JSON, answered as a handle.
 * @return as podalloc_node_resize. On any error the node is unchanged.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_resize_json(podalloc_resize_decision** out,
                                                       podalloc_node* node, const char* pod_json,
                                                       size_t pod_json_len,
                                                       const podalloc_resize_options* options,
                                                       podalloc_error** err) PODALLOC_NOEXCEPT;

/** Frees a resize decision; NULL is a no-op. @since 0.1 */
PODALLOC_API void podalloc_resize_decision_destroy(podalloc_resize_decision* decision)
    PODALLOC_NOEXCEPT;

/* podalloc_resize_summary.outcome */
#define PODALLOC_RESIZE_FEASIBLE 0   /* fits: the plan says how to carry it out */
#define PODALLOC_RESIZE_DEFERRED 1   /* does not fit beside the other pods now */
#define PODALLOC_RESIZE_INFEASIBLE 2 /* never fits this node */

/* podalloc_resize_summary.flags */
#define PODALLOC_RESIZE_APPLIED 0x1u /* the node recorded the new resources */
#define PODALLOC_RESIZE_REFUSED 0x2u /* feasible, but the plan is refused (refusal says why) */

/** What a resize decision says. Set struct_size (PODALLOC_RESIZE_SUMMARY_INIT). */
typedef struct podalloc_resize_summary {
  uint32_t struct_size;
  int32_t outcome;             /* PODALLOC_RESIZE_FEASIBLE / _DEFERRED / _INFEASIBLE */
  uint32_t flags;              /* PODALLOC_RESIZE_APPLIED, PODALLOC_RESIZE_REFUSED */
  uint32_t reserved;           /* 0 */
  podalloc_text pod_uid;       /* the pod's state key */
  podalloc_text message;       /* the kubelet's PodResizePending message; empty if feasible */
  podalloc_text reason_detail; /* kubelet_pod_infeasible_resizes_total's reason_detail */
  podalloc_text refusal;       /* why the plan is refused (PODALLOC_RESIZE_REFUSED) */
  size_t write_count;          /* cgroup writes, in the order they must be applied */
  size_t restarted_count;      /* containers the runtime restarts (no writes for them) */
  uint64_t base_version;       /* the node state version the resize was judged on */
} podalloc_resize_summary;

#define PODALLOC_RESIZE_SUMMARY_INIT                                                     \
  {(uint32_t)sizeof(podalloc_resize_summary), 0, 0u, 0u, PODALLOC_TEXT_EMPTY,            \
   PODALLOC_TEXT_EMPTY, PODALLOC_TEXT_EMPTY, PODALLOC_TEXT_EMPTY, 0, 0, 0u}

/**
 * The outcome, texts and counts of a resize decision.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs or a bad struct_size.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_resize_decision_summary(
    podalloc_resize_summary* out, const podalloc_resize_decision* decision,
    podalloc_error** err) PODALLOC_NOEXCEPT;

/** One cgroup v2 file write of a resize plan. */
typedef struct podalloc_cgroup_write {
  uint32_t struct_size;
  uint32_t reserved;   /* 0 */
  podalloc_text cgroup; /* empty for the pod cgroup, else the container's name */
  podalloc_text file;   /* "cpu.max", "memory.max", ... */
  podalloc_text value;  /* what to write */
} podalloc_cgroup_write;

#define PODALLOC_CGROUP_WRITE_INIT                                                  \
  {(uint32_t)sizeof(podalloc_cgroup_write), 0u, PODALLOC_TEXT_EMPTY, PODALLOC_TEXT_EMPTY, \
   PODALLOC_TEXT_EMPTY}

/**
 * Write `index` (< write_count) of the plan, in application order.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs or a bad struct_size;
 *   PODALLOC_OUT_OF_RANGE past the last write.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_resize_decision_write(podalloc_cgroup_write* out,
                                                            const podalloc_resize_decision* decision,
                                                            size_t index,
                                                            podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The name of restarted container `index` (< restarted_count).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs; PODALLOC_OUT_OF_RANGE past the end.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_resize_decision_restarted(
    podalloc_text* out, const podalloc_resize_decision* decision, size_t index,
    podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The decision as the JSON of podalloc_node_resize.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULLs.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_resize_decision_to_json(
    podalloc_buffer* out, const podalloc_resize_decision* decision,
    podalloc_error** err) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * Typed hot paths
 * ====================================================================================== */

/* CPU masks. A set of CPU ids is an array of uint64_t words: CPU c is bit (c % 64) of
 * word (c / 64). Inputs may have any number of words; the library supports CPU ids below
 * 4096 and rejects a set bit beyond that with PODALLOC_INVALID_ARGUMENT. */

/**
 * Parses the kubelet's CPU list syntax ("0-3,8,10-11"; "" is the empty set) into a mask.
 * @param[out] out array of out_words words, all of them written (zeros past the set).
 * @param[out] needed_words optional: receives the words the set needs (highest id / 64 + 1,
 *   0 for the empty set), on success and on PODALLOC_OUT_OF_RANGE.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for bad syntax; PODALLOC_OUT_OF_RANGE when
 *   out_words is too small (out untouched).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_cpuset_parse(uint64_t* out, size_t out_words,
                                                   size_t* needed_words, const char* text,
                                                   size_t text_len,
                                                   podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * Formats a mask in the kubelet's canonical CPU list syntax, NUL-terminated.
 * @param[out] out caller's array of `capacity` bytes; may be NULL when capacity is 0.
 * @param[out] needed optional: receives the length of the text without its NUL, on success
 *   and on PODALLOC_OUT_OF_RANGE (so capacity must be at least *needed + 1).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT; PODALLOC_OUT_OF_RANGE when capacity is too
 *   small (out untouched).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_cpuset_format(char* out, size_t capacity, size_t* needed,
                                                    const uint64_t* cpus, size_t cpus_words,
                                                    podalloc_error** err) PODALLOC_NOEXCEPT;

/* podalloc_take_options.flags */
#define PODALLOC_TAKE_SPREAD_ACROSS_CORES 0x1u /* distribute-cpus-across-cores */
#define PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE 0x2u /* prefer-align-cpus-by-uncorecache */
#define PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA 0x4u /* distribute-cpus-across-numa */

/** Options of podalloc_cpuset_take, named after the CPU manager's static policy options.
 *  Initialise with PODALLOC_TAKE_OPTIONS_INIT or podalloc_take_options_init. */
typedef struct podalloc_take_options {
  uint32_t struct_size; /* sizeof(podalloc_take_options) as the caller was compiled */
  uint32_t flags;       /* PODALLOC_TAKE_* */
  /* With PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA: CPUs are handed out in groups of this many
   * (the kubelet uses CPUsPerCore under full-pcpus-only, else 1); 0 means 1. */
  int32_t cpu_group_size;
} podalloc_take_options;

#define PODALLOC_TAKE_OPTIONS_INIT {(uint32_t)sizeof(podalloc_take_options), 0u, 0}

/**
 * Resets `options` to the defaults (packed, no option) and sets its struct_size.
 * NULL is allowed and does nothing.
 * @since 0.1
 */
PODALLOC_API void podalloc_take_options_init(podalloc_take_options* options) PODALLOC_NOEXCEPT;

/**
 * The CPU manager's take-by-topology: chooses `num_cpus` CPUs among `available` exactly as
 * the kubelet's static policy does (whole sockets, NUMA nodes, uncore caches, cores, then
 * threads; or NUMA-distributed). Available CPUs outside the topology are ignored. On success
 * the result is exactly num_cpus available CPUs (where the kubelet would count CPUs of a
 * core or socket that are not free, only the free ones are taken and counted).
 * @param[out] out mask of out_words words, all of them written.
 * @param available mask of available_words words.
 * @param num_cpus how many CPUs to take; 0 gives the empty set.
 * @param options NULL for the defaults.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT (NULLs, negative count, unknown flag,
 *   bad struct_size); PODALLOC_RESOURCE_EXHAUSTED when fewer than num_cpus are available,
 *   and with PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA for the kubelet's "accounting error" (the
 *   NUMA nodes it reads back lack CPUs) or a NUMA list naming a node twice beyond 12 entries;
 *   PODALLOC_OUT_OF_RANGE when the result does not fit out_words (use
 *   podalloc_topology_cpuset_words).
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_cpuset_take(uint64_t* out, size_t out_words,
                                                  const podalloc_topology* topology,
                                                  const uint64_t* available,
                                                  size_t available_words, int32_t num_cpus,
                                                  const podalloc_take_options* options,
                                                  podalloc_error** err) PODALLOC_NOEXCEPT;

/* podalloc_hint.flags */
#define PODALLOC_HINT_PREFERRED 0x1u
#define PODALLOC_HINT_ANY_NUMA 0x2u /* the kubelet's nil affinity; `affinity` is ignored */

/** A topology hint: a NUMA affinity (bit n = NUMA node n) and whether it is preferred. */
typedef struct podalloc_hint {
  uint64_t affinity;
  uint32_t flags; /* PODALLOC_HINT_* */
} podalloc_hint;

/* Topology manager policies (podalloc_merge_options.policy). */
#define PODALLOC_POLICY_NONE 0
#define PODALLOC_POLICY_BEST_EFFORT 1
#define PODALLOC_POLICY_RESTRICTED 2
#define PODALLOC_POLICY_SINGLE_NUMA_NODE 3

/* podalloc_merge_options.flags */
#define PODALLOC_MERGE_PREFER_CLOSEST_NUMA 0x1u /* prefer-closest-numa-nodes */

/** Options of podalloc_hints_merge. Initialise with PODALLOC_MERGE_OPTIONS_INIT or
 *  podalloc_merge_options_init. */
typedef struct podalloc_merge_options {
  uint32_t struct_size; /* sizeof(podalloc_merge_options) as the caller was compiled */
  int32_t policy;       /* PODALLOC_POLICY_* */
  uint32_t flags;       /* PODALLOC_MERGE_* */
} podalloc_merge_options;

#define PODALLOC_MERGE_OPTIONS_INIT \
  {(uint32_t)sizeof(podalloc_merge_options), PODALLOC_POLICY_BEST_EFFORT, 0u}

/**
 * Resets `options` to the defaults (best-effort, no option). NULL does nothing.
 * @since 0.1
 */
PODALLOC_API void podalloc_merge_options_init(podalloc_merge_options* options)
    PODALLOC_NOEXCEPT;

/** The merged hint and the policy's verdict on it. */
typedef struct podalloc_merge_result {
  podalloc_hint hint;
  int32_t admit; /* 1 when the policy admits the hint, else 0 */
} podalloc_merge_result;

/**
 * The topology manager's hint merge. The input is the kubelet's list of hint lists, one per
 * (provider, resource): `hints` holds every list back to back and `list_sizes[i]` is the
 * length of list i. A list of one {ANY_NUMA | PREFERRED} hint is "no preference"; an empty
 * list is "no possible alignment". NUMA node ids and distances come from `topology`.
 * Unlike the kubelet's manager, no limit on the NUMA node count applies (up to 64).
 * @param[out] out the best hint and the admit verdict.
 * @param options NULL for the defaults.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT (NULLs, unknown policy or flag, a hint
 *   naming a node outside the topology, bad struct_size); PODALLOC_FAILED_PRECONDITION for
 *   prefer-closest-numa-nodes on a topology without distances.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_hints_merge(podalloc_merge_result* out,
                                                  const podalloc_topology* topology,
                                                  const podalloc_hint* hints,
                                                  const size_t* list_sizes, size_t num_lists,
                                                  const podalloc_merge_options* options,
                                                  podalloc_error** err) PODALLOC_NOEXCEPT;

/* Pod QoS classes. */
#define PODALLOC_QOS_GUARANTEED 0
#define PODALLOC_QOS_BURSTABLE 1
#define PODALLOC_QOS_BEST_EFFORT 2

/* podalloc_pod_qos_class flags */
#define PODALLOC_QOS_IGNORE_STATUS 0x1u /* compute the class even when status.qosClass is set */
#define PODALLOC_QOS_NO_POD_LEVEL_RESOURCES 0x2u /* feature gate PodLevelResources off */

/**
 * The QoS class of a pod given as Kubernetes v1 Pod JSON: status.qosClass when set (it is
 * immutable once set), else computed from requests and limits (pod-level spec.resources
 * when present). The pod is read as the API server stores it: container requests default
 * to their limits and, unless PODALLOC_QOS_NO_POD_LEVEL_RESOURCES, the pod-level defaulting
 * rules apply (with the flag, pod-level resources are neither defaulted nor classified).
 * @param[out] out PODALLOC_QOS_*.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT naming the JSON path at fault.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_pod_qos_class(int32_t* out, const char* pod_json,
                                                    size_t pod_json_len, uint32_t flags,
                                                    podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * "Guaranteed", "Burstable" or "BestEffort"; "" for another value. Never NULL.
 * @since 0.1
 */
PODALLOC_API const char* podalloc_qos_class_name(int32_t qos_class) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * NodeResourceTopology and what still fits (docs/nrt.md)
 * ====================================================================================== */

/* podalloc_node_nrt flags */
#define PODALLOC_NRT_YAML 0x1u /* YAML instead of JSON */

/**
 * The node's NodeResourceTopology object (topology.node.k8s.io/v1alpha2), read from one
 * snapshot of its state: one zone per NUMA node (ascending id) with costs from the distances
 * and cpu / memory / hugepages-* rows (capacity, allocatable, available as canonical
 * quantities), and the attributes topologyManagerScope, topologyManagerPolicy and the pod
 * fingerprint. JSON is compact, keys in the Go encoder's order; PODALLOC_NRT_YAML gives YAML.
 * Either is an object `kubectl apply` accepts. Pure: the node is not changed.
 * @param options_json {"nodeName" (required), "nodeUID", "fingerprint": bool, "method": "all" |
 *   "with-exclusive-resources", "fingerprintRule": "plugin" | "rte", "mode": "exact" | "rte",
 *   "resourceExclude": {node: [names]}, "legacyTopologyPolicies": bool,
 *   "publishMaxNUMANodes": bool}.
 * @param[out] out the object (podalloc_buffer_free).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULL node or out, unknown flags, bad
 *   options (the key is named) or a missing nodeName.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_nrt(podalloc_buffer* out, const podalloc_node* node,
                                               const char* options_json, size_t options_json_len,
                                               uint32_t flags,
                                               podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * The pod fingerprint ("pfp0v001" + 16 hex digits) of a set of pods given as v1 Pod objects
 * (only metadata.namespace and metadata.name are read) in a JSON array or a v1 List. Order
 * does not matter. Reentrant.
 * @param[out] out the signature (podalloc_buffer_free).
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for malformed JSON or a pod without a name.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_pod_fingerprint(podalloc_buffer* out, const char* pods_json,
                                                      size_t pods_json_len,
                                                      podalloc_error** err) PODALLOC_NOEXCEPT;

/**
 * What the node can still take: for the configured topology-manager policy and scope (and,
 * as hypotheticals, the pairs the query names), the largest Guaranteed pod per resource (cpu,
 * memory, each huge page size) that the node would admit — on the whole node and on each NUMA
 * node alone — with where it lands and why the next size is refused; and, for pod shapes,
 * whether each fits, where, and if not why. Found with the node's own admission (topology
 * manager, CPU and memory managers, then the predicate resource fit) on copies of one
 * snapshot by an exact search, since admission is not monotone in the size. Pure: the node is
 * not changed.
 * @param query_json NULL/"" for the defaults, or {"cpuFloor": "1", "memoryFloor": "1Mi",
 *   "whatIf": [{"policy", "scope"}], "allPolicies": bool, "zones": bool, "shapes": [Pod]}.
 * @param[out] out the report (podalloc_buffer_free): {"stateVersion", "fingerprint" (the
 *   pod fingerprint the NRT object publishes by default), "floors", "results":
 *   [{"policy", "scope", "configured", "resources": [{"name", "nrtAvailable", "overall":
 *   {"largest", "numaAffinity", "next": {"value", "reason", "message"}}, "zones": [{"zone",
 *   "largest"}], "plugin": {"largest", "agrees"}}]}], "shapes": [{"pod", "admitted", "reason",
 *   "message", "containers": [{"name", "cpus", "memoryNodes"}]}]}; amounts are quantity
 *   strings (CPUs, bytes). "plugin" (configured pair only): what the topology-aware scheduler
 *   plugin's Filter would let through on this node's NRT object, and whether it agrees with
 *   the kubelet at every size searched.
 * @return PODALLOC_OK; PODALLOC_INVALID_ARGUMENT for NULL node or out, a malformed query (the
 *   key is named), a floor that is not positive, or a what-if pair the machine or
 *   configuration refuses.
 * @since 0.1
 */
PODALLOC_API podalloc_status podalloc_node_fit_report(podalloc_buffer* out,
                                                      const podalloc_node* node,
                                                      const char* query_json,
                                                      size_t query_json_len,
                                                      podalloc_error** err) PODALLOC_NOEXCEPT;

/* ======================================================================================
 * Experimental: may change or go away in any release; symbols in version node
 * PODALLOC_EXPERIMENTAL_0. Define PODALLOC_EXPERIMENTAL before including this header.
 * ====================================================================================== */
#if defined(PODALLOC_EXPERIMENTAL)

#endif /* PODALLOC_EXPERIMENTAL */

#if defined(__cplusplus)
} /* extern "C" */
#endif

#endif /* PODALLOC_PODALLOC_H_ */
