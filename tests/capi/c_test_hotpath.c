/* File: tests/capi/c_test_hotpath.c
 * The typed hot paths: CPU list syntax, take-by-topology on a kubelet test topology (with
 * expectations from the kubelet's own tests), options structs of every size, hint merging
 * and QoS classes. */
#include <stdlib.h>

#include "c_test.h"

/* The kubelet's topoSingleSocketHT: 1 socket, 4 cores, 2 threads each (CPU c on core c % 4). */
static const char kSingleSocketHT[] =
    "{\"name\": \"topoSingleSocketHT\", \"num_cpus\": 8, \"num_sockets\": 1, \"num_cores\": 4,"
    " \"num_numanodes\": 1, \"num_uncorecache\": 1, \"cpus\": ["
    "{\"cpu\": 0, \"core\": 0, \"socket\": 0, \"numa\": 0},"
    "{\"cpu\": 1, \"core\": 1, \"socket\": 0, \"numa\": 0},"
    "{\"cpu\": 2, \"core\": 2, \"socket\": 0, \"numa\": 0},"
    "{\"cpu\": 3, \"core\": 3, \"socket\": 0, \"numa\": 0},"
    "{\"cpu\": 4, \"core\": 0, \"socket\": 0, \"numa\": 0},"
    "{\"cpu\": 5, \"core\": 1, \"socket\": 0, \"numa\": 0},"
    "{\"cpu\": 6, \"core\": 2, \"socket\": 0, \"numa\": 0},"
    "{\"cpu\": 7, \"core\": 3, \"socket\": 0, \"numa\": 0}]}";

/* Formats `mask` into a static buffer (for comparisons). */
static const char* format_mask(const uint64_t* mask, size_t words) {
  static char text[256];
  if (podalloc_cpuset_format(text, sizeof text, NULL, mask, words, NULL) != PODALLOC_OK) {
    return "(format failed)";
  }
  return text;
}

