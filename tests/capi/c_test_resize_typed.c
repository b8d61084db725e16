/* File: tests/capi/c_test_resize_typed.c
 * Decisions read without JSON: a resize judged from a typed pod answers exactly what the JSON
 * call answers (byte for byte), its outcome, texts, ordered writes and restarted containers
 * read through accessors; Deferred, Infeasible and refused plans; bad arguments that leave the
 * node as it was; and each container's exclusive memory blocks. */
#include <stddef.h>
#include <stdlib.h>

#include "c_test.h"

/* 1 socket, 2 NUMA nodes of 4 GiB, 8 cores, 16 CPUs. */
static const char kMachine[] = "pack:1 numa:2(memory=4GiB) core:4 pu:2";

static podalloc_text text_of(const char* s) {
  podalloc_text t;
  t.data = s;
  t.size = strlen(s);
  return t;
}

static int text_is(podalloc_text t, const char* s) {
  return t.size == strlen(s) && (t.size == 0 || memcmp(t.data, s, t.size) == 0);
}

/* A Burstable pod "uid" of one container "app": cpu request/limit in millicores, memory
 * request/limit in MiB, and a resizePolicy that restarts "app" on a memory change when
 * `restart_on_memory`. */
typedef struct typed_pod {
  podalloc_pod pod;
  podalloc_container app;
  podalloc_resize_policy policy;
} typed_pod;

static void make_pod(typed_pod* p, const char* uid, int64_t cpu_req, int64_t cpu_lim,
                     int64_t mem_req_mi, int64_t mem_lim_mi, int restart_on_memory) {
  podalloc_pod pod = PODALLOC_POD_INIT;
  podalloc_container c = PODALLOC_CONTAINER_INIT;
  p->pod = pod;
  p->pod.name = text_of(uid);
  p->pod.namespace_name = text_of("default");
  p->pod.uid = text_of(uid);
  p->app = c;
  p->app.name = text_of("app");
  p->app.requests.present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
  p->app.requests.cpu_milli = cpu_req;
  p->app.requests.memory_bytes = mem_req_mi << 20;
  p->app.limits.present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
  p->app.limits.cpu_milli = cpu_lim;
  p->app.limits.memory_bytes = mem_lim_mi << 20;
  if (restart_on_memory) {
    p->policy.resource_name = text_of("memory");
    p->policy.restart = PODALLOC_RESIZE_RESTART_CONTAINER;
    p->app.resize_policy = &p->policy;
    p->app.resize_policy_count = 1;
  }
  p->pod.containers = &p->app;
  p->pod.container_count = 1;
}

/* The same pod as JSON, for the JSON calls. */
static const char* pod_json(const char* uid, int cpu_req, int cpu_lim, int mem_req_mi,
                            int mem_lim_mi, int restart_on_memory) {
  static char json[800];
  snprintf(json, sizeof json,
           "{\"metadata\": {\"name\": \"%s\", \"namespace\": \"default\", \"uid\": \"%s\"},"
           " \"spec\": {\"containers\": [{\"name\": \"app\", %s\"resources\": {"
           "\"requests\": {\"cpu\": \"%dm\", \"memory\": \"%dMi\"},"
           " \"limits\": {\"cpu\": \"%dm\", \"memory\": \"%dMi\"}}}]}}",
           uid, uid,
           restart_on_memory
               ? "\"resizePolicy\": [{\"resourceName\": \"memory\", \"restartPolicy\": "
                 "\"RestartContainer\"}], "
               : "",
           cpu_req, mem_req_mi, cpu_lim, mem_lim_mi);
  return json;
}

static podalloc_node* node_with(const podalloc_topology* t, const char* config,
                                const char* uid, int restart_on_memory) {
  podalloc_node* node = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_node_create(&node, t, config, config ? strlen(config) : 0, NULL));
  CHECK_OK(podalloc_node_admit_and_commit(&json, node,
                                          TEXT(pod_json(uid, 1000, 2000, 256, 512,
                                                        restart_on_memory)),
                                          NULL));
  CHECK(json.data != NULL && strstr(json.data, "\"admitted\":true") != NULL);
  podalloc_buffer_free(&json);
  return node;
}

/* Two identical nodes, one resized through the JSON call and one through the typed call: the
 * typed decision renders to the same JSON, and its accessors say what the JSON says. */
