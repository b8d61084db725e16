/* File: tests/capi/c_test_kubelet_config.c
 * Whole KubeletConfiguration documents (YAML) and node swap through the C ABI: warnings as a
 * JSON array, the node options with the machine's swap, memory.swap.max in a decision, and
 * failSwapOn. */
#include <stdlib.h>

#include "c_test.h"

static const char kKubeletConfig[] =
    "apiVersion: kubelet.config.k8s.io/v1beta1\n"
    "kind: KubeletConfiguration\n"
    "cgroupDriver: systemd\n"
    "clusterDNS: [10.96.0.10]\n"
    "imageGCHighThreshold: 85\n"
    "failSwapOn: false\n"
    "memorySwap:\n"
    "  swapBehavior: LimitedSwap\n";

/* 1Gi of memory requested, 2Gi limit: Burstable, so it gets a LimitedSwap share. */
static const char kBurstablePod[] =
    "{\"metadata\": {\"name\": \"b\", \"uid\": \"b\"}, \"spec\": {\"containers\": [{\"name\": "
    "\"app\", \"resources\": {\"requests\": {\"memory\": \"1Gi\"}, \"limits\": {\"memory\": "
    "\"2Gi\"}}}]}}";

static void test_warnings(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_buffer warnings = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_node_create(&node, t, TEXT(kKubeletConfig), NULL));
  CHECK_OK(podalloc_node_warnings(&warnings, node, NULL));
  CHECK_STR(warnings.data,
            "[\"unknown field \\\"imageGCHighThreshold\\\": ignored, as the kubelet's lenient "
            "decoding does\"]");
  podalloc_buffer_free(&warnings);
  CHECK_STATUS(podalloc_node_warnings(NULL, node, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_warnings(&warnings, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  podalloc_node_destroy(node);

  /* The plain form has none. */
  node = NULL;
  CHECK_OK(podalloc_node_create(&node, t, TEXT("{}"), NULL));
  CHECK_OK(podalloc_node_warnings(&warnings, node, NULL));
  CHECK_STR(warnings.data, "[]");
  podalloc_buffer_free(&warnings);
  podalloc_node_destroy(node);

  /* Decoding errors in the kubelet's words. */
  podalloc_error* err = NULL;
  CHECK_STATUS(podalloc_node_create(&node, t, TEXT("kind: KubeletConfiguration\n"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "failed to decode") != NULL);
  podalloc_error_free(err);
}

static void test_swap(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_node_options options = PODALLOC_NODE_OPTIONS_INIT;
  podalloc_buffer decision = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  options.flags = PODALLOC_NODE_SWAP_CONTROLLER;
  options.swap_capacity_bytes = (uint64_t)8 << 30;

  /* failSwapOn (default true) refuses a machine with swap. */
  CHECK_STATUS(podalloc_node_create_with_options(&node, t, TEXT("{}"), &options, &err),
               PODALLOC_FAILED_PRECONDITION);
  CHECK_STR(podalloc_error_message(err),
            "running with swap on is not supported, please disable swap or set --fail-swap-on "
            "flag to false");
  podalloc_error_free(err);
  CHECK(node == NULL);

  /* The machine has 32Gi (2 NUMA nodes of 16Gi): 1Gi of request gets 1/32 of 8Gi. */
  CHECK_OK(podalloc_node_create_with_options(&node, t, TEXT(kKubeletConfig), &options, NULL));
  CHECK_OK(podalloc_node_admit_and_commit(&decision, node, TEXT(kBurstablePod), NULL));
  CHECK(decision.data != NULL &&
        strstr(decision.data, "\"memory.swap.max\":\"268435456\"") != NULL);
  podalloc_buffer_free(&decision);
  podalloc_node_destroy(node);

  /* Options: NULL is the defaults; unknown flags and bad sizes are refused. */
  node = NULL;
  CHECK_OK(podalloc_node_create_with_options(&node, t, TEXT("{}"), NULL, NULL));
  podalloc_node_destroy(node);
  node = NULL;
  podalloc_node_options_init(&options);
  CHECK(options.struct_size == sizeof options && options.flags == 0 &&
        options.swap_capacity_bytes == 0);
  podalloc_node_options_init(NULL);
  options.flags = 0x80u;
  CHECK_STATUS(podalloc_node_create_with_options(&node, t, TEXT("{}"), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  podalloc_node_options_init(&options);
  options.struct_size = 4;
  CHECK_STATUS(podalloc_node_create_with_options(&node, t, TEXT("{}"), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(node == NULL);
}

void test_kubelet_config(void) {
  podalloc_topology* t = NULL;
  /* 4 CPUs on 2 NUMA nodes of 16Gi each. */
  const char* machine =
      "{\"schema\": \"podalloc.topology/v1\", \"cpus\": ["
      "{\"id\": 0, \"core\": 0, \"socket\": 0, \"numa\": 0},"
      "{\"id\": 1, \"core\": 1, \"socket\": 0, \"numa\": 0},"
      "{\"id\": 2, \"core\": 2, \"socket\": 0, \"numa\": 1},"
      "{\"id\": 3, \"core\": 3, \"socket\": 0, \"numa\": 1}],"
      " \"numa_nodes\": [{\"id\": 0, \"memory_bytes\": 17179869184},"
      " {\"id\": 1, \"memory_bytes\": 17179869184}]}";
  CHECK_OK(podalloc_topology_from_json(&t, TEXT(machine), NULL));
  test_warnings(t);
  test_swap(t);
  podalloc_topology_destroy(t);
}
