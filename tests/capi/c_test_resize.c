/* File: tests/capi/c_test_resize.c
 * In-place resize through the C ABI: an accepted resize with its ordered writes, Infeasible
 * and Deferred answers (successful calls), the preview, usage refusing a memory limit, and
 * bad arguments that leave the node byte for byte as it was. */
#include <stdlib.h>

#include "c_test.h"

/* 1 socket, 2 NUMA nodes of 1Gi, 8 cores, 16 CPUs. */
static const char kMachine[] = "pack:1 numa:2 core:4 pu:2";

static const char kStaticConfig[] =
    "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\"}";

/* One container "app": cpu request/limit and memory request/limit ("" leaves one out). */
static const char* resize_pod(const char* uid, const char* cpu_request, const char* cpu_limit,
                              const char* memory_request, const char* memory_limit) {
  static char pod[700];
  char requests[160] = "";
  char limits[160] = "";
  if (*cpu_request) snprintf(requests, sizeof requests, "\"cpu\": \"%s\"", cpu_request);
  if (*memory_request) {
    snprintf(requests + strlen(requests), sizeof requests - strlen(requests),
             "%s\"memory\": \"%s\"", *cpu_request ? ", " : "", memory_request);
  }
  if (*cpu_limit) snprintf(limits, sizeof limits, "\"cpu\": \"%s\"", cpu_limit);
  if (*memory_limit) {
    snprintf(limits + strlen(limits), sizeof limits - strlen(limits), "%s\"memory\": \"%s\"",
             *cpu_limit ? ", " : "", memory_limit);
  }
  snprintf(pod, sizeof pod,
           "{\"metadata\": {\"name\": \"%s\", \"namespace\": \"default\", \"uid\": \"%s\"},"
           " \"spec\": {\"containers\": [{\"name\": \"app\", \"resources\": {"
           "\"requests\": {%s}, \"limits\": {%s}}}]}}",
           uid, uid, requests, limits);
  return pod;
}

static void admit(podalloc_node* node, const char* pod) {
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_node_admit_and_commit(&json, node, TEXT(pod), NULL));
  CHECK(json.data != NULL && strstr(json.data, "\"admitted\":true") != NULL);
  podalloc_buffer_free(&json);
}

/* Position of `needle` in `text`, or -1. */
static long where(const char* text, const char* needle) {
  const char* at = strstr(text, needle);
  return at != NULL ? (long)(at - text) : -1;
}