static void test_typed_matches_json(const podalloc_topology* t) {
  podalloc_node* by_json = node_with(t, NULL, "a", 0);
  podalloc_node* by_type = node_with(t, NULL, "a", 0);
  podalloc_buffer expected = PODALLOC_BUFFER_INIT;
  podalloc_buffer actual = PODALLOC_BUFFER_INIT;
  podalloc_resize_decision* d = NULL;
  podalloc_resize_summary summary = PODALLOC_RESIZE_SUMMARY_INIT;
  podalloc_cgroup_write write = PODALLOC_CGROUP_WRITE_INIT;
  typed_pod p;
  size_t i;

  make_pod(&p, "a", 2000, 3000, 256, 768, 0);
  CHECK_OK(podalloc_node_resize(&expected, by_json, TEXT(pod_json("a", 2000, 3000, 256, 768, 0)),
                                NULL, NULL));
  CHECK_OK(podalloc_node_resize_typed(&d, by_type, &p.pod, NULL, NULL));
  CHECK(d != NULL);
  CHECK_OK(podalloc_resize_decision_to_json(&actual, d, NULL));
  CHECK_STR(actual.data, expected.data);

  CHECK_OK(podalloc_resize_decision_summary(&summary, d, NULL));
  CHECK(summary.outcome == PODALLOC_RESIZE_FEASIBLE);
  CHECK(summary.flags == PODALLOC_RESIZE_APPLIED);
  CHECK(text_is(summary.pod_uid, "a"));
  CHECK(summary.message.size == 0 && summary.refusal.size == 0);
  CHECK(summary.base_version == 1);
  CHECK(summary.restarted_count == 0);
  CHECK(summary.write_count >= 4); /* cpu.max and memory.max of the pod and of "app" */
  /* Every write appears in the JSON, in the same order. */
  {
    const char* at = expected.data;
    for (i = 0; i < summary.write_count; ++i) {
      char needle[200];
      CHECK_OK(podalloc_resize_decision_write(&write, d, i, NULL));
      snprintf(needle, sizeof needle, "{\"cgroup\":\"%.*s\",\"file\":\"%.*s\",\"value\":\"%.*s\"}",
               (int)write.cgroup.size, write.cgroup.data, (int)write.file.size, write.file.data,
               (int)write.value.size, write.value.data);
      at = at != NULL ? strstr(at, needle) : NULL;
      CHECK(at != NULL);
    }
  }
  /* The pod cgroup grows before the container's. */
  CHECK_OK(podalloc_resize_decision_write(&write, d, 0, NULL));
  CHECK(write.cgroup.size == 0);
  CHECK_STATUS(podalloc_resize_decision_write(&write, d, summary.write_count, NULL),
               PODALLOC_OUT_OF_RANGE);
  CHECK(podalloc_node_version(by_type) == 2);
  podalloc_resize_decision_destroy(d);
  podalloc_buffer_free(&expected);
  podalloc_buffer_free(&actual);

  /* A container restarted by its resizePolicy: named, and without writes of its own. */
  podalloc_node_destroy(by_json);
  podalloc_node_destroy(by_type);
  by_type = node_with(t, NULL, "r", 1);
  make_pod(&p, "r", 1000, 2000, 256, 768, 1);
  d = NULL;
  CHECK_OK(podalloc_node_resize_typed(&d, by_type, &p.pod, NULL, NULL));
  CHECK_OK(podalloc_resize_decision_summary(&summary, d, NULL));
  CHECK(summary.restarted_count == 1);
  {
    podalloc_text name = PODALLOC_TEXT_EMPTY;
    CHECK_OK(podalloc_resize_decision_restarted(&name, d, 0, NULL));
    CHECK(text_is(name, "app"));
    CHECK_STATUS(podalloc_resize_decision_restarted(&name, d, 1, NULL), PODALLOC_OUT_OF_RANGE);
  }
  for (i = 0; i < summary.write_count; ++i) {
    CHECK_OK(podalloc_resize_decision_write(&write, d, i, NULL));
    CHECK(write.cgroup.size == 0); /* pod cgroup only */
  }
  podalloc_resize_decision_destroy(d);
  podalloc_node_destroy(by_type);
}

