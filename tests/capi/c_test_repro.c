/* File: tests/capi/c_test_repro.c
 * The reproducers of tests/data/repro (README items 4, 6, 7, 8 and 14) through the C ABI, as
 * a C caller meets them: a checkpoint naming a pod it was not given, two containers holding
 * one CPU, a node that must restore its own checkpoint (strict-cpu-reservation, removed
 * containers), a CPU request sum past int64 and a machine whose memory does not fit a
 * quantity. */
#include <stdint.h>
#include <stdlib.h>

#include "c_test.h"

/* The "data" checksum of a current cpu_manager_state: FNV-1a (32 bit) of the string as Go's
 * spew prints it, "(string)" and the raw text. */
static uint32_t fnv(const char* s, size_t n, uint32_t h) {
  size_t i;
  for (i = 0; i < n; ++i) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

/* A cpu_manager_state V4 file holding `data` (raw JSON text, no backslashes) with a valid
 * checksum, in `out`. */
static void cpu_file(char* out, size_t size, const char* data) {
  char escaped[2048];
  size_t n = 0;
  const char* p;
  for (p = data; *p != '\0' && n + 2 < sizeof escaped; ++p) {
    if (*p == '"') escaped[n++] = '\\';
    escaped[n++] = *p;
  }
  escaped[n] = '\0';
  snprintf(out, size,
           "{\"policyName\":\"static\",\"checksum\":0,\"data\":\"%s\",\"dataChecksum\":%u}",
           escaped, fnv(data, strlen(data), fnv("(string)", 8, 2166136261u)));
}

/* The state JSON without its leading "version" member: two nodes holding the same state may
 * have reached it in a different number of steps. */
static const char* after_version(const podalloc_buffer* state) {
  const char* comma = strchr(state->data, ',');
  return comma != NULL ? comma : "";
}

static podalloc_node* make_node(const podalloc_topology* t, const char* config) {
  podalloc_node* node = NULL;
  CHECK_OK(podalloc_node_create(&node, t, TEXT(config), NULL));
  return node;
}

/* Item 6: a checksum-valid cpu_manager_state whose podEntries name a pod absent from the pod
 * list (c/podentries_unlisted.c), and one whose entries give CPU 21 to two pods. */
static void test_unlisted_and_shared(void) {
  const char* cfg =
      "{\"cpuManagerPolicy\":\"static\",\"reservedSystemCPUs\":\"0\",\"topologyManagerPolicy\":"
      "\"single-numa-node\",\"topologyManagerScope\":\"pod\",\"featureGates\":"
      "{\"PodLevelResourceManagers\":true}}";
  const char* pod =
      "{\"metadata\":{\"name\":\"p\",\"uid\":\"p\"},\"spec\":{\"resources\":{\"limits\":{\"cpu\":"
      "\"3\",\"memory\":\"1Gi\"}},\"containers\":[{\"name\":\"c\"}]}}";
  podalloc_topology* t = NULL;
  podalloc_node* node;
  podalloc_node* fresh;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_buffer before;
  podalloc_error* err = NULL;
  char data[1024], file[4096], pods[1024];

  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT("pack:1 numa:2 core:4 pu:2"), NULL));
  node = make_node(t, cfg);
  CHECK_OK(podalloc_node_admit_and_commit(&out, node, TEXT(pod), NULL));
  podalloc_buffer_free(&out);
  CHECK_OK(podalloc_node_state(&out, node, NULL));
  /* The pod holds one NUMA node's three free CPUs as its pod-level set. */
  CHECK(strstr(out.data, "\"podEntries\":{\"p\":{\"cpuSet\":\"1-3\"}}") != NULL);
  podalloc_buffer_free(&out);

  snprintf(data, sizeof data,
           "{\"policyName\":\"static\",\"defaultCpuSet\":\"0,4-15\",\"entries\":{\"p\":{\"c\":"
           "\"1-3\"}},\"podEntries\":{\"ghost\":{\"cpuSet\":\"1-3\"}}}");
  cpu_file(file, sizeof file, data);
  snprintf(pods, sizeof pods, "[%s]", pod);
  fresh = make_node(t, cfg);
  before = c_test_state_of(fresh);
  CHECK_STATUS(podalloc_node_checkpoint_restore(fresh, TEXT(file), NULL, 0, TEXT(pods), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "\"ghost\" (podEntries), which is not listed") != NULL);
  podalloc_error_free(err);
  err = NULL;
  CHECK(c_test_same_state(&before, fresh));
  CHECK_STATUS(podalloc_node_remove_pod(fresh, TEXT("p"), NULL), PODALLOC_NOT_FOUND);
  podalloc_buffer_free(&before);
  podalloc_node_destroy(fresh);
  podalloc_node_destroy(node);
  podalloc_topology_destroy(t);

  /* Two Guaranteed pods whose entries both hold CPU 21; the file adds up to the machine. */
  t = NULL;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT("pack:1 numa:2 core:8 pu:2"), NULL));
  fresh = make_node(t, "{\"cpuManagerPolicy\":\"static\",\"reservedSystemCPUs\":\"0\"}");
  snprintf(data, sizeof data,
           "{\"policyName\":\"static\",\"defaultCpuSet\":\"0-20,23-31\",\"entries\":{\"a\":{\"c\":"
           "\"21-22\"},\"b\":{\"c\":\"21\"}}}");
  cpu_file(file, sizeof file, data);
  snprintf(pods, sizeof pods,
           "[{\"metadata\":{\"uid\":\"a\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":"
           "{\"limits\":{\"cpu\":\"2\",\"memory\":\"1Gi\"}}}]}},{\"metadata\":{\"uid\":\"b\"},"
           "\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"cpu\":\"1\","
           "\"memory\":\"1Gi\"}}}]}}]");
  before = c_test_state_of(fresh);
  CHECK_STATUS(podalloc_node_checkpoint_restore(fresh, TEXT(file), NULL, 0, TEXT(pods), &err),
               PODALLOC_FAILED_PRECONDITION);
  CHECK(strstr(podalloc_error_message(err),
               "CPU 21 is held by pod \"a\" container \"c\" and by pod \"b\" container \"c\"") !=
        NULL);
  podalloc_error_free(err);
  err = NULL;
  CHECK(c_test_same_state(&before, fresh));
  podalloc_buffer_free(&before);
  podalloc_node_destroy(fresh);
  podalloc_topology_destroy(t);
}