/* A Burstable pod grows in place: the preview changes nothing, the resize records it. */
static void test_accepted(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer preview = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;
  podalloc_resize_options options = PODALLOC_RESIZE_OPTIONS_INIT;
  const char* grown;
  long pod_weight, app_weight, pod_max, app_max;

  CHECK_OK(podalloc_node_create(&node, t, NULL, 0, NULL));
  admit(node, resize_pod("a", "1", "2", "256Mi", "512Mi"));
  CHECK(podalloc_node_version(node) == 1);
  before = c_test_state_of(node);
  grown = resize_pod("a", "2", "3", "256Mi", "512Mi");

  /* The preview: the whole answer, and the node as it was. */
  options.flags = PODALLOC_RESIZE_CHECK_ONLY;
  CHECK_OK(podalloc_node_resize(&preview, node, TEXT(grown), &options, NULL));
  CHECK(strstr(preview.data, "\"feasible\":true") != NULL);
  CHECK(strstr(preview.data, "\"applied\":false") != NULL);
  CHECK(strstr(preview.data, "\"base_version\":1") != NULL);
  CHECK(podalloc_node_version(node) == 1);
  CHECK(c_test_same_state(&before, node));

  /* NULL options: the defaults, a real resize. */
  CHECK_OK(podalloc_node_resize(&json, node, TEXT(grown), NULL, NULL));
  CHECK(strstr(json.data, "\"pod\":{\"uid\":\"a\"}") != NULL);
  CHECK(strstr(json.data, "\"feasible\":true") != NULL);
  CHECK(strstr(json.data, "\"reason\":\"\"") != NULL);
  CHECK(strstr(json.data, "\"applied\":true") != NULL);
  CHECK(strstr(json.data, "\"refused\":false") != NULL);
  /* CPU grows: the pod cgroup's file before the container's, for each file. */
  pod_weight = where(json.data, "{\"cgroup\":\"\",\"file\":\"cpu.weight\"");
  app_weight = where(json.data, "{\"cgroup\":\"app\",\"file\":\"cpu.weight\"");
  pod_max = where(json.data, "{\"cgroup\":\"\",\"file\":\"cpu.max\"");
  app_max = where(json.data, "{\"cgroup\":\"app\",\"file\":\"cpu.max\"");
  CHECK(pod_weight >= 0 && app_weight > pod_weight);
  CHECK(pod_max >= 0 && app_max > pod_max);
  CHECK(strstr(json.data, "\"value\":\"300000 100000\"") != NULL);
  /* Memory did not change: no memory file is written. */
  CHECK(strstr(json.data, "\"file\":\"memory.") == NULL);
  /* The same writes as the preview; only "applied" differs. */
  CHECK(strcmp(strstr(json.data, "\"plan\""), strstr(preview.data, "\"plan\"")) == 0);
  CHECK(podalloc_node_version(node) == 2);
  CHECK(!c_test_same_state(&before, node));
  podalloc_buffer_free(&json);

  /* The same size again: feasible, nothing to write, nothing recorded. */
  podalloc_buffer_free(&before);
  before = c_test_state_of(node);
  CHECK_OK(podalloc_node_resize(&json, node, TEXT(grown), NULL, NULL));
  CHECK(strstr(json.data, "\"applied\":false") != NULL);
  CHECK(strstr(json.data, "\"writes\":[]") != NULL);
  CHECK(podalloc_node_version(node) == 2);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&json);

  /* A memory limit below current usage: the plan is refused and not recorded. Usage in
   * quantity syntax and in bytes. */
  options.flags = 0;
  options.usage_json = "{\"pod\": 209715200, \"containers\": {\"app\": \"300Mi\"}}";
  options.usage_json_len = strlen(options.usage_json);
  CHECK_OK(podalloc_node_resize(&json, node, TEXT(resize_pod("a", "2", "3", "256Mi", "280Mi")),
                                &options, NULL));
  CHECK(strstr(json.data, "\"feasible\":true") != NULL);
  CHECK(strstr(json.data, "\"refused\":true") != NULL);
  CHECK(strstr(json.data, "\"applied\":false") != NULL);
  CHECK(podalloc_node_version(node) == 2);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&json);

  /* A static pod is never resized in place. */
  options.flags = PODALLOC_RESIZE_STATIC_POD;
  options.usage_json = NULL;
  options.usage_json_len = 0;
  CHECK_OK(podalloc_node_resize(&json, node, TEXT(resize_pod("a", "1", "2", "256Mi", "512Mi")),
                                &options, NULL));
  CHECK(strstr(json.data, "\"reason\":\"Infeasible\"") != NULL);
  CHECK(strstr(json.data, "\"reason_detail\":\"static_pod\"") != NULL);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&json);

  podalloc_buffer_free(&preview);
  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);
}

/* Infeasible (above allocatable; Guaranteed under the static CPU manager) and Deferred
 * (beside another pod) are successful calls that change nothing. */