/* Deferred, Infeasible and a refused plan are successful calls; the node stays as it was. */
static void test_outcomes(const podalloc_topology* t) {
  podalloc_node* node = node_with(t, NULL, "a", 0);
  podalloc_buffer other = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;
  podalloc_resize_decision* d = NULL;
  podalloc_resize_summary summary = PODALLOC_RESIZE_SUMMARY_INIT;
  podalloc_resize_options options = PODALLOC_RESIZE_OPTIONS_INIT;
  typed_pod p;

  /* Above the node's 16 CPUs: Infeasible. */
  before = c_test_state_of(node);
  make_pod(&p, "a", 40000, 40000, 256, 512, 0);
  CHECK_OK(podalloc_node_resize_typed(&d, node, &p.pod, NULL, NULL));
  CHECK_OK(podalloc_resize_decision_summary(&summary, d, NULL));
  CHECK(summary.outcome == PODALLOC_RESIZE_INFEASIBLE);
  CHECK(summary.flags == 0 && summary.write_count == 0);
  CHECK(summary.message.size > 0);
  CHECK(text_is(summary.reason_detail, "insufficient_node_allocatable"));
  CHECK(c_test_same_state(&before, node));
  podalloc_resize_decision_destroy(d);

  /* Another pod takes most CPUs; growing "a" past what is left: Deferred. */
  CHECK_OK(podalloc_node_admit_and_commit(&other, node,
                                          TEXT(pod_json("b", 13000, 13000, 256, 256, 0)), NULL));
  CHECK(strstr(other.data, "\"admitted\":true") != NULL);
  podalloc_buffer_free(&other);
  podalloc_buffer_free(&before);
  before = c_test_state_of(node);
  d = NULL;
  CHECK_OK(podalloc_node_resize_json(&d, node, TEXT(pod_json("a", 4000, 4000, 256, 512, 0)), NULL,
                                     NULL));
  CHECK_OK(podalloc_resize_decision_summary(&summary, d, NULL));
  CHECK(summary.outcome == PODALLOC_RESIZE_DEFERRED);
  CHECK(summary.reason_detail.size == 0 && summary.message.size > 0);
  CHECK(c_test_same_state(&before, node));
  podalloc_resize_decision_destroy(d);

  /* A memory limit at or below usage: feasible, the plan refused, nothing recorded. */
  options.usage_json = "{\"containers\": {\"app\": \"300Mi\"}}";
  options.usage_json_len = strlen(options.usage_json);
  make_pod(&p, "a", 1000, 2000, 256, 280, 0);
  d = NULL;
  CHECK_OK(podalloc_node_resize_typed(&d, node, &p.pod, &options, NULL));
  CHECK_OK(podalloc_resize_decision_summary(&summary, d, NULL));
  CHECK(summary.outcome == PODALLOC_RESIZE_FEASIBLE);
  CHECK(summary.flags == PODALLOC_RESIZE_REFUSED);
  CHECK(summary.refusal.size > 0 && summary.write_count == 0);
  CHECK(c_test_same_state(&before, node));
  podalloc_resize_decision_destroy(d);

  /* The preview of a feasible resize changes nothing either. */
  options.usage_json = NULL;
  options.usage_json_len = 0;
  options.flags = PODALLOC_RESIZE_CHECK_ONLY;
  make_pod(&p, "a", 1500, 2000, 256, 512, 0);
  d = NULL;
  CHECK_OK(podalloc_node_resize_typed(&d, node, &p.pod, &options, NULL));
  CHECK_OK(podalloc_resize_decision_summary(&summary, d, NULL));
  CHECK(summary.outcome == PODALLOC_RESIZE_FEASIBLE && summary.flags == 0);
  CHECK(summary.write_count > 0);
  CHECK(c_test_same_state(&before, node));
  podalloc_resize_decision_destroy(d);

  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);
}

