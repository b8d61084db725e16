/* File: tests/capi/c_test_fit.c
 * Resource fit at admission through the C ABI: on the `podalloc simulate --default` machine
 * and configuration, the first 40-CPU Burstable pod is admitted and the second is the
 * kubelet's OutOfcpu, with the shortfall in the decision JSON and the node unchanged; the
 * static policy derives its reserved CPUs from kubeReserved + systemReserved. */
#include "c_test.h"

/* 2 sockets, 4 NUMA nodes of 16 GiB, 64 CPUs. */
static const char kDefaultMachine[] = "pack:2 numa:2(memory=16GiB) core:8 pu:2";

static const char kDefaultConfig[] =
    "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0-1\","
    " \"topologyManagerPolicy\": \"restricted\", \"topologyManagerScope\": \"pod\","
    " \"memoryManagerPolicy\": \"Static\", \"reservedMemory\": ["
    "  {\"numaNode\": 0, \"limits\": {\"memory\": \"1Gi\"}},"
    "  {\"numaNode\": 1, \"limits\": {\"memory\": \"1Gi\"}},"
    "  {\"numaNode\": 2, \"limits\": {\"memory\": \"1Gi\"}},"
    "  {\"numaNode\": 3, \"limits\": {\"memory\": \"1Gi\"}}],"
    " \"featureGates\": {\"PodLevelResources\": true, \"PodLevelResourceManagers\": true}}";

/* A Burstable pod requesting 40 CPUs and 1Gi. */
static const char* burstable_40(const char* uid) {
  static char pod[512];
  snprintf(pod, sizeof pod,
           "{\"metadata\": {\"name\": \"%s\", \"namespace\": \"default\", \"uid\": \"%s\"},"
           " \"spec\": {\"containers\": [{\"name\": \"app\", \"resources\": {"
           "\"requests\": {\"cpu\": \"40\", \"memory\": \"1Gi\"}}}]}}",
           uid, uid);
  return pod;
}

static void test_second_40_cpu_pod(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;

  CHECK_OK(podalloc_node_create(&node, t, TEXT(kDefaultConfig), NULL));
  CHECK_OK(podalloc_node_admit_and_commit(&json, node, TEXT(burstable_40("big-1")), NULL));
  CHECK(json.data != NULL && strstr(json.data, "\"admitted\":true") != NULL);
  podalloc_buffer_free(&json);

  before = c_test_state_of(node);
  CHECK_OK(podalloc_node_admit_and_commit(&json, node, TEXT(burstable_40("big-2")), NULL));
  CHECK(json.data != NULL && strstr(json.data, "\"admitted\":false") != NULL);
  CHECK(json.data != NULL && strstr(json.data, "\"reason\":\"OutOfcpu\"") != NULL);
  CHECK(json.data != NULL &&
        strstr(json.data,
               "\"message\":\"Node didn't have enough resource: cpu, requested: 40000, used: "
               "40000, capacity: 62000\"") != NULL);
  CHECK(json.data != NULL &&
        strstr(json.data, "\"insufficient_resources\":[{\"resource\":\"cpu\",\"requested\":40000,"
                          "\"used\":40000,\"capacity\":62000,\"short_by\":18000,"
                          "\"unresolvable\":false}]") != NULL);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&json);
  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);
}

static void test_reserved_cpus_from_reservations(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_buffer state = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  static const char kReservations[] =
      "{\"cpuManagerPolicy\": \"static\", \"kubeReserved\": {\"cpu\": \"1\"},"
      " \"systemReserved\": {\"cpu\": \"500m\"},"
      " \"cpuManagerPolicyOptions\": {\"strict-cpu-reservation\": \"true\"}}";
  static int storage;
  podalloc_node* kept = (podalloc_node*)(void*)&storage;

  /* ceil(1.5) = 2 CPUs, one core (CPUs 0 and 1 here); strict reservation keeps them out of
   * the shared pool. */
  CHECK_OK(podalloc_node_create(&node, t, TEXT(kReservations), NULL));
  state = c_test_state_of(node);
  CHECK(state.data != NULL && strstr(state.data, "\"defaultCpuSet\":\"2-63\"") != NULL);
  podalloc_buffer_free(&state);
  podalloc_node_destroy(node);

  /* No cpu reservation at all: the kubelet's error, nothing created. */
  CHECK_STATUS(podalloc_node_create(&kept, t, TEXT("{\"cpuManagerPolicy\": \"static\"}"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_error_message(err),
            "[cpumanager] unable to determine reserved CPU resources for static policy");
  CHECK(kept == (podalloc_node*)(void*)&storage);
  podalloc_error_free(err);
}

void test_resource_fit(void) {
  podalloc_topology* t = NULL;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT(kDefaultMachine), NULL));
  test_second_40_cpu_pod(t);
  test_reserved_cpus_from_reservations(t);
  podalloc_topology_destroy(t);
}
