/* File: tests/capi/c_test_typed.c
 * Typed pods and typed decision reading through the C ABI: a pod built from C structs is
 * admitted and committed, its placement read back as masks; every kind of bad typed input
 * (NULLs, struct sizes, unknown kinds and flags, negative quantities, bad names) is refused
 * with the field named and the node left as it was. */
#include <stdint.h>
#include <stdlib.h>

#include "c_test.h"

/* 1 socket, 2 NUMA nodes, 8 cores, 16 CPUs (core c holds CPUs 2c and 2c+1). */
static const char kMachine[] = "pack:1 numa:2(memory=8GiB) core:4 pu:2";
static const char kConfig[] =
    "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\","
    " \"topologyManagerPolicy\": \"best-effort\"}";

static podalloc_text text_of(const char* s) {
  podalloc_text t;
  t.data = s;
  t.size = strlen(s);
  return t;
}

/* A Guaranteed pod of three containers: a sidecar (500m), a 2-CPU app container, and a
 * 100m app container with a GPU (limits only: the typed path defaults the requests). */
typedef struct typed_pod {
  podalloc_pod pod;
  podalloc_container containers[3];
  podalloc_named_quantity gpu;
} typed_pod;

static void make_pod(typed_pod* p, const char* uid) {
  podalloc_pod pod = PODALLOC_POD_INIT;
  podalloc_container c = PODALLOC_CONTAINER_INIT;
  p->pod = pod;
  p->pod.name = text_of(uid);
  p->pod.namespace_name = text_of("default");
  p->pod.uid = text_of(uid);

  p->containers[0] = c;
  p->containers[0].kind = PODALLOC_CONTAINER_KIND_SIDECAR;
  p->containers[0].name = text_of("proxy");
  p->containers[0].limits.present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
  p->containers[0].limits.cpu_milli = 500;
  p->containers[0].limits.memory_bytes = 64 << 20;

  p->containers[1] = c;
  p->containers[1].name = text_of("app");
  p->containers[1].limits.present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
  p->containers[1].limits.cpu_milli = 2000;
  p->containers[1].limits.memory_bytes = (int64_t)1 << 30;

  p->gpu.name = text_of("example.com/gpu");
  p->gpu.value = 1;
  p->containers[2] = c;
  p->containers[2].name = text_of("helper");
  p->containers[2].limits.present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
  p->containers[2].limits.cpu_milli = 100;
  p->containers[2].limits.memory_bytes = 64 << 20;
  p->containers[2].limits.other = &p->gpu;
  p->containers[2].limits.other_count = 1;

  p->pod.containers = p->containers;
  p->pod.container_count = 3;
}

/* Admitting `p` fails with INVALID_ARGUMENT and the message starts with `field`. */
static void check_refused(const podalloc_node* node, const typed_pod* p, const char* field,
                          int line) {
  podalloc_decision* d = NULL;
  podalloc_error* err = NULL;
  podalloc_status s = podalloc_node_admit_typed(&d, node, &p->pod, &err);
  ++c_test_checks;
  if (s != PODALLOC_INVALID_ARGUMENT || d != NULL ||
      strncmp(podalloc_error_message(err), field, strlen(field)) != 0) {
    ++c_test_failures;
    fprintf(stderr, "%s:%d: expected INVALID_ARGUMENT at %s, got %s: %s\n", __FILE__, line,
            field, podalloc_status_name(s), podalloc_error_message(err));
  }
  podalloc_error_free(err);
  podalloc_decision_destroy(d);
}
#define CHECK_REFUSED(node, p, field) check_refused(node, p, field, __LINE__)