static void test_not_feasible(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;
  podalloc_buffer metrics = PODALLOC_BUFFER_INIT;

  CHECK_OK(podalloc_node_create(&node, t, NULL, 0, NULL));
  admit(node, resize_pod("a", "1", "", "256Mi", ""));
  admit(node, resize_pod("b", "12", "", "", ""));
  before = c_test_state_of(node);

  CHECK_OK(podalloc_node_resize(&json, node, TEXT(resize_pod("a", "20", "", "256Mi", "")), NULL,
                                NULL));
  CHECK(strstr(json.data, "\"feasible\":false") != NULL);
  CHECK(strstr(json.data, "\"reason\":\"Infeasible\"") != NULL);
  CHECK(strstr(json.data, "\"reason_detail\":\"insufficient_node_allocatable\"") != NULL);
  CHECK(strstr(json.data,
               "Node didn't have enough capacity: cpu, requested: 20000, capacity: 16000") != NULL);
  CHECK(strstr(json.data, "\"writes\":[]") != NULL);
  podalloc_buffer_free(&json);
  CHECK(c_test_same_state(&before, node));

  CHECK_OK(podalloc_node_resize(&json, node, TEXT(resize_pod("a", "6", "", "256Mi", "")), NULL,
                                NULL));
  CHECK(strstr(json.data, "\"reason\":\"Deferred\"") != NULL);
  CHECK(strstr(json.data, "\"reason_detail\":\"\"") != NULL);
  CHECK(strstr(json.data, "Node didn't have enough resource: cpu") != NULL);
  CHECK(strstr(json.data, "\"applied\":false") != NULL);
  podalloc_buffer_free(&json);
  CHECK(c_test_same_state(&before, node));
  CHECK(podalloc_node_version(node) == 2);

  /* Only Infeasible outcomes are counted. */
  CHECK_OK(podalloc_node_metrics(&metrics, node, NULL));
  CHECK(strstr(metrics.data, "reason_detail=\"insufficient_node_allocatable\"") != NULL);
  podalloc_buffer_free(&metrics);
  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);

  /* The static CPU manager keeps a Guaranteed pod's exclusive CPUs: Infeasible. */
  CHECK_OK(podalloc_node_create(&node, t, TEXT(kStaticConfig), NULL));
  admit(node, resize_pod("g", "2", "2", "256Mi", "256Mi"));
  before = c_test_state_of(node);
  CHECK_OK(podalloc_node_resize(&json, node, TEXT(resize_pod("g", "3", "3", "256Mi", "256Mi")),
                                NULL, NULL));
  CHECK(strstr(json.data, "\"reason\":\"Infeasible\"") != NULL);
  CHECK(strstr(json.data,
               "\"reason_detail\":\"guaranteed_pod_cpu_manager_static_policy\"") != NULL);
  podalloc_buffer_free(&json);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);

  /* With the ExclusiveCPUs gate on it is feasible, but the CPU manager's resize path is not
   * modelled: UNIMPLEMENTED, and nothing changes. */
  CHECK_OK(podalloc_node_create(
      &node, t,
      TEXT("{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\", \"featureGates\":"
           " {\"InPlacePodVerticalScalingExclusiveCPUs\": true}}"),
      NULL));
  admit(node, resize_pod("g", "2", "2", "256Mi", "256Mi"));
  before = c_test_state_of(node);
  CHECK_STATUS(podalloc_node_resize(&json, node,
                                    TEXT(resize_pod("g", "3", "3", "256Mi", "256Mi")), NULL, NULL),
               PODALLOC_UNIMPLEMENTED);
  CHECK(json.data == NULL);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);
}

