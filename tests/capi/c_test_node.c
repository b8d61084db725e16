/* File: tests/capi/c_test_node.c
 * Node handles through the C ABI: creation, admission as a decision handle and as JSON,
 * commit, removal, checkpoints out and back in, metrics and state, and that every failed call
 * leaves the node's state byte for byte as it was. */
#include <stdlib.h>

#include "c_test.h"

/* 1 socket, 2 NUMA nodes, 8 cores, 16 CPUs (core c holds CPUs 2c and 2c+1). */
static const char kMachine[] = "pack:1 numa:2 core:4 pu:2";

static const char kPodScopeConfig[] =
    "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\","
    " \"topologyManagerPolicy\": \"single-numa-node\", \"topologyManagerScope\": \"pod\","
    " \"featureGates\": {\"PodLevelResourceManagers\": true}}";

static const char kContainerScopeConfig[] =
    "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\","
    " \"topologyManagerPolicy\": \"best-effort\"}";

/* A Guaranteed pod with one container of `cpus` whole CPUs. */
static const char* guaranteed_pod(const char* uid, int cpus) {
  static char pod[512];
  snprintf(pod, sizeof pod,
           "{\"metadata\": {\"name\": \"%s\", \"namespace\": \"default\", \"uid\": \"%s\"},"
           " \"spec\": {\"containers\": [{\"name\": \"app\", \"resources\": {"
           "\"limits\": {\"cpu\": \"%d\", \"memory\": \"1Gi\"}}}]}}",
           uid, uid, cpus);
  return pod;
}

podalloc_buffer c_test_state_of(const podalloc_node* node) {
  podalloc_buffer state = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_node_state(&state, node, NULL));
  return state;
}

int c_test_same_state(const podalloc_buffer* before, const podalloc_node* node) {
  podalloc_buffer now = c_test_state_of(node);
  int same = now.size == before->size && memcmp(now.data, before->data, now.size) == 0;
  podalloc_buffer_free(&now);
  return same;
}