static void test_admit_and_read(podalloc_node* node, size_t words) {
  typed_pod p;
  podalloc_decision* d = NULL;
  podalloc_container_placement placement = PODALLOC_CONTAINER_PLACEMENT_INIT;
  podalloc_text reason, message;
  uint64_t mask[64];
  uint64_t tiny[1];
  char cpus[64];
  size_t needed = 0;

  make_pod(&p, "typed-1");
  CHECK_OK(podalloc_node_admit_typed(&d, node, &p.pod, NULL));
  CHECK(podalloc_decision_admitted(d) == 1);
  CHECK(podalloc_decision_qos(d) == PODALLOC_QOS_GUARANTEED);
  reason = text_of("unset");
  podalloc_decision_reason(d, &reason, &message);
  CHECK(reason.data == NULL && reason.size == 0 && message.size == 0);
  CHECK(podalloc_decision_container_count(d) == 3);

  CHECK_OK(podalloc_decision_container(&placement, d, 0, NULL));
  CHECK(placement.kind == PODALLOC_CONTAINER_KIND_SIDECAR);
  CHECK(placement.name.size == 5 && memcmp(placement.name.data, "proxy", 5) == 0);
  CHECK(placement.isolation == PODALLOC_ISOLATION_HOST);
  CHECK(placement.cpu_count == 14); /* the shared pool once app holds 2 */
  CHECK_OK(podalloc_decision_container(&placement, d, 1, NULL));
  CHECK(placement.kind == PODALLOC_CONTAINER_KIND_APP);
  CHECK((placement.flags & PODALLOC_PLACEMENT_EXCLUSIVE_CPUS) != 0);
  CHECK(placement.isolation == PODALLOC_ISOLATION_CONTAINER);
  CHECK(placement.cpu_count == 2);
  CHECK((placement.flags & PODALLOC_PLACEMENT_HINT) != 0);
  CHECK_OK(podalloc_decision_container_cpus(mask, words, d, 1, NULL));
  CHECK_OK(podalloc_cpuset_format(cpus, sizeof cpus, &needed, mask, words, NULL));
  CHECK_STR(cpus, "2-3"); /* CPU 0 reserved: the first whole free core */
  CHECK(placement.max_cpu == 3);
  CHECK_STATUS(podalloc_decision_container(&placement, d, 3, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_STATUS(podalloc_decision_container_cpus(mask, words, d, 3, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_STATUS(podalloc_decision_container_cpus(NULL, words, d, 1, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_decision_container(NULL, d, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_decision_container(&placement, NULL, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  placement.struct_size = 4;
  CHECK_STATUS(podalloc_decision_container(&placement, d, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  /* A mask of one word holds CPUs 0-63: enough here; none at all is too small. */
  CHECK_OK(podalloc_decision_container_cpus(tiny, 1, d, 1, NULL));
  CHECK(tiny[0] == 0xCu);
  CHECK_STATUS(podalloc_decision_container_cpus(tiny, 0, d, 1, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_OK(podalloc_decision_pod_cpus(mask, words, d, NULL));
  CHECK(mask[0] == 0);

  CHECK_OK(podalloc_node_commit(node, d, NULL));
  podalloc_decision_destroy(d);

  /* Admit-and-commit, typed: the same pod under another UID takes the next core. */
  d = NULL;
  make_pod(&p, "typed-2");
  CHECK_OK(podalloc_node_admit_and_commit_typed(&d, node, &p.pod, NULL));
  CHECK_OK(podalloc_decision_container_cpus(mask, words, d, 1, NULL));
  CHECK(mask[0] == 0x30u);
  podalloc_decision_destroy(d);
  /* The UID is now taken. */
  d = NULL;
  CHECK_STATUS(podalloc_node_admit_typed(&d, node, &p.pod, NULL), PODALLOC_ALREADY_EXISTS);
  CHECK(d == NULL);

  /* Accessors on NULL. */
  CHECK(podalloc_decision_qos(NULL) == -1);
  CHECK(podalloc_decision_container_count(NULL) == 0);
  podalloc_decision_reason(NULL, &reason, NULL);
}

static void test_bad_input(podalloc_node* node) {
  typed_pod p;
  podalloc_decision* d = NULL;
  podalloc_buffer before = c_test_state_of(node);
  unsigned char big[sizeof(podalloc_pod) + 8];

  make_pod(&p, "bad");
  CHECK_STATUS(podalloc_node_admit_typed(NULL, node, &p.pod, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_admit_typed(&d, NULL, &p.pod, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_admit_typed(&d, node, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_last_error_message(), "pod is NULL");
  CHECK_STATUS(podalloc_node_admit_and_commit_typed(&d, node, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);

  p.pod.struct_size = 8;
  CHECK_REFUSED(node, &p, "pod->struct_size is 8");
  /* A newer caller's longer struct: accepted only while the bytes past ours are zero. */
  make_pod(&p, "bad");
  memset(big, 0, sizeof big);
  memcpy(big, &p.pod, sizeof p.pod);
  ((podalloc_pod*)(void*)big)->struct_size = (uint32_t)sizeof big;
  big[sizeof(podalloc_pod) + 3] = 1;
  CHECK_STATUS(podalloc_node_admit_typed(&d, node, (const podalloc_pod*)(void*)big, NULL),
               PODALLOC_INVALID_ARGUMENT);

  make_pod(&p, "bad");
  p.pod.flags = 0x100u;
  CHECK_REFUSED(node, &p, "pod->flags has unknown bits 0x100");

  make_pod(&p, "bad");
  p.containers[0].struct_size = 12;
  CHECK_REFUSED(node, &p, "pod->containers[0].struct_size");
  make_pod(&p, "bad");
  p.containers[2].struct_size = (uint32_t)sizeof(podalloc_container) + 8;
  CHECK_REFUSED(node, &p, "pod->containers[2].struct_size");

  /* Names end up in decision and state JSON: bytes that are not UTF-8 are refused. */
  make_pod(&p, "bad");
  p.containers[1].name = text_of("ap\xff");
  CHECK_REFUSED(node, &p, "pod->containers[1].name: \"ap\\xff\" is not UTF-8 (byte 2)");
  make_pod(&p, "bad");
  p.pod.uid = text_of("\xc3");
  CHECK_REFUSED(node, &p, "pod->uid: \"\\xc3\" is not UTF-8 (byte 0)");

  make_pod(&p, "bad");
  p.containers[1].kind = 7;
  CHECK_REFUSED(node, &p, "pod->containers[1].kind: 7 is not a PODALLOC_CONTAINER_KIND_ value");

  make_pod(&p, "bad");
  p.containers[1].requests.present = PODALLOC_RESOURCE_CPU;
  p.containers[1].requests.cpu_milli = -5;
  CHECK_REFUSED(node, &p,
                "pod->containers[1].requests.cpu_milli: -5 must be greater than or equal to 0");
  make_pod(&p, "bad");
  p.containers[0].limits.memory_bytes = -1;
  CHECK_REFUSED(node, &p, "pod->containers[0].limits.memory_bytes: -1");
  make_pod(&p, "bad");
  p.gpu.value = -2;
  CHECK_REFUSED(node, &p, "pod->containers[2].limits.other[0].value: -2");
  make_pod(&p, "bad");
  p.pod.overhead.present = PODALLOC_RESOURCE_EPHEMERAL_STORAGE;
  p.pod.overhead.ephemeral_storage_bytes = -3;
  CHECK_REFUSED(node, &p, "pod->overhead.ephemeral_storage_bytes: -3");
  make_pod(&p, "bad");
  p.containers[1].limits.present = 0x10u;
  CHECK_REFUSED(node, &p, "pod->containers[1].limits.present: unknown bits 0x10");

  make_pod(&p, "bad");
  p.gpu.name = text_of("cpu");
  CHECK_REFUSED(node, &p, "pod->containers[2].limits.other[0].name: \"cpu\"");
  make_pod(&p, "bad");
  p.gpu.name.data = NULL;
  CHECK_REFUSED(node, &p, "pod->containers[2].limits.other[0].name: data is NULL");
  make_pod(&p, "bad");
  p.containers[2].limits.other = NULL;
  CHECK_REFUSED(node, &p, "pod->containers[2].limits.other: NULL but other_count is 1");
  make_pod(&p, "bad");
  p.pod.containers = NULL;
  CHECK_REFUSED(node, &p, "pod->containers is NULL");
  make_pod(&p, "bad");
  p.pod.uid.data = NULL;
  CHECK_REFUSED(node, &p, "pod->uid: data is NULL but size is 3");

  make_pod(&p, "bad");
  p.containers[0].restart_policy = PODALLOC_RESTART_NEVER;
  CHECK_REFUSED(node, &p, "pod->containers[0].restart_policy: a sidecar's restart policy");
  make_pod(&p, "bad");
  p.containers[0].kind = PODALLOC_CONTAINER_KIND_INIT;
  p.containers[0].restart_policy = PODALLOC_RESTART_ALWAYS;
  CHECK_REFUSED(node, &p, "pod->containers[0].restart_policy: ALWAYS on an init container");
  make_pod(&p, "bad");
  p.containers[1].restart_policy = 9;
  CHECK_REFUSED(node, &p, "pod->containers[1].restart_policy: 9 is not");

  /* What the API server refuses names the Pod's field and the typed container. */
  make_pod(&p, "bad");
  p.containers[2].requests.present = PODALLOC_RESOURCE_CPU;
  p.containers[2].requests.cpu_milli = 150;
  CHECK_REFUSED(node, &p, "spec.containers[1].resources.requests.cpu: \"150m\" must be less");
  CHECK(strstr(podalloc_last_error_message(), "(pod->containers[2])") != NULL);
  make_pod(&p, "bad");
  p.containers[2].name = text_of("app");
  CHECK_REFUSED(node, &p, "spec.containers[1].name: \"app\" duplicates spec.containers[0].name");
  make_pod(&p, "bad");
  p.containers[1].kind = PODALLOC_CONTAINER_KIND_EPHEMERAL;
  p.containers[2].kind = PODALLOC_CONTAINER_KIND_INIT;
  CHECK_REFUSED(node, &p, "spec.containers: required");

  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);
}

void test_typed(void) {
  podalloc_topology* t = NULL;
  podalloc_node* node = NULL;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT(kMachine), NULL));
  CHECK_OK(podalloc_node_create(&node, t, TEXT(kConfig), NULL));
  test_bad_input(node);
  test_admit_and_read(node, podalloc_topology_cpuset_words(t));
  podalloc_node_destroy(node);
  podalloc_topology_destroy(t);
}