static void test_bad_arguments(const podalloc_topology* t) {
  podalloc_node* node = node_with(t, NULL, "a", 0);
  podalloc_buffer before = c_test_state_of(node);
  podalloc_resize_decision* d = NULL;
  podalloc_resize_summary summary = PODALLOC_RESIZE_SUMMARY_INIT;
  podalloc_cgroup_write write = PODALLOC_CGROUP_WRITE_INIT;
  podalloc_resize_options options = PODALLOC_RESIZE_OPTIONS_INIT;
  podalloc_error* err = NULL;
  podalloc_text name;
  typed_pod p;

  make_pod(&p, "a", 2000, 3000, 256, 768, 0);
  CHECK_STATUS(podalloc_node_resize_typed(NULL, node, &p.pod, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_resize_typed(&d, NULL, &p.pod, NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_resize_typed(&d, node, NULL, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(d == NULL);
  /* A bad field is named; the node is untouched and no handle is returned. */
  p.app.limits.cpu_milli = -5;
  CHECK_STATUS(podalloc_node_resize_typed(&d, node, &p.pod, NULL, &err), PODALLOC_INVALID_ARGUMENT);
  CHECK(d == NULL);
  CHECK(strstr(podalloc_error_message(err), "pod->containers[0].limits.cpu_milli") != NULL);
  podalloc_error_free(err);
  /* An unknown pod, unknown flags. */
  make_pod(&p, "nobody", 2000, 3000, 256, 768, 0);
  CHECK_STATUS(podalloc_node_resize_typed(&d, node, &p.pod, NULL, NULL), PODALLOC_NOT_FOUND);
  options.flags = 0x80u;
  make_pod(&p, "a", 2000, 3000, 256, 768, 0);
  CHECK_STATUS(podalloc_node_resize_typed(&d, node, &p.pod, &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_resize_json(&d, node, TEXT("{not json"), NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(d == NULL);
  CHECK(c_test_same_state(&before, node));
  CHECK(podalloc_node_version(node) == 1);

  /* Accessors: NULLs, a struct_size from nowhere. */
  CHECK_OK(podalloc_node_resize_typed(&d, node, &p.pod, NULL, NULL));
  CHECK_STATUS(podalloc_resize_decision_summary(NULL, d, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_resize_decision_summary(&summary, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  summary.struct_size = 8;
  CHECK_STATUS(podalloc_resize_decision_summary(&summary, d, NULL), PODALLOC_INVALID_ARGUMENT);
  write.struct_size = 4;
  CHECK_STATUS(podalloc_resize_decision_write(&write, d, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_resize_decision_restarted(&name, NULL, 0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_resize_decision_to_json(NULL, d, NULL), PODALLOC_INVALID_ARGUMENT);
  podalloc_resize_decision_destroy(d);
  podalloc_resize_decision_destroy(NULL);
  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);
}

/* The Static memory manager's blocks, per container, without JSON. */
static void test_memory_blocks(const podalloc_topology* t) {
  static const char config[] =
      "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\","
      " \"topologyManagerPolicy\": \"single-numa-node\","
      " \"memoryManagerPolicy\": \"Static\", \"reservedMemory\": ["
      "  {\"numaNode\": 0, \"limits\": {\"memory\": \"512Mi\"}},"
      "  {\"numaNode\": 1, \"limits\": {\"memory\": \"512Mi\"}}]}";
  static const char pod[] =
      "{\"metadata\": {\"name\": \"g\", \"namespace\": \"default\", \"uid\": \"g\"},"
      " \"spec\": {\"containers\": [{\"name\": \"app\", \"resources\": {\"limits\":"
      " {\"cpu\": \"2\", \"memory\": \"1Gi\"}}}, {\"name\": \"side\", \"resources\": {\"limits\":"
      " {\"cpu\": \"500m\", \"memory\": \"128Mi\"}}}]}}";
  podalloc_node* node = NULL;
  podalloc_decision* d = NULL;
  podalloc_container_placement placement = PODALLOC_CONTAINER_PLACEMENT_INIT;
  podalloc_memory_block block = PODALLOC_MEMORY_BLOCK_INIT;

  CHECK_OK(podalloc_node_create(&node, t, TEXT(config), NULL));
  CHECK_OK(podalloc_node_admit(&d, node, TEXT(pod), NULL));
  CHECK(podalloc_decision_admitted(d) == 1);
  CHECK_OK(podalloc_decision_container(&placement, d, 0, NULL));
  CHECK(placement.memory_block_count == 1);
  CHECK_OK(podalloc_decision_memory_block(&block, d, 0, 0, NULL));
  CHECK(block.hugepage_size_bytes == 0);
  CHECK(block.size_bytes == (uint64_t)1 << 30);
  CHECK(block.numa_nodes == placement.memory_nodes && block.numa_nodes != 0);
  CHECK_STATUS(podalloc_decision_memory_block(&block, d, 0, 1, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_STATUS(podalloc_decision_memory_block(&block, d, 2, 0, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_OK(podalloc_decision_container(&placement, d, 1, NULL));
  CHECK(placement.memory_block_count == 1); /* a Guaranteed pod: every container is pinned */
  CHECK_OK(podalloc_decision_memory_block(&block, d, 1, 0, NULL));
  CHECK(block.size_bytes == (uint64_t)128 << 20);
  block.struct_size = 4;
  CHECK_STATUS(podalloc_decision_memory_block(&block, d, 0, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_decision_memory_block(NULL, d, 0, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  /* A caller built before memory_block_count keeps its smaller struct: nothing past it is
   * written. */
  {
    podalloc_container_placement old[2];
    memset(old, 0xAB, sizeof old);
    old[0].struct_size = (uint32_t)offsetof(podalloc_container_placement, memory_block_count);
    CHECK_OK(podalloc_decision_container(&old[0], d, 0, NULL));
    CHECK(old[0].cpu_count == 2);
    CHECK(((const unsigned char*)&old[0].memory_block_count)[0] == 0xAB);
  }
  podalloc_decision_destroy(d);
  podalloc_node_destroy(node);
}

void test_resize_typed(void) {
  podalloc_topology* t = NULL;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT(kMachine), NULL));
  if (t == NULL) return;
  test_typed_matches_json(t);
  test_outcomes(t);
  test_bad_arguments(t);
  test_memory_blocks(t);
  podalloc_topology_destroy(t);
}