static void test_cpuset_syntax(void) {
  uint64_t mask[2] = {0, 0};
  uint64_t big[70];
  size_t needed = 0;
  char text[8];
  podalloc_error* err = NULL;

  CHECK_OK(podalloc_cpuset_parse(mask, 2, &needed, TEXT("0-3,8,64"), NULL));
  CHECK(needed == 2);
  CHECK(mask[0] == 0x10f && mask[1] == 1);
  CHECK_STR(format_mask(mask, 2), "0-3,8,64");

  /* The empty set needs no words; a NULL array of 0 words can ask the size. */
  CHECK_OK(podalloc_cpuset_parse(mask, 2, &needed, TEXT(""), NULL));
  CHECK(needed == 0 && mask[0] == 0 && mask[1] == 0);
  CHECK_STATUS(podalloc_cpuset_parse(NULL, 0, &needed, TEXT("130"), NULL),
               PODALLOC_OUT_OF_RANGE);
  CHECK(needed == 3);

  /* Too small: OUT_OF_RANGE with the size needed; the array is untouched. */
  mask[0] = 42;
  CHECK_STATUS(podalloc_cpuset_parse(mask, 1, &needed, TEXT("1,70"), NULL), PODALLOC_OUT_OF_RANGE);
  CHECK(needed == 2 && mask[0] == 42);

  /* Bad syntax names the element; nothing written. */
  needed = 99;
  CHECK_STATUS(podalloc_cpuset_parse(mask, 2, &needed, TEXT("3-1"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(needed == 99 && mask[0] == 42);
  CHECK(strstr(podalloc_error_message(err), "3-1") != NULL);
  podalloc_error_free(err);
  CHECK_STATUS(podalloc_cpuset_parse(mask, 2, NULL, TEXT("a"), NULL), PODALLOC_INVALID_ARGUMENT);
  /* An id the library cannot hold is a bad input, not a too-small output. */
  CHECK_STATUS(podalloc_cpuset_parse(mask, 2, NULL, TEXT("4096"), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_cpuset_parse(NULL, 2, NULL, TEXT("1"), NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_cpuset_parse(mask, 2, NULL, NULL, 1, NULL), PODALLOC_INVALID_ARGUMENT);

  /* Format: the size query, a too-small buffer, and ids past the supported range. */
  mask[0] = 0xf0;
  mask[1] = 0;
  CHECK_STATUS(podalloc_cpuset_format(NULL, 0, &needed, mask, 2, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK(needed == 3);
  memcpy(text, "xxxxxxx", 8);
  CHECK_STATUS(podalloc_cpuset_format(text, 3, &needed, mask, 2, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_STR(text, "xxxxxxx");
  CHECK_OK(podalloc_cpuset_format(text, 4, &needed, mask, 2, NULL));
  CHECK_STR(text, "4-7");
  CHECK_OK(podalloc_cpuset_format(text, sizeof text, NULL, NULL, 0, NULL));
  CHECK_STR(text, "");
  CHECK_STATUS(podalloc_cpuset_format(NULL, 4, NULL, mask, 2, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_cpuset_format(text, 4, NULL, NULL, 2, NULL), PODALLOC_INVALID_ARGUMENT);
  memset(big, 0, sizeof big);
  big[64] = 1; /* CPU 4096 */
  CHECK_STATUS(podalloc_cpuset_format(text, sizeof text, NULL, big, 70, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(text, "");
  CHECK_STR(podalloc_last_error_message(),
            "cpus: CPU mask word 64 holds CPU 4096; CPU ids must be below 4096");
  big[64] = 0;
  big[63] = (uint64_t)1 << 63; /* CPU 4095, then zero words past the 4096 CPUs: accepted */
  CHECK_OK(podalloc_cpuset_format(text, sizeof text, NULL, big, 70, NULL));
  CHECK_STR(text, "4095");
}

/* Takes `n` CPUs from `available` and returns the result's list syntax. */
static const char* take(const podalloc_topology* t, const char* available, int32_t n,
                        const podalloc_take_options* options, podalloc_status* status) {
  uint64_t avail[1] = {0};
  uint64_t out[1] = {0};
  if (podalloc_cpuset_parse(avail, 1, NULL, TEXT(available), NULL) != PODALLOC_OK) {
    return "(parse failed)";
  }
  *status = podalloc_cpuset_take(out, 1, t, avail, 1, n, options, NULL);
  return *status == PODALLOC_OK ? format_mask(out, 1) : podalloc_last_error_message();
}

static void test_take(void) {
  podalloc_topology* t = NULL;
  podalloc_status status = PODALLOC_OK;
  podalloc_take_options spread = PODALLOC_TAKE_OPTIONS_INIT;
  podalloc_take_options options;
  podalloc_take_options too_small = PODALLOC_TAKE_OPTIONS_INIT;
  unsigned char larger[sizeof(podalloc_take_options) + 8];
  uint64_t out[1] = {99};
  uint64_t avail[1] = {0xff};

  CHECK_OK(podalloc_topology_from_json(&t, TEXT(kSingleSocketHT), NULL));

  /* TestTakeByTopologyNUMAPacked (commonTakeByTopologyTestCases). */
  CHECK_STR(take(t, "0-7", 2, NULL, &status), "0,4");
  CHECK_STR(take(t, "1,3,5-7", 1, NULL, &status), "6");
  CHECK_STR(take(t, "0-3,6", 2, NULL, &status), "2,6");
  CHECK_STR(take(t, "0-7", 0, NULL, &status), "");
  CHECK_STR(take(t, "0,2,4,6", 5, NULL, &status),
            "not enough cpus available to satisfy request: requested=5, available=4");
  CHECK(status == PODALLOC_RESOURCE_EXHAUSTED);
  /* TestTakeByTopologyWithSpreadPhysicalCPUsPreferredOption. */
  spread.flags = PODALLOC_TAKE_SPREAD_ACROSS_CORES;
  CHECK_STR(take(t, "0-7", 3, &spread, &status), "0-2");
  /* Distributed over the one NUMA node behaves as packed here. */
  podalloc_take_options_init(&options);
  CHECK(options.struct_size == sizeof options && options.flags == 0);
  options.flags = PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA;
  options.cpu_group_size = 2;
  CHECK_STR(take(t, "0-7", 4, &options, &status), "0-1,4-5");
  podalloc_take_options_init(NULL);

  /* Bad arguments: nothing written. */
  CHECK_STATUS(podalloc_cpuset_take(out, 1, t, avail, 1, -1, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_cpuset_take(NULL, 1, t, avail, 1, 1, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_cpuset_take(out, 1, NULL, avail, 1, 1, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_cpuset_take(out, 1, t, NULL, 1, 1, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_cpuset_take(out, 0, t, avail, 1, 1, NULL, NULL), PODALLOC_OUT_OF_RANGE);
  options.flags = 0x80u;
  CHECK_STATUS(podalloc_cpuset_take(out, 1, t, avail, 1, 1, &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  podalloc_take_options_init(&options);
  options.cpu_group_size = -2;
  CHECK_STATUS(podalloc_cpuset_take(out, 1, t, avail, 1, 1, &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  /* struct_size: 0 (never initialised) and too small are rejected. */
  too_small.struct_size = 0;
  CHECK_STATUS(podalloc_cpuset_take(out, 1, t, avail, 1, 1, &too_small, NULL),
               PODALLOC_INVALID_ARGUMENT);
  too_small.struct_size = 4;
  CHECK_STATUS(podalloc_cpuset_take(out, 1, t, avail, 1, 1, &too_small, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(out[0] == 99);
  /* A larger struct from a newer header: fine while the fields this version lacks are 0. */
  podalloc_take_options_init(&options);
  memset(larger, 0, sizeof larger);
  memcpy(larger, &options, sizeof options);
  ((podalloc_take_options*)(void*)larger)->struct_size = (uint32_t)sizeof larger;
  CHECK_OK(podalloc_cpuset_take(out, 1, t, avail, 1, 2,
                                (const podalloc_take_options*)(void*)larger, NULL));
  CHECK_STR(format_mask(out, 1), "0,4");
  out[0] = 99;
  larger[sizeof larger - 1] = 1;
  CHECK_STATUS(podalloc_cpuset_take(out, 1, t, avail, 1, 2,
                                    (const podalloc_take_options*)(void*)larger, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(out[0] == 99);

  podalloc_topology_destroy(t);
}

static void test_merge(void) {
  podalloc_topology* t = NULL;
  podalloc_merge_result result;
  podalloc_merge_result untouched;
  podalloc_merge_options options = PODALLOC_MERGE_OPTIONS_INIT;
  /* Two providers: CPU fits on node 0 or 1 alone (preferred) or both; memory only on 1. */
  podalloc_hint hints[5];
  size_t sizes[2] = {3, 2};
  size_t empty_list[1] = {0};

  hints[0].affinity = 0x1; hints[0].flags = PODALLOC_HINT_PREFERRED;
  hints[1].affinity = 0x2; hints[1].flags = PODALLOC_HINT_PREFERRED;
  hints[2].affinity = 0x3; hints[2].flags = 0;
  hints[3].affinity = 0x2; hints[3].flags = PODALLOC_HINT_PREFERRED;
  hints[4].affinity = 0x3; hints[4].flags = 0;

  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT("pack:1 numa:2 core:2 pu:1"), NULL));
  memset(&result, 0, sizeof result);
  CHECK_OK(podalloc_hints_merge(&result, t, hints, sizes, 2, NULL, NULL));
  CHECK(result.hint.affinity == 0x2 && result.hint.flags == PODALLOC_HINT_PREFERRED);
  CHECK(result.admit == 1);

  /* single-numa-node: the same best hint, admitted. */
  options.policy = PODALLOC_POLICY_SINGLE_NUMA_NODE;
  CHECK_OK(podalloc_hints_merge(&result, t, hints, sizes, 2, &options, NULL));
  CHECK(result.hint.affinity == 0x2 && result.admit == 1);

  /* An empty list (no possible alignment) makes the merge non-preferred; restricted refuses. */
  podalloc_merge_options_init(&options);
  options.policy = PODALLOC_POLICY_RESTRICTED;
  CHECK_OK(podalloc_hints_merge(&result, t, NULL, empty_list, 1, &options, NULL));
  CHECK((result.hint.flags & PODALLOC_HINT_PREFERRED) == 0 && result.admit == 0);

  /* No lists at all: the kubelet merges the empty permutation into {every node, preferred}. */
  CHECK_OK(podalloc_hints_merge(&result, t, NULL, NULL, 0, &options, NULL));
  CHECK(result.hint.affinity == 0x3 && result.hint.flags == PODALLOC_HINT_PREFERRED);
  CHECK(result.admit == 1);

  /* Policy none: {any NUMA, not preferred}, admitted. */
  options.policy = PODALLOC_POLICY_NONE;
  CHECK_OK(podalloc_hints_merge(&result, t, hints, sizes, 2, &options, NULL));
  CHECK(result.hint.flags == PODALLOC_HINT_ANY_NUMA && result.admit == 1);

  /* Bad arguments leave the result untouched. */
  memset(&untouched, 0x5a, sizeof untouched);
  options.policy = 7;
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, hints, sizes, 2, &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  podalloc_merge_options_init(&options);
  options.flags = 0x10u;
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, hints, sizes, 2, &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  options.flags = PODALLOC_MERGE_PREFER_CLOSEST_NUMA;
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, hints, sizes, 2, &options, NULL),
               PODALLOC_FAILED_PRECONDITION);
  options.struct_size = 0;
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, hints, sizes, 2, &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_hints_merge(NULL, t, hints, sizes, 2, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_hints_merge(&untouched, NULL, hints, sizes, 2, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, NULL, sizes, 2, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, hints, NULL, 2, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  hints[4].affinity = 0x4; /* node 2 does not exist */
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, hints, sizes, 2, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  hints[4].affinity = 0x3;
  hints[4].flags = 0x8u;
  CHECK_STATUS(podalloc_hints_merge(&untouched, t, hints, sizes, 2, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(untouched.admit == 0x5a5a5a5a);
  podalloc_merge_options_init(NULL);
  podalloc_topology_destroy(t);
}

static void test_qos(void) {
  int32_t qos = -1;
  podalloc_error* err = NULL;
  static const char kGuaranteed[] =
      "{\"spec\": {\"containers\": [{\"name\": \"a\", \"resources\": {"
      "\"limits\": {\"cpu\": \"2\", \"memory\": \"1Gi\"}}}]}}";
  static const char kBurstable[] =
      "{\"spec\": {\"containers\": [{\"name\": \"a\", \"resources\": {"
      "\"requests\": {\"cpu\": \"1\"}, \"limits\": {\"cpu\": \"2\"}}}]}}";
  static const char kStatusSaysBestEffort[] =
      "{\"spec\": {\"containers\": [{\"name\": \"a\", \"resources\": {"
      "\"requests\": {\"cpu\": \"1\"}}}]}, \"status\": {\"qosClass\": \"BestEffort\"}}";
  static const char kPodLevel[] =
      "{\"spec\": {\"resources\": {\"requests\": {\"cpu\": \"4\", \"memory\": \"4Gi\"},"
      " \"limits\": {\"cpu\": \"4\", \"memory\": \"4Gi\"}},"
      " \"containers\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}}";
  /* A pod-level cpu limit of 1 with a container requesting 2: the pod-level request would
   * default to the containers' 2, above the limit. */
  static const char kPodLimitBelowContainers[] =
      "{\"spec\": {\"resources\": {\"limits\": {\"cpu\": \"1\"}},"
      " \"containers\": [{\"name\": \"a\", \"resources\": {\"requests\": {\"cpu\": \"2\"}}}]}}";

  /* Limits only: requests default to them, so Guaranteed. */
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT(kGuaranteed), 0, NULL));
  CHECK(qos == PODALLOC_QOS_GUARANTEED);
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT(kBurstable), 0, NULL));
  CHECK(qos == PODALLOC_QOS_BURSTABLE);
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT("{\"spec\": {\"containers\": [{\"name\": \"a\"}]}}"),
                                  0, NULL));
  CHECK(qos == PODALLOC_QOS_BEST_EFFORT);
  /* status.qosClass wins unless asked to compute. */
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT(kStatusSaysBestEffort), 0, NULL));
  CHECK(qos == PODALLOC_QOS_BEST_EFFORT);
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT(kStatusSaysBestEffort), PODALLOC_QOS_IGNORE_STATUS,
                                  NULL));
  CHECK(qos == PODALLOC_QOS_BURSTABLE);
  /* Pod-level resources decide when the gate is on. */
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT(kPodLevel), 0, NULL));
  CHECK(qos == PODALLOC_QOS_GUARANTEED);
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT(kPodLevel), PODALLOC_QOS_NO_POD_LEVEL_RESOURCES, NULL));
  CHECK(qos == PODALLOC_QOS_BEST_EFFORT);
  /* With the gate off the API server defaults nothing at pod level, so the pod is read as
   * written and judged by its containers; with it on, the defaulted request is rejected. */
  CHECK_OK(podalloc_pod_qos_class(&qos, TEXT(kPodLimitBelowContainers),
                                  PODALLOC_QOS_NO_POD_LEVEL_RESOURCES, NULL));
  CHECK(qos == PODALLOC_QOS_BURSTABLE);
  qos = -1;
  CHECK_STATUS(podalloc_pod_qos_class(&qos, TEXT(kPodLimitBelowContainers), 0, &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "spec.resources") != NULL);
  CHECK(qos == -1);
  podalloc_error_free(err);
  err = NULL;

  CHECK_STR(podalloc_qos_class_name(PODALLOC_QOS_GUARANTEED), "Guaranteed");
  CHECK_STR(podalloc_qos_class_name(PODALLOC_QOS_BURSTABLE), "Burstable");
  CHECK_STR(podalloc_qos_class_name(PODALLOC_QOS_BEST_EFFORT), "BestEffort");
  CHECK_STR(podalloc_qos_class_name(3), "");

  /* Bad input leaves the output alone. */
  qos = -1;
  CHECK_STATUS(podalloc_pod_qos_class(&qos, TEXT("{\"spec\": "), 0, &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(podalloc_error_code(err) == PODALLOC_INVALID_ARGUMENT);
  podalloc_error_free(err);
  CHECK_STATUS(podalloc_pod_qos_class(&qos, TEXT("{\"spec\": {\"containers\": 3}}"), 0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_pod_qos_class(&qos, TEXT(kBurstable), 0x100u, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_pod_qos_class(NULL, TEXT(kBurstable), 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_pod_qos_class(&qos, NULL, 5, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(qos == -1);
}

void test_hotpath(void) {
  test_cpuset_syntax();
  test_take();
  test_merge();
  test_qos();
}
