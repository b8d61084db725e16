/* File: tests/capi/c_test_topology.c
 * Topology handles through the C ABI: every source, the JSON round trip, the counts, and
 * failed calls that leave their outputs untouched. */
#include <stdlib.h>

#include "c_test.h"

/* Stands for "whatever the caller had there": a failed call must not overwrite it. */
static int sentinel_storage;
#define SENTINEL_TOPOLOGY ((podalloc_topology*)(void*)&sentinel_storage)

static void test_synthetic(void) {
  podalloc_topology* t = NULL;
  podalloc_topology* kept = SENTINEL_TOPOLOGY;
  podalloc_error* err = NULL;
  uint64_t cpus[2] = {7, 7};

  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT("pack:2 numa:2 l3:1 core:4 pu:2"), NULL));
  CHECK(podalloc_topology_num_cpus(t) == 32);
  CHECK(podalloc_topology_num_cores(t) == 16);
  CHECK(podalloc_topology_num_sockets(t) == 2);
  CHECK(podalloc_topology_num_numa_nodes(t) == 4);
  CHECK(podalloc_topology_num_uncore_caches(t) == 2); /* hwloc puts the L3 above the NUMA nodes */
  CHECK(podalloc_topology_cpuset_words(t) == 1);
  CHECK(strlen(podalloc_topology_name(t)) > 0);

  CHECK_OK(podalloc_topology_cpus(cpus, 2, t, NULL));
  CHECK(cpus[0] == 0xffffffffu && cpus[1] == 0);
  /* Too small: OUT_OF_RANGE, nothing written. */
  cpus[0] = 7;
  CHECK_STATUS(podalloc_topology_cpus(cpus, 0, t, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK(cpus[0] == 7);
  CHECK_STATUS(podalloc_topology_cpus(NULL, 1, t, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_topology_cpus(cpus, 1, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(cpus[0] == 7);

  /* A string hwloc rejects; the caller's pointer stays as it was. */
  CHECK_STATUS(podalloc_topology_from_synthetic(&kept, TEXT("pack:two"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(kept == SENTINEL_TOPOLOGY);
  CHECK(podalloc_error_code(err) == PODALLOC_INVALID_ARGUMENT);
  podalloc_error_free(err);
  /* The description is the given bytes only, not up to a NUL. */
  CHECK_OK(podalloc_topology_from_synthetic(&kept, "pack:1 core:2 pu:1 garbage", 18, NULL));
  CHECK(podalloc_topology_num_cpus(kept) == 2);
  podalloc_topology_destroy(kept);

  /* Getters on NULL. */
  CHECK(podalloc_topology_num_cpus(NULL) == 0);
  CHECK(podalloc_topology_num_cores(NULL) == 0);
  CHECK(podalloc_topology_num_sockets(NULL) == 0);
  CHECK(podalloc_topology_num_numa_nodes(NULL) == 0);
  CHECK(podalloc_topology_num_uncore_caches(NULL) == 0);
  CHECK(podalloc_topology_cpuset_words(NULL) == 0);
  CHECK_STR(podalloc_topology_name(NULL), "");
  podalloc_topology_destroy(t);
}

static void test_json(void) {
  podalloc_topology* t = NULL;
  podalloc_topology* back = NULL;
  podalloc_topology* kept = SENTINEL_TOPOLOGY;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer again = PODALLOC_BUFFER_INIT;
  podalloc_buffer untouched = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  static const char kRecord[] =
      "{\"name\": \"tiny\", \"num_cpus\": 4, \"num_sockets\": 1, \"num_cores\": 2,"
      " \"num_numanodes\": 1, \"num_uncorecache\": 1, \"cpus\": ["
      "{\"cpu\": 0, \"core\": 0, \"socket\": 0, \"numa\": 0, \"uncore_cache\": 0},"
      "{\"cpu\": 1, \"core\": 1, \"socket\": 0, \"numa\": 0, \"uncore_cache\": 0},"
      "{\"cpu\": 2, \"core\": 0, \"socket\": 0, \"numa\": 0, \"uncore_cache\": 0},"
      "{\"cpu\": 3, \"core\": 1, \"socket\": 0, \"numa\": 0, \"uncore_cache\": 0}]}";

  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT("pack:2 numa:1 core:3 pu:2"), NULL));
  CHECK_OK(podalloc_topology_to_json(&json, t, NULL));
  CHECK(json.data != NULL && json.size == strlen(json.data));
  CHECK(strstr(json.data, "podalloc.topology/v1") != NULL);
  CHECK_OK(podalloc_topology_from_json(&back, json.data, json.size, NULL));
  CHECK_OK(podalloc_topology_to_json(&again, back, NULL));
  CHECK(again.size == json.size && memcmp(again.data, json.data, json.size) == 0);
  CHECK(podalloc_topology_num_cpus(back) == 12);

  /* Bad arguments leave the buffer untouched. */
  CHECK_STATUS(podalloc_topology_to_json(NULL, t, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_topology_to_json(&untouched, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(untouched.data == NULL && untouched.size == 0);

  /* The kubelet's test-topology record form. */
  CHECK_OK(podalloc_topology_from_json(&kept, TEXT(kRecord), NULL));
  CHECK(podalloc_topology_num_cpus(kept) == 4);
  CHECK(podalloc_topology_num_cores(kept) == 2);
  CHECK_STR(podalloc_topology_name(kept), "tiny");
  podalloc_topology_destroy(kept);

  /* Invalid JSON, valid JSON of the wrong shape, and a model violation. */
  kept = SENTINEL_TOPOLOGY;
  CHECK_STATUS(podalloc_topology_from_json(&kept, TEXT("[1, 2"), NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_topology_from_json(&kept, TEXT("42"), NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_topology_from_json(&kept, TEXT("{\"schema\": \"podalloc.topology/v9\"}"),
                                           &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(kept == SENTINEL_TOPOLOGY);
  CHECK(strlen(podalloc_error_message(err)) > 0);
  podalloc_error_free(err);

  podalloc_buffer_free(&json);
  CHECK(json.data == NULL && json.size == 0);
  podalloc_buffer_free(&json);
  podalloc_buffer_free(&again);
  podalloc_topology_destroy(back);
  podalloc_topology_destroy(t);
}

static void test_files(void) {
  podalloc_topology* t = NULL;
  podalloc_topology* kept = SENTINEL_TOPOLOGY;
  char root[4096];
  const char* xml_path = c_test_shared_path("fixtures/hwloc-192em64t-24n8c2t.xml");
  size_t xml_size = 0;
  char* xml = c_test_read_file(xml_path, &xml_size);

  CHECK(xml != NULL);
  CHECK_OK(podalloc_topology_from_xml_file(&t, TEXT(xml_path), NULL));
  CHECK(podalloc_topology_num_numa_nodes(t) == 24);
  CHECK(podalloc_topology_num_cpus(t) == 384);
  CHECK(podalloc_topology_cpuset_words(t) == 6);
  podalloc_topology_destroy(t);
  t = NULL;
  if (xml != NULL) {
    CHECK_OK(podalloc_topology_from_xml(&t, xml, xml_size, NULL));
    CHECK(podalloc_topology_num_numa_nodes(t) == 24);
    podalloc_topology_destroy(t);
    t = NULL;
  }
  free(xml);
  CHECK_STATUS(podalloc_topology_from_xml(&kept, TEXT("<topology"), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(podalloc_topology_from_xml_file(&kept, TEXT("/nonexistent/podalloc.xml"), NULL) !=
        PODALLOC_OK);
  CHECK(kept == SENTINEL_TOPOLOGY);

  snprintf(root, sizeof root, "%s/sysfs-64amd64-4s2n4ca2co/64amd64-4s2n4ca2co",
           c_test_unpacked_dir);
  CHECK_OK(podalloc_topology_from_sysfs(&t, TEXT(root), NULL));
  CHECK(podalloc_topology_num_cpus(t) == 64);
  CHECK(podalloc_topology_num_sockets(t) == 4);
  CHECK(podalloc_topology_num_numa_nodes(t) == 8);
  podalloc_topology_destroy(t);
  t = NULL;
  CHECK(podalloc_topology_from_sysfs(&kept, TEXT("/nonexistent/root"), NULL) != PODALLOC_OK);
  CHECK(kept == SENTINEL_TOPOLOGY);

  /* This machine: whatever it is, it has CPUs. */
  CHECK_OK(podalloc_topology_discover(&t, NULL));
  CHECK(podalloc_topology_num_cpus(t) > 0);
  podalloc_topology_destroy(t);
  CHECK_STATUS(podalloc_topology_discover(NULL, NULL), PODALLOC_INVALID_ARGUMENT);
}

void test_topology_inputs(void); /* c_test_topology_inputs.c */

void test_topology(void) {
  test_synthetic();
  test_json();
  test_files();
  test_topology_inputs();
}