/* Saves both checkpoints of `node` and restores them into a fresh node of `config` with
 * `pods`; the two state JSONs must be the same but for their versions. */
static void check_round_trip(const podalloc_topology* t, const char* config,
                             const podalloc_node* node, const char* pods) {
  podalloc_buffer cpu = PODALLOC_BUFFER_INIT, memory = PODALLOC_BUFFER_INIT;
  podalloc_buffer saved, restored;
  podalloc_node* fresh = make_node(t, config);
  CHECK_OK(podalloc_node_checkpoint_save(&cpu, node, PODALLOC_CHECKPOINT_CPU_MANAGER, NULL));
  CHECK_OK(podalloc_node_checkpoint_save(&memory, node, PODALLOC_CHECKPOINT_MEMORY_MANAGER, NULL));
  CHECK_OK(podalloc_node_checkpoint_restore(fresh, cpu.data, cpu.size, memory.data, memory.size,
                                            TEXT(pods), NULL));
  saved = c_test_state_of(node);
  restored = c_test_state_of(fresh);
  CHECK_STR(after_version(&restored), after_version(&saved));
  podalloc_buffer_free(&saved);
  podalloc_buffer_free(&restored);
  podalloc_buffer_free(&cpu);
  podalloc_buffer_free(&memory);
  podalloc_node_destroy(fresh);
}

/* Pod "two": container c holds two exclusive CPUs, d runs in the shared pool. */
#define TWO_SPEC                                                                       \
  "\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"cpu\":\"2\"," \
  "\"memory\":\"1Gi\"}}},{\"name\":\"d\",\"resources\":{\"limits\":{\"cpu\":\"500m\","  \
  "\"memory\":\"64Mi\"}}}]}"

/* Items 7 and 8: a node restores its own checkpoint, with strict-cpu-reservation on a 4-CPU
 * machine (CPU 0 reserved) and after a container was removed. */
static void test_own_checkpoint(void) {
  podalloc_topology* t = NULL;
  podalloc_node* node;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  size_t size = 0;
  char* config = c_test_read_file(
      c_test_shared_path("repro/node_config-strict-cpu-reservation-restore-fails.json"), &size);
  const char* three =
      "{\"metadata\":{\"uid\":\"three\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":"
      "{\"limits\":{\"cpu\":\"3\",\"memory\":\"1Gi\"}}}]}}";
  const char* two = "{\"metadata\":{\"uid\":\"two\"}," TWO_SPEC "}";
  const char* two_list = "[{\"metadata\":{\"uid\":\"two\"}," TWO_SPEC "}]";
  const char* two_list_d_removed =
      "[{\"metadata\":{\"uid\":\"two\",\"annotations\":"
      "{\"podalloc.dev/removed-containers\":\"d\"}}," TWO_SPEC "}]";
  CHECK(config != NULL);
  if (config == NULL) return;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT("pack:1 numa:1(memory=4GB) core:2 pu:2"),
                                            NULL));
  node = make_node(t, config);

  /* Three CPUs would leave the shared pool empty: refused, as the admission of a pod. */
  CHECK_OK(podalloc_node_admit_and_commit(&out, node, TEXT(three), NULL));
  CHECK(strstr(out.data, "\"admitted\":false") != NULL);
  CHECK(strstr(out.data, "would leave the shared pool empty") != NULL);
  podalloc_buffer_free(&out);
  CHECK_OK(podalloc_node_admit_and_commit(&out, node, TEXT(two), NULL));
  CHECK(strstr(out.data, "\"admitted\":true") != NULL);
  podalloc_buffer_free(&out);
  check_round_trip(t, config, node, two_list);

  /* A removed container stays removed once its pod says so. */
  CHECK_OK(podalloc_node_remove_container(node, TEXT("two"), TEXT("d"), NULL));
  check_round_trip(t, config, node, two_list_d_removed);
  podalloc_node_destroy(node);
  podalloc_topology_destroy(t);
  free(config);
}

