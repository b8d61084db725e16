/* File: tests/capi/c_test_bounds.c
 * The reproducers of tests/data/repro (deep_nesting.c, number_overflow.c, items 3 and 13) as a
 * C program meets them: every hostile input is INVALID_ARGUMENT (or the call's usual code)
 * with a short, escaped message that names the field, never a crash or INTERNAL, and the node
 * is left as it was. */
#include <stdlib.h>

#include "c_test.h"

/* The message of the last failed call on this thread is at most `max` bytes and holds `what`. */
static void check_message(const char* what, size_t max) {
  const char* message = podalloc_last_error_message();
  ++c_test_checks;
  if (strlen(message) > max || strstr(message, what) == NULL) {
    ++c_test_failures;
    fprintf(stderr, "%s:%d: message \"%.300s\" (%zu bytes) lacks \"%s\" or exceeds %zu bytes\n",
            __FILE__, __LINE__, message, strlen(message), what, max);
  }
}

/* pre + depth '[' + depth ']' + post, in a buffer the caller frees. */
static char* wrap(const char* pre, const char* post, size_t depth) {
  char* s = (char*)malloc(strlen(pre) + strlen(post) + 2 * depth + 1);
  char* p = s;
  if (s == NULL) return NULL;
  strcpy(p, pre);
  p += strlen(pre);
  memset(p, '[', depth);
  memset(p + depth, ']', depth);
  strcpy(p + 2 * depth, post);
  return s;
}

static const char kPod[] =
    "{\"metadata\":{\"uid\":\"u\"},\"spec\":{\"containers\":[{\"name\":\"c\","
    "\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]}}";