static void test_bad_arguments(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = PODALLOC_BUFFER_INIT;
  podalloc_resize_options options;
  podalloc_error* err = NULL;
  char grown[700]; /* resize_pod's buffer is reused by every call */
  /* Room for a struct from a newer header: the known part, then one unknown field. */
  unsigned char bigger[sizeof(podalloc_resize_options) + 8];

  podalloc_resize_options_init(&options);
  CHECK(options.struct_size == sizeof options && options.flags == 0);
  CHECK(options.usage_json == NULL && options.usage_json_len == 0);
  podalloc_resize_options_init(NULL);

  CHECK_OK(podalloc_node_create(&node, t, NULL, 0, NULL));
  admit(node, resize_pod("a", "1", "2", "", ""));
  before = c_test_state_of(node);
  snprintf(grown, sizeof grown, "%s", resize_pod("a", "2", "3", "", ""));

  CHECK_STATUS(podalloc_node_resize(NULL, node, TEXT(grown), NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_resize(&json, NULL, TEXT(grown), NULL, &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "node is NULL") != NULL);
  podalloc_error_free(err);
  err = NULL;
  CHECK_STATUS(podalloc_node_resize(&json, node, NULL, 5, NULL, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT("{\"spec\": "), NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT("{\"spec\": {\"containers\": 1}}"), NULL,
                                    NULL),
               PODALLOC_INVALID_ARGUMENT);
  /* A pod the node never admitted; a pod whose containers differ. */
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(resize_pod("zz", "2", "3", "", "")), NULL,
                                    NULL),
               PODALLOC_NOT_FOUND);
  CHECK_STATUS(
      podalloc_node_resize(&json, node,
                           TEXT("{\"metadata\": {\"name\": \"a\", \"namespace\": \"default\","
                                " \"uid\": \"a\"}, \"spec\": {\"containers\": [{\"name\": \"other\","
                                " \"resources\": {\"requests\": {\"cpu\": \"2\"}}}]}}"),
                           NULL, &err),
      PODALLOC_INVALID_ARGUMENT);
  CHECK(podalloc_error_code(err) == PODALLOC_INVALID_ARGUMENT);
  podalloc_error_free(err);
  err = NULL;

  /* Options: struct_size too small, a newer struct setting a field this library does not
   * know, unknown flags, bad usage. */
  podalloc_resize_options_init(&options);
  options.struct_size = 4;
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown), &options, &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "struct_size") != NULL);
  podalloc_error_free(err);
  err = NULL;
  podalloc_resize_options_init(&options);
  memset(bigger, 0, sizeof bigger);
  options.struct_size = (uint32_t)sizeof bigger;
  memcpy(bigger, &options, sizeof options);
  bigger[sizeof options + 3] = 1;
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown),
                                    (const podalloc_resize_options*)(const void*)bigger, NULL),
               PODALLOC_INVALID_ARGUMENT);
  podalloc_resize_options_init(&options);
  options.flags = 0x80u;
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  podalloc_resize_options_init(&options);
  options.usage_json = "{\"pod\": ";
  options.usage_json_len = strlen(options.usage_json);
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  options.usage_json = "{\"containers\": {\"nope\": 1}}";
  options.usage_json_len = strlen(options.usage_json);
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown), &options, &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "nope") != NULL);
  podalloc_error_free(err);
  err = NULL;
  options.usage_json = "{\"pod\": -1}";
  options.usage_json_len = strlen(options.usage_json);
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  options.usage_json = "{\"memory\": 1}";
  options.usage_json_len = strlen(options.usage_json);
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  options.usage_json = NULL;
  options.usage_json_len = 3;
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(grown), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  /* The same failures in a preview. */
  options.flags = PODALLOC_RESIZE_CHECK_ONLY;
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(resize_pod("zz", "2", "3", "", "")),
                                    &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  options.usage_json_len = 0;
  CHECK_STATUS(podalloc_node_resize(&json, node, TEXT(resize_pod("zz", "2", "3", "", "")),
                                    &options, NULL),
               PODALLOC_NOT_FOUND);

  CHECK(json.data == NULL);
  CHECK(podalloc_node_version(node) == 1);
  CHECK(c_test_same_state(&before, node));

  /* A struct from an older or equal header with zeros past what it set is accepted. */
  podalloc_resize_options_init(&options);
  memset(bigger, 0, sizeof bigger);
  options.struct_size = (uint32_t)sizeof bigger;
  memcpy(bigger, &options, sizeof options);
  CHECK_OK(podalloc_node_resize(&json, node, TEXT(grown),
                                (const podalloc_resize_options*)(const void*)bigger, NULL));
  CHECK(strstr(json.data, "\"applied\":true") != NULL);
  podalloc_buffer_free(&json);

  podalloc_buffer_free(&before);
  podalloc_node_destroy(node);
}

void test_resize(void) {
  podalloc_topology* t = NULL;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT(kMachine), NULL));
  test_accepted(t);
  test_not_feasible(t);
  test_bad_arguments(t);
  podalloc_topology_destroy(t);
}