/* Item 4 (c/cpu_sum_overflow.c): a Burstable pod requesting 9223372036854775807m CPU beside
 * another. Admission refuses it now (OutOfcpu, as the kubelet's resource fit); a node
 * restored with it running adds the requests up without wrapping: the sum saturates, so a
 * further Burstable pod is refused too (a wrapped sum would be negative, and C++ signed
 * overflow undefined), until the huge pod is removed. The
 * Burstable tier's weight on such sums is checked in tests/unit/cgroup_values. */
static void test_cpu_sum_overflow(void) {
  podalloc_topology* t = NULL;
  podalloc_node* node;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  const char* b = "{\"metadata\":{\"uid\":\"b\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                  "\"resources\":{\"requests\":{\"cpu\":\"9223372036854775807m\"}}}]}}";
  const char* running =
      "[{\"metadata\":{\"uid\":\"a\"},\"spec\":{\"containers\":[{\"name\":\"c\","
      "\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]}},"
      "{\"metadata\":{\"uid\":\"b\"},\"spec\":{\"containers\":[{\"name\":\"c\","
      "\"resources\":{\"requests\":{\"cpu\":\"9223372036854775807m\"}}}]}}]";
  const char* c = "{\"metadata\":{\"uid\":\"c\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                  "\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]}}";
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT("pack:1 numa:1 core:2 pu:2"), NULL));
  node = make_node(t, "");
  CHECK_OK(podalloc_node_admit_and_commit(&out, node, TEXT(b), NULL));
  CHECK(strstr(out.data, "\"admitted\":false") != NULL);
  CHECK(strstr(out.data, "OutOfcpu") != NULL);
  podalloc_buffer_free(&out);
  CHECK_OK(podalloc_node_checkpoint_restore(node, "", 0, "", 0, TEXT(running), NULL));
  CHECK_OK(podalloc_node_admit_and_commit(&out, node, TEXT(c), NULL));
  CHECK(strstr(out.data, "\"admitted\":false") != NULL);
  CHECK(strstr(out.data, "used: 9223372036854775807, capacity: 4000") != NULL);
  podalloc_buffer_free(&out);
  /* Once the huge pod is gone, the saturated sum is worked out again from the pods left. */
  CHECK_OK(podalloc_node_remove_pod(node, TEXT("b"), NULL));
  CHECK_OK(podalloc_node_admit_and_commit(&out, node, TEXT(c), NULL));
  CHECK(strstr(out.data, "\"admitted\":true") != NULL);
  podalloc_buffer_free(&out);
  podalloc_node_destroy(node);
  podalloc_topology_destroy(t);
}

/* Item 14: four NUMA nodes of 2^64-1 bytes; the machine's memory does not fit a quantity. */
static void test_memory_overflow(void) {
  podalloc_topology* t = NULL;
  podalloc_error* err = NULL;
  const char* json =
      "{\"schema\":\"podalloc.topology/v1\",\"cpus\":[{\"id\":0,\"core\":0,\"socket\":0,"
      "\"numa\":0}],\"numa_nodes\":[{\"id\":0,\"memory_bytes\":18446744073709551615},{\"id\":1,"
      "\"memory_bytes\":18446744073709551615},{\"id\":2,\"memory_bytes\":18446744073709551615},"
      "{\"id\":3,\"memory_bytes\":18446744073709551615}]}";
  CHECK_STATUS(podalloc_topology_from_json(&t, TEXT(json), &err), PODALLOC_INVALID_ARGUMENT);
  CHECK(t == NULL);
  CHECK(strstr(podalloc_error_message(err), "NUMA node 0") != NULL);
  CHECK(strstr(podalloc_error_message(err), "9223372036854775807 bytes") != NULL);
  podalloc_error_free(err);
}

void test_repro(void) {
  test_unlisted_and_shared();
  test_own_checkpoint();
  test_cpu_sum_overflow();
  test_memory_overflow();
}