static void test_deep_nesting(podalloc_topology* topology, podalloc_node* node) {
  const size_t depth = 100000;
  podalloc_buffer before = c_test_state_of(node);
  podalloc_decision* decision = NULL;
  podalloc_topology* parsed = NULL;
  podalloc_node* created = NULL;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_resize_options options = PODALLOC_RESIZE_OPTIONS_INIT;
  int32_t qos = -1;
  char* s;

  s = wrap("{\"metadata\":{\"name\":", "},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}", depth);
  CHECK_STATUS(podalloc_node_admit(&decision, node, s, strlen(s), NULL), PODALLOC_INVALID_ARGUMENT);
  check_message("metadata.name[0][0]", 300);
  check_message("nests deeper than 512", 300);
  CHECK(decision == NULL);
  free(s);

  s = wrap("", "", depth);
  CHECK_STATUS(podalloc_pod_qos_class(&qos, s, strlen(s), 0, NULL), PODALLOC_INVALID_ARGUMENT);
  check_message("nests deeper than 512", 300);
  CHECK(qos == -1);
  free(s);

  s = wrap("{\"schema\":\"podalloc.topology/v1\",\"cpus\":[{\"id\":",
           ",\"core\":0,\"socket\":0,\"numa\":0}]}", depth);
  CHECK_STATUS(podalloc_topology_from_json(&parsed, s, strlen(s), NULL), PODALLOC_INVALID_ARGUMENT);
  check_message("/cpus/0/id/0/0", 300);
  CHECK(parsed == NULL);
  free(s);

  s = wrap("{\"cpuManagerPolicy\":", "}", depth);
  CHECK_STATUS(podalloc_node_create(&created, topology, s, strlen(s), NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("cpuManagerPolicy[0]", 300);
  CHECK(created == NULL);
  free(s);

  s = wrap("{\"pod\":", "}", depth);
  options.usage_json = s;
  options.usage_json_len = strlen(s);
  CHECK_STATUS(podalloc_node_resize(&out, node, TEXT(kPod), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("options->usage_json is not valid JSON: pod[0]", 300);
  CHECK(out.data == NULL);
  free(s);

  s = wrap("{\"policyName\":\"none\",\"defaultCpuSet\":", ",\"checksum\":0}", depth);
  CHECK_STATUS(podalloc_node_checkpoint_restore(node, s, strlen(s), NULL, 0, NULL, 0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("/defaultCpuSet/0/0", 300);
  free(s);

  s = wrap("[{\"metadata\":{\"uid\":\"u\"},\"spec\":", "}]", depth);
  CHECK_STATUS(podalloc_node_checkpoint_restore(node, NULL, 0, NULL, 0, s, strlen(s), NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("pods_json: not valid JSON: [0].spec[0]", 300);
  free(s);

  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);
}

static void test_number_overflow(podalloc_topology* topology, podalloc_node* node) {
  podalloc_buffer before = c_test_state_of(node);
  podalloc_decision* decision = NULL;
  podalloc_topology* parsed = NULL;
  podalloc_node* created = NULL;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_resize_options options = PODALLOC_RESIZE_OPTIONS_INIT;
  int32_t qos = -1;

  CHECK_STATUS(podalloc_topology_from_json(&parsed, TEXT("{\"schema\":1e400}"), NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_last_error_message(),
            "topology JSON: malformed: /schema: the number \"1e400\" is beyond the range of a "
            "double");
  CHECK_STATUS(podalloc_node_create(&created, topology, TEXT("{\"maxPods\":1e400}"), NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("maxPods: the number \"1e400\"", 200);
  CHECK_STATUS(podalloc_node_admit(&decision, node,
                                   TEXT("{\"spec\":{\"containers\":[{\"name\":\"c\"}]},\"x\":1e400}"),
                                   NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_last_error_message(),
            "pod JSON is malformed: x: the number \"1e400\" is beyond the range of a double");
  CHECK_STATUS(podalloc_node_admit_and_commit(&out, node, TEXT("[1e400]"), NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("[0]: the number \"1e400\"", 200);
  CHECK_STATUS(podalloc_pod_qos_class(&qos, TEXT("{\"a\":-1e400}"), 0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("a: the number \"-1e400\"", 200);
  CHECK_STATUS(podalloc_node_checkpoint_restore(node, TEXT("{\"checksum\":1e400}"), NULL, 0, NULL,
                                                0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("/checksum: the number \"1e400\"", 200);
  CHECK_STATUS(podalloc_node_checkpoint_restore(node, NULL, 0, TEXT("{\"checksum\":1e400}"), NULL,
                                                0, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("/checksum: the number \"1e400\"", 200);
  CHECK_STATUS(podalloc_node_checkpoint_restore(node, NULL, 0, NULL, 0, TEXT("[{\"x\":1e400}]"),
                                                NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("[0].x: the number \"1e400\"", 200);
  CHECK_STATUS(podalloc_node_resize(&out, node, TEXT("{\"metadata\":{\"uid\":\"u\"},\"y\":1e400}"),
                                    NULL, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("y: the number \"1e400\"", 200);
  options.usage_json = "{\"pod\":1e400}";
  options.usage_json_len = strlen(options.usage_json);
  CHECK_STATUS(podalloc_node_resize(&out, node, TEXT(kPod), &options, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("pod: the number \"1e400\"", 200);
  CHECK(parsed == NULL && created == NULL && decision == NULL && out.data == NULL && qos == -1);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);
}

static void test_echoed_input(podalloc_topology* topology, podalloc_node* node) {
  uint64_t words[64];
  size_t needed = 0;
  const size_t big = (size_t)10 << 20;
  char* s = (char*)malloc(big + 1);
  char* message_end;
  podalloc_node* created = NULL;
  size_t i;

  /* The fuzzer's cpuset: "0" and a byte that is not UTF-8. */
  size_t size = 0;
  char* text = c_test_read_file(c_test_shared_path("repro/cpuset_parse-non-utf8-message.txt"),
                                &size);
  CHECK(text != NULL);
  if (text != NULL) {
    CHECK_STATUS(podalloc_cpuset_parse(words, 64, &needed, text, size, NULL),
                 PODALLOC_INVALID_ARGUMENT);
    CHECK_STR(podalloc_last_error_message(),
              "cpuset \"0\\xff\": \"0\\xff\" in element \"0\\xff\" is not a CPU id");
    free(text);
  }
  /* An embedded NUL no longer cuts the message. */
  CHECK_STATUS(podalloc_cpuset_parse(words, 64, &needed, "1,\0" "2", 4, NULL),
               PODALLOC_INVALID_ARGUMENT);
  message_end = strstr(podalloc_last_error_message(), "is not a CPU id");
  CHECK(message_end != NULL);
  check_message("\\x00", 200);

  /* A 10 MB cpuset and a 10 MB uid give messages of a few hundred bytes. */
  if (s == NULL) return;
  memset(s, '7', big);
  s[big] = '\0';
  s[big - 1] = 'x';
  CHECK_STATUS(podalloc_cpuset_parse(words, 64, &needed, s, big, NULL),
               PODALLOC_INVALID_ARGUMENT);
  check_message("(10485760 bytes)", 600);
  memset(s, 'u', big);
  CHECK_STATUS(podalloc_node_remove_container(node, s, big, TEXT("c"), NULL), PODALLOC_NOT_FOUND);
  check_message("(10485760 bytes) is not admitted", 300);
  free(s);

  /* Node config: NaN% (item 3) and 10000 duplicate reservedMemory entries (item 13). */
  CHECK_STATUS(podalloc_node_create(&created, topology,
                                    TEXT("{\"evictionHard\":{\"memory.available\":\"NaN%\"}}"),
                                    NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_last_error_message(),
            "evictionHard.memory.available: \"NaN%\" is not a percentage");
  {
    const char entry[] = "{\"numaNode\":0,\"limits\":{\"memory\":\"1Ki\"}},";
    const size_t n = 10000;
    char* config = (char*)malloc(n * sizeof entry + 100);
    char* p = config;
    if (config == NULL) return;
    p += sprintf(p, "{\"memoryManagerPolicy\":\"Static\",\"reservedMemory\":[");
    for (i = 0; i < n; ++i) p += sprintf(p, "%s", entry);
    strcpy(p - 1, "]}");
    CHECK_STATUS(podalloc_node_create(&created, topology, config, strlen(config), NULL),
                 PODALLOC_INVALID_ARGUMENT);
    check_message("duplicate value for NUMA node 0", 300);
    free(config);
  }
  CHECK(created == NULL);
}

void test_bounds(void) {
  podalloc_topology* topology = NULL;
  podalloc_node* node = NULL;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_topology_from_synthetic(&topology, TEXT("pack:1 numa:2 core:2 pu:2"), NULL));
  CHECK_OK(podalloc_node_create(&node, topology,
                                TEXT("{\"cpuManagerPolicy\":\"static\",\"reservedSystemCPUs\":\"0\"}"),
                                NULL));
  CHECK_OK(podalloc_node_admit_and_commit(&out, node, TEXT(kPod), NULL));
  podalloc_buffer_free(&out);
  test_deep_nesting(topology, node);
  test_number_overflow(topology, node);
  test_echoed_input(topology, node);
  podalloc_node_destroy(node);
  podalloc_topology_destroy(topology);
}