static void test_create(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_error* err = NULL;
  static int storage;
  podalloc_node* kept = (podalloc_node*)(void*)&storage;

  /* No configuration: the kubelet's defaults. */
  CHECK_OK(podalloc_node_create(&node, t, NULL, 0, NULL));
  CHECK(podalloc_node_version(node) == 0);
  podalloc_node_destroy(node);
  node = NULL;
  CHECK_OK(podalloc_node_create(&node, t, TEXT(kContainerScopeConfig), NULL));
  podalloc_node_destroy(node);
  podalloc_node_destroy(NULL);
  CHECK(podalloc_node_version(NULL) == 0);

  /* Bad arguments and bad configurations: nothing created. */
  CHECK_STATUS(podalloc_node_create(NULL, t, TEXT("{}"), NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_create(&kept, NULL, TEXT("{}"), NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_create(&kept, t, TEXT("{\"cpuManagerPolicy\": "), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_create(&kept, t, TEXT("{\"cpuManagerPolicy\": \"dynamic\"}"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "cpuManagerPolicy") != NULL);
  podalloc_error_free(err);
  err = NULL;
  CHECK_STATUS(podalloc_node_create(&kept, t, TEXT("{\"noSuchSetting\": 1}"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "noSuchSetting") != NULL);
  podalloc_error_free(err);
  CHECK_STATUS(podalloc_node_create(&kept, t, NULL, 2, NULL), PODALLOC_INVALID_ARGUMENT);
  /* The static policy with a reserved CPU the machine does not have. */
  CHECK(podalloc_node_create(&kept, t,
                             TEXT("{\"cpuManagerPolicy\": \"static\","
                                  " \"reservedSystemCPUs\": \"99\"}"),
                             NULL) != PODALLOC_OK);
  CHECK(kept == (podalloc_node*)(void*)&storage);
}

static void test_admit_commit(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_node* other = NULL;
  podalloc_decision* decision = NULL;
  podalloc_decision* stale = NULL;
  podalloc_decision* kept = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;

  CHECK_OK(podalloc_node_create(&node, t, TEXT(kContainerScopeConfig), NULL));
  CHECK_OK(podalloc_node_create(&other, t, TEXT(kContainerScopeConfig), NULL));

  /* Admit plans only: the node does not change until the commit. */
  before = c_test_state_of(node);
  CHECK_OK(podalloc_node_admit(&decision, node, TEXT(guaranteed_pod("a", 2)), NULL));
  CHECK(podalloc_decision_admitted(decision) == 1);
  CHECK(c_test_same_state(&before, node));
  CHECK(podalloc_node_version(node) == 0);
  CHECK_OK(podalloc_decision_to_json(&json, decision, NULL));
  CHECK(strstr(json.data, "\"admitted\":true") != NULL);
  CHECK(strstr(json.data, "\"exclusive_cpus\":true") != NULL);
  podalloc_buffer_free(&json);

  /* A decision is committed only by the node that made it, and only once. */
  CHECK_STATUS(podalloc_node_commit(other, decision, &err), PODALLOC_INVALID_ARGUMENT);
  CHECK(podalloc_error_code(err) == PODALLOC_INVALID_ARGUMENT);
  podalloc_error_free(err);
  CHECK_OK(podalloc_node_admit(&stale, node, TEXT(guaranteed_pod("b", 2)), NULL));
  CHECK_OK(podalloc_node_commit(node, decision, NULL));
  CHECK(podalloc_node_version(node) == 1);
  podalloc_buffer_free(&before);
  before = c_test_state_of(node);
  CHECK(strstr(before.data, "\"uid\":\"a\"") != NULL);
  CHECK_STATUS(podalloc_node_commit(node, decision, NULL), PODALLOC_FAILED_PRECONDITION);
  CHECK_STATUS(podalloc_node_commit(node, stale, NULL), PODALLOC_FAILED_PRECONDITION);
  CHECK(c_test_same_state(&before, node));

  /* Bad arguments: no decision, no change. */
  kept = (podalloc_decision*)(void*)&json;
  CHECK_STATUS(podalloc_node_admit(&kept, node, TEXT("{\"spec\": "), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_admit(&kept, node, TEXT("{\"spec\": {\"containers\": 7}}"), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_admit(&kept, node, TEXT(guaranteed_pod("a", 2)), NULL),
               PODALLOC_ALREADY_EXISTS);
  CHECK_STATUS(podalloc_node_admit(&kept, NULL, TEXT(guaranteed_pod("c", 2)), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_admit(NULL, node, TEXT(guaranteed_pod("c", 2)), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_admit(&kept, node, NULL, 4, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(kept == (podalloc_decision*)(void*)&json);
  CHECK_STATUS(podalloc_node_commit(NULL, decision, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_commit(node, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_decision_to_json(NULL, decision, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_decision_to_json(&json, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(json.data == NULL);
  CHECK(c_test_same_state(&before, node));

  /* Admit and commit in one call, JSON out. */
  CHECK_OK(podalloc_node_admit_and_commit(&json, node, TEXT(guaranteed_pod("c", 4)), NULL));
  CHECK(strstr(json.data, "\"uid\":\"c\"") != NULL && strstr(json.data, "\"admitted\":true"));
  podalloc_buffer_free(&json);
  CHECK(podalloc_node_version(node) == 2);
  podalloc_buffer_free(&before);
  before = c_test_state_of(node);
  CHECK_STATUS(podalloc_node_admit_and_commit(&json, node, TEXT(guaranteed_pod("c", 4)), NULL),
               PODALLOC_ALREADY_EXISTS);
  CHECK_STATUS(podalloc_node_admit_and_commit(&json, node, TEXT("[]"), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_admit_and_commit(NULL, node, TEXT(guaranteed_pod("d", 1)), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(json.data == NULL);
  CHECK(c_test_same_state(&before, node));

  /* Removal: unknown pods and containers change nothing. */
  CHECK_STATUS(podalloc_node_remove_container(node, TEXT("a"), TEXT("nope"), NULL),
               PODALLOC_NOT_FOUND);
  CHECK_STATUS(podalloc_node_remove_pod(node, TEXT("nope"), NULL), PODALLOC_NOT_FOUND);
  CHECK_STATUS(podalloc_node_remove_pod(NULL, TEXT("a"), NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_remove_pod(node, NULL, 1, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_remove_container(node, TEXT("a"), NULL, 3, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(c_test_same_state(&before, node));
  CHECK_OK(podalloc_node_remove_container(node, TEXT("a"), TEXT("app"), NULL));
  CHECK_OK(podalloc_node_remove_pod(node, TEXT("c"), NULL));
  podalloc_buffer_free(&before);
  before = c_test_state_of(node);
  CHECK(strstr(before.data, "\"uid\":\"c\"") == NULL);

  /* Metrics count what happened. */
  CHECK_OK(podalloc_node_metrics(&json, node, NULL));
  CHECK(strstr(json.data, "cpu_manager_pinning_requests_total") != NULL);
  podalloc_buffer_free(&json);
  CHECK_STATUS(podalloc_node_metrics(NULL, node, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_metrics(&json, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_state(NULL, node, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_state(&json, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(json.data == NULL);

  /* A decision outlives its node but is never committed to another one, even a node that
   * takes the freed node's place. */
  podalloc_decision_destroy(stale);
  stale = NULL;
  podalloc_node_destroy(other);
  other = NULL;
  CHECK_OK(podalloc_node_create(&other, t, TEXT(kContainerScopeConfig), NULL));
  CHECK_OK(podalloc_node_admit(&stale, other, TEXT(guaranteed_pod("e", 1)), NULL));
  podalloc_node_destroy(other);
  other = NULL;
  CHECK(podalloc_decision_admitted(stale) == 1);
  CHECK_OK(podalloc_node_create(&other, t, TEXT(kContainerScopeConfig), NULL));
  CHECK_STATUS(podalloc_node_commit(other, stale, NULL), PODALLOC_INVALID_ARGUMENT);

  podalloc_buffer_free(&before);
  podalloc_decision_destroy(decision);
  podalloc_decision_destroy(stale);
  podalloc_decision_destroy(NULL);
  CHECK(podalloc_decision_admitted(NULL) == 0);
  podalloc_node_destroy(other);
  podalloc_node_destroy(node);
}

/* KEP-5526: scope pod, a 5-CPU budget with containers of 3 and 2 CPUs leaves the pod shared
 * pool empty for the third: the pod is refused, and that is a decision, not an error. */
static void test_refusal(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_decision* decision = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;
  static const char kPod[] =
      "{\"metadata\": {\"name\": \"p\", \"uid\": \"p\"}, \"spec\": {"
      " \"resources\": {\"requests\": {\"cpu\": \"5\", \"memory\": \"5Gi\"},"
      "                \"limits\": {\"cpu\": \"5\", \"memory\": \"5Gi\"}},"
      " \"containers\": ["
      "  {\"name\": \"c1\", \"resources\": {\"limits\": {\"cpu\": \"3\", \"memory\": \"1Gi\"}}},"
      "  {\"name\": \"c2\", \"resources\": {\"limits\": {\"cpu\": \"2\", \"memory\": \"1Gi\"}}},"
      "  {\"name\": \"c3\"}]}}";

  CHECK_OK(podalloc_node_create(&node, t, TEXT(kPodScopeConfig), NULL));
  before = c_test_state_of(node);
  CHECK_OK(podalloc_node_admit(&decision, node, TEXT(kPod), NULL));
  CHECK(podalloc_decision_admitted(decision) == 0);
  CHECK_OK(podalloc_decision_to_json(&json, decision, NULL));
  CHECK(strstr(json.data, "\"admitted\":false") != NULL);
  podalloc_buffer_free(&json);
  /* Committing a refusal only counts it: the state stays as it was. */
  CHECK_OK(podalloc_node_commit(node, decision, NULL));
  CHECK(c_test_same_state(&before, node));
  CHECK(strstr(before.data, "\"pods\":[]") != NULL);
  CHECK_OK(podalloc_node_metrics(&json, node, NULL));
  CHECK(strstr(json.data, "topology_manager_admission_requests_total") != NULL);
  podalloc_buffer_free(&json);
  podalloc_buffer_free(&before);
  podalloc_decision_destroy(decision);
  podalloc_node_destroy(node);
}

static void test_checkpoints(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_node* restored = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer cpu = PODALLOC_BUFFER_INIT;
  podalloc_buffer memory = PODALLOC_BUFFER_INIT;
  podalloc_buffer state = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;
  podalloc_buffer after = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  char pods[1200];
  char* corrupt;
  char* digit;

  CHECK_OK(podalloc_node_create(&node, t, TEXT(kContainerScopeConfig), NULL));
  CHECK_OK(podalloc_node_admit_and_commit(&json, node, TEXT(guaranteed_pod("a", 2)), NULL));
  podalloc_buffer_free(&json);
  CHECK_OK(podalloc_node_admit_and_commit(&json, node, TEXT(guaranteed_pod("b", 3)), NULL));
  podalloc_buffer_free(&json);

  CHECK_OK(podalloc_node_checkpoint_save(&cpu, node, PODALLOC_CHECKPOINT_CPU_MANAGER, NULL));
  CHECK(strstr(cpu.data, "\"policyName\":\"static\"") != NULL);
  CHECK(strstr(cpu.data, "\"checksum\"") != NULL);
  CHECK_OK(podalloc_node_checkpoint_save(&memory, node, PODALLOC_CHECKPOINT_MEMORY_MANAGER, NULL));
  CHECK(strstr(memory.data, "\"policyName\":\"None\"") != NULL);
  CHECK_STATUS(podalloc_node_checkpoint_save(&json, node, 3, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_checkpoint_save(NULL, node, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_checkpoint_save(&json, NULL, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(json.data == NULL);

  /* A second node restored from the files and the pods has the same state. */
  snprintf(pods, sizeof pods, "[%s,", guaranteed_pod("a", 2));
  snprintf(pods + strlen(pods), sizeof pods - strlen(pods), "%s]", guaranteed_pod("b", 3));
  CHECK_OK(podalloc_node_create(&restored, t, TEXT(kContainerScopeConfig), NULL));
  CHECK_OK(podalloc_node_checkpoint_restore(restored, cpu.data, cpu.size, memory.data,
                                            memory.size, TEXT(pods), NULL));
  state = c_test_state_of(node);
  after = c_test_state_of(restored);
  /* Equal but for the version counters. */
  CHECK(strcmp(strchr(state.data, ','), strchr(after.data, ',')) == 0);
  podalloc_buffer_free(&after);

  /* Restores that must fail leave the restored node exactly as it was. */
  before = c_test_state_of(restored);
  corrupt = (char*)malloc(cpu.size + 1);
  memcpy(corrupt, cpu.data, cpu.size + 1);
  digit = strstr(corrupt, "\"dataChecksum\":") + strlen("\"dataChecksum\":");
  *digit = *digit == '1' ? '2' : '1';
  CHECK_STATUS(podalloc_node_checkpoint_restore(restored, corrupt, cpu.size, NULL, 0, TEXT(pods),
                                                &err),
               PODALLOC_DATA_LOSS);
  podalloc_error_free(err);
  err = NULL;
  free(corrupt);
  /* The checkpoint names pods that are not listed. */
  CHECK_STATUS(podalloc_node_checkpoint_restore(restored, cpu.data, cpu.size, NULL, 0,
                                                TEXT("[]"), &err),
               PODALLOC_INVALID_ARGUMENT);
  podalloc_error_free(err);
  err = NULL;
  CHECK_STATUS(podalloc_node_checkpoint_restore(restored, TEXT("{"), NULL, 0, NULL, 0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_checkpoint_restore(restored, NULL, 0, TEXT("{\"policyName\": 3}"),
                                                NULL, 0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_checkpoint_restore(restored, NULL, 0, NULL, 0, TEXT("{\"items\": 1}"),
                                                NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_checkpoint_restore(restored, NULL, 0, NULL, 0, TEXT("[{\"spec\": 1}]"),
                                                NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_checkpoint_restore(NULL, NULL, 0, NULL, 0, NULL, 0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(c_test_same_state(&before, restored));

  /* Empty files and no pods: a fresh state. */
  CHECK_OK(podalloc_node_checkpoint_restore(restored, NULL, 0, NULL, 0, NULL, 0, NULL));
  after = c_test_state_of(restored);
  CHECK(strstr(after.data, "\"pods\":[]") != NULL);
  CHECK(strstr(after.data, "\"defaultCpuSet\":\"0-15\"") != NULL);

  podalloc_buffer_free(&before);
  podalloc_buffer_free(&after);
  podalloc_buffer_free(&state);
  podalloc_buffer_free(&cpu);
  podalloc_buffer_free(&memory);
  podalloc_node_destroy(restored);
  podalloc_node_destroy(node);
}

void test_node(void) {
  podalloc_topology* t = NULL;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT(kMachine), NULL));
  test_create(t);
  test_admit_commit(t);
  test_refusal(t);
  test_checkpoints(t);
  podalloc_topology_destroy(t);
}
