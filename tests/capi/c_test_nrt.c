/* File: tests/capi/c_test_nrt.c
 * The worked examples of the NodeResourceTopology spec (shared/spec/noderesourcetopology.md §7)
 * through the C ABI: the exported zones and fingerprint (exact and rte modes), the pod
 * fingerprint of pod lists, and bad arguments. Inputs are in tests/data/derived/nrt. */
#include <stdlib.h>
#include <string.h>

#include "c_test.h"

static char* read_example(const char* relative, size_t* size) {
  char path[512];
  snprintf(path, sizeof path, "derived/nrt/%s", relative);
  char* text = c_test_read_file(c_test_shared_path(path), size);
  if (text == NULL) fprintf(stderr, "cannot read %s\n", path);
  return text;
}

/* A node of example `n` (its machine and configuration), NULL on failure. */
podalloc_node* c_test_example_node(int n) {
  char name[64];
  size_t topology_len = 0, config_len = 0;
  snprintf(name, sizeof name, "example%d-topology.json", n);
  char* topology_json = read_example(name, &topology_len);
  snprintf(name, sizeof name, "example%d-config.json", n);
  char* config = read_example(name, &config_len);
  podalloc_topology* topology = NULL;
  podalloc_node* node = NULL;
  if (topology_json != NULL && config != NULL) {
    CHECK_OK(podalloc_topology_from_json(&topology, topology_json, topology_len, NULL));
    CHECK_OK(podalloc_node_create(&node, topology, config, config_len, NULL));
  }
  podalloc_topology_destroy(topology);
  free(topology_json);
  free(config);
  return node;
}

void c_test_example_admit(podalloc_node* node, const char* uid) {
  char name[128];
  size_t len = 0;
  snprintf(name, sizeof name, "pods/%s.json", uid);
  char* pod = read_example(name, &len);
  if (pod == NULL) {
    CHECK(0);
    return;
  }
  podalloc_buffer decision = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_node_admit_and_commit(&decision, node, pod, len, NULL));
  CHECK(decision.data != NULL && strstr(decision.data, "\"admitted\":true") != NULL);
  podalloc_buffer_free(&decision);
  free(pod);
}

/* The node of example `n` after the example's history (1: restored from a CPU manager
 * checkpoint, CPUs 5 and 7 held by one container, which the packed allocator would not pick;
 * 2: the GPU's placement through a pod admitted first and removed at the end; 3: the
 * multi-NUMA pod; 4: the non-monotone state). */
podalloc_node* c_test_example_state(int n) {
  podalloc_node* node = c_test_example_node(n);
  if (node == NULL) return NULL;
  if (n == 1) {
    static const char kCpuState[] =
        "{\"policyName\":\"static\",\"defaultCpuSet\":\"0-4,6,8-23\","
        "\"entries\":{\"uid0\":{\"test-cnt-0\":\"5,7\"}}}";
    static const char kRunning[] =
        "[{\"metadata\":{\"uid\":\"uid0\",\"namespace\":\"default\",\"name\":\"test-pod-0\"},"
        "\"spec\":{\"containers\":[{\"name\":\"test-cnt-0\",\"resources\":{\"limits\":"
        "{\"cpu\":\"2\",\"memory\":\"1Gi\"}}}]}}]";
    CHECK_OK(podalloc_node_checkpoint_restore(node, TEXT(kCpuState), NULL, 0, TEXT(kRunning),
                                              NULL));
  } else if (n == 2) {
    c_test_example_admit(node, "filler");
    c_test_example_admit(node, "trainer-0");
    c_test_example_admit(node, "node-exporter-abcde");
    CHECK_OK(podalloc_node_remove_pod(node, TEXT("filler"), NULL));
  } else if (n == 3) {
    c_test_example_admit(node, "bigmem-0");
  } else if (n == 4) {
    c_test_example_admit(node, "pod-x");
    c_test_example_admit(node, "pod-b");
    CHECK_OK(podalloc_node_remove_pod(node, TEXT("pod-x"), NULL));
    c_test_example_admit(node, "pod-a");
  }
  return node;
}

/* The node's NRT object with the given options, in a static buffer. */
static const char* nrt_of(const podalloc_node* node, const char* options, uint32_t flags) {
  static char text[16384];
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  text[0] = '\0';
  CHECK_OK(podalloc_node_nrt(&out, node, TEXT(options), flags, NULL));
  if (out.data != NULL) {
    snprintf(text, sizeof text, "%s", out.data);
  }
  podalloc_buffer_free(&out);
  return text;
}

static const char kOptions[] = "{\"nodeName\": \"worker-0\"}";
static const char kRteOptions[] = "{\"nodeName\": \"worker-0\", \"mode\": \"rte\"}";

static void example2(void) {
  podalloc_node* node = c_test_example_state(2);
  if (node == NULL) return;
  const char* nrt = nrt_of(node,
                           "{\"nodeName\": \"worker-0\", "
                           "\"nodeUID\": \"0b7d3f6e-0000-4000-8000-000000000000\"}",
                           0);
  C_TEST_CHECK_HAS(nrt,
            "{\"apiVersion\":\"topology.node.k8s.io/v1alpha2\",\"kind\":\"NodeResourceTopology\","
            "\"metadata\":{\"name\":\"worker-0\",\"annotations\":{\"topology.node.k8s.io/"
            "fingerprint\":\"pfp0v001b24e3f1b387be5f9\"},\"ownerReferences\":[{\"apiVersion\":"
            "\"v1\",\"kind\":\"Node\",\"name\":\"worker-0\",\"uid\":"
            "\"0b7d3f6e-0000-4000-8000-000000000000\"}]},\"zones\":[");
  C_TEST_CHECK_HAS(nrt,
            "{\"name\":\"node-0\",\"type\":\"Node\",\"costs\":[{\"name\":\"node-0\",\"value\":10},"
            "{\"name\":\"node-1\",\"value\":21}],\"resources\":["
            "{\"name\":\"cpu\",\"capacity\":\"16\",\"allocatable\":\"14\",\"available\":\"14\"},"
            "{\"name\":\"hugepages-1Gi\",\"capacity\":\"8589934592\",\"allocatable\":"
            "\"8589934592\",\"available\":\"8589934592\"},"
            "{\"name\":\"memory\",\"capacity\":\"68719476736\",\"allocatable\":\"59055800320\","
            "\"available\":\"59055800320\"}]}");
  C_TEST_CHECK_HAS(nrt,
            "{\"name\":\"node-1\",\"type\":\"Node\",\"costs\":[{\"name\":\"node-0\",\"value\":21},"
            "{\"name\":\"node-1\",\"value\":10}],\"resources\":["
            "{\"name\":\"cpu\",\"capacity\":\"16\",\"allocatable\":\"16\",\"available\":\"12\"},"
            "{\"name\":\"hugepages-1Gi\",\"capacity\":\"8589934592\",\"allocatable\":"
            "\"8589934592\",\"available\":\"6442450944\"},"
            "{\"name\":\"memory\",\"capacity\":\"68719476736\",\"allocatable\":\"59055800320\","
            "\"available\":\"50465865728\"}]}");
  C_TEST_CHECK_HAS(nrt,
            "\"attributes\":[{\"name\":\"nodeTopologyPodsFingerprint\",\"value\":"
            "\"pfp0v001b24e3f1b387be5f9\"},{\"name\":\"nodeTopologyPodsFingerprintMethod\","
            "\"value\":\"with-exclusive-resources\"},{\"name\":\"topologyManagerScope\",\"value\":"
            "\"container\"},{\"name\":\"topologyManagerPolicy\",\"value\":\"single-numa-node\"}]}");
  /* No multi-NUMA block, no init container: the exporter's arithmetic gives the same zones. */
  const char* rte = nrt_of(node, kRteOptions, 0);
  C_TEST_CHECK_HAS(rte, "{\"name\":\"memory\",\"capacity\":\"68719476736\",\"allocatable\":"
                 "\"59055800320\",\"available\":\"50465865728\"}");
  C_TEST_CHECK_HAS(rte, "{\"name\":\"cpu\",\"capacity\":\"16\",\"allocatable\":\"16\","
                 "\"available\":\"12\"}");
  /* Method all covers the Burstable pod too; NFD's deprecated policy value on request. */
  const char* all = nrt_of(node,
                           "{\"nodeName\": \"worker-0\", \"method\": \"all\", "
                           "\"legacyTopologyPolicies\": true}",
                           0);
  C_TEST_CHECK_HAS(all, "\"pfp0v001c8978905147a4c26\"");
  C_TEST_CHECK_HAS(all, "\"topologyPolicies\":[\"SingleNUMANodeContainerLevel\"],\"zones\"");
  /* YAML: the same object, block style. */
  const char* yaml = nrt_of(node, kOptions, PODALLOC_NRT_YAML);
  C_TEST_CHECK_HAS(yaml, "\"apiVersion\": \"topology.node.k8s.io/v1alpha2\"\n\"kind\": "
                  "\"NodeResourceTopology\"\n");
  C_TEST_CHECK_HAS(yaml, "  - \"name\": \"cpu\"\n    \"capacity\": \"16\"\n    \"allocatable\": \"16\"\n"
                  "    \"available\": \"12\"\n");
  podalloc_node_destroy(node);
}

static void example1(void) {
  podalloc_node* node = c_test_example_state(1);
  if (node == NULL) return;
  /* Memory policy None: CPU rows only; node 0 lost CPU 0 to the reservation, node 1 the two
   * CPUs of the running container. Either fingerprint rule selects that pod. */
  const char* nrt = nrt_of(node, kOptions, 0);
  C_TEST_CHECK_HAS(nrt, "\"resources\":[{\"name\":\"cpu\",\"capacity\":\"12\","
                        "\"allocatable\":\"11\",\"available\":\"11\"}]");
  C_TEST_CHECK_HAS(nrt, "\"resources\":[{\"name\":\"cpu\",\"capacity\":\"12\","
                        "\"allocatable\":\"12\",\"available\":\"10\"}]");
  C_TEST_CHECK_HAS(nrt, "\"pfp0v001fe53c4dbd2c5f4a0\"");
  C_TEST_CHECK_HAS(nrt_of(node, kRteOptions, 0), "\"pfp0v001fe53c4dbd2c5f4a0\"");
  podalloc_node_destroy(node);
}

static void example3(void) {
  podalloc_node* node = c_test_example_state(3);
  if (node == NULL) return;
  /* The 14Gi block spans both nodes: the memory manager charged node 0 fully, then 4Gi of
   * node 1; the exporter subtracts the whole block from each (clamped at 0). */
  const char* nrt = nrt_of(node, kOptions, 0);
  C_TEST_CHECK_HAS(nrt, "\"name\":\"node-0\",\"type\":\"Node\",\"costs\":[{\"name\":\"node-0\","
                 "\"value\":10},{\"name\":\"node-1\",\"value\":20}],\"resources\":["
                 "{\"name\":\"cpu\",\"capacity\":\"4\",\"allocatable\":\"3\",\"available\":\"3\"},"
                 "{\"name\":\"memory\",\"capacity\":\"12884901888\",\"allocatable\":"
                 "\"10737418240\",\"available\":\"0\"}]");
  C_TEST_CHECK_HAS(nrt, "\"resources\":[{\"name\":\"cpu\",\"capacity\":\"4\",\"allocatable\":\"4\","
                 "\"available\":\"4\"},{\"name\":\"memory\",\"capacity\":\"12884901888\","
                 "\"allocatable\":\"10737418240\",\"available\":\"6442450944\"}]");
  C_TEST_CHECK_HAS(nrt, "\"pfp0v001d25c0db11ed3e5c5\"");
  const char* rte = nrt_of(node, kRteOptions, 0);
  C_TEST_CHECK_HAS(rte, "\"resources\":[{\"name\":\"cpu\",\"capacity\":\"4\",\"allocatable\":\"4\","
                 "\"available\":\"4\"},{\"name\":\"memory\",\"capacity\":\"12884901888\","
                 "\"allocatable\":\"10737418240\",\"available\":\"0\"}]");
  podalloc_node_destroy(node);
}

static void example4(void) {
  podalloc_node* node = c_test_example_state(4);
  if (node == NULL) return;
  const char* nrt = nrt_of(node, kOptions, 0);
  /* Memory policy None: no memory rows. */
  C_TEST_CHECK_HAS(nrt, "\"resources\":[{\"name\":\"cpu\",\"capacity\":\"8\",\"allocatable\":\"7\","
                 "\"available\":\"5\"}]}");
  C_TEST_CHECK_HAS(nrt, "\"resources\":[{\"name\":\"cpu\",\"capacity\":\"8\",\"allocatable\":\"8\","
                 "\"available\":\"5\"}]}");
  C_TEST_CHECK_HAS(nrt, "\"pfp0v0017628d51feb3f3a36\"");
  CHECK(strstr(nrt, "\"memory\"") == NULL);
  /* A resource exclude list for this node (or every node) drops the rows; an emptied zone
   * keeps its name and costs. */
  const char* excluded =
      nrt_of(node, "{\"nodeName\": \"worker-0\", \"resourceExclude\": {\"*\": [\"cpu\"]}}", 0);
  CHECK(strstr(excluded, "\"resources\"") == NULL);
  C_TEST_CHECK_HAS(excluded, "{\"name\":\"node-1\",\"type\":\"Node\",\"costs\":[{\"name\":\"node-0\","
                      "\"value\":20},{\"name\":\"node-1\",\"value\":10}]}");
  podalloc_node_destroy(node);
}

static void fingerprints(void) {
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_pod_fingerprint(
      &out,
      TEXT("[{\"metadata\": {\"namespace\": \"kube-system\", \"name\": \"node-exporter-abcde\"}},"
           " {\"metadata\": {\"namespace\": \"default\", \"name\": \"trainer-0\"}}]"),
      NULL));
  CHECK_STR(out.data, "pfp0v001c8978905147a4c26");
  podalloc_buffer_free(&out);
  CHECK_OK(podalloc_pod_fingerprint(&out, TEXT("{\"kind\": \"List\", \"items\": []}"), NULL));
  CHECK_STR(out.data, "pfp0v001ef46db3751d8e999");
  podalloc_buffer_free(&out);
  CHECK_OK(podalloc_pod_fingerprint(
      &out,
      TEXT("[{\"metadata\": {\"namespace\": \"ns1\", \"name\": \"n1\"}},"
           " {\"metadata\": {\"namespace\": \"ns1\", \"name\": \"n2\"}},"
           " {\"metadata\": {\"namespace\": \"ns2\", \"name\": \"n1\"}},"
           " {\"metadata\": {\"namespace\": \"ns3\", \"name\": \"n1\"}},"
           " {\"metadata\": {\"namespace\": \"ns3\", \"name\": \"n2\"}}]"),
      NULL));
  CHECK_STR(out.data, "pfp0v001b92008c14168b3a6");
  podalloc_buffer_free(&out);
  podalloc_error* err = NULL;
  CHECK_STATUS(podalloc_pod_fingerprint(&out, TEXT("[{\"metadata\": {\"name\": 3}}]"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "pods_json[0].metadata.name") != NULL);
  podalloc_error_free(err);
  CHECK(out.data == NULL);
  CHECK_STATUS(podalloc_pod_fingerprint(NULL, TEXT("[]"), NULL), PODALLOC_INVALID_ARGUMENT);
}

static void bad_arguments(void) {
  podalloc_node* node = c_test_example_node(4);
  if (node == NULL) return;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  CHECK_STATUS(podalloc_node_nrt(&out, NULL, TEXT(kOptions), 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_nrt(NULL, node, TEXT(kOptions), 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_nrt(&out, node, TEXT(kOptions), 0x80u, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_nrt(&out, node, TEXT("{}"), 0, &err), PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "nodeName") != NULL);
  podalloc_error_free(err);
  err = NULL;
  CHECK_STATUS(podalloc_node_nrt(&out, node, TEXT("{\"nodeName\": \"w\", \"mode\": \"nfd\"}"), 0,
                                 &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "mode") != NULL);
  podalloc_error_free(err);
  err = NULL;
  CHECK_STATUS(podalloc_node_nrt(&out, node, TEXT("{\"nodeName\": \"w\", \"colour\": 1}"), 0,
                                 &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "colour") != NULL);
  podalloc_error_free(err);
  CHECK(out.data == NULL);
  podalloc_node_destroy(node);
}

void test_nrt(void) {
  example2();
  example3();
  example1();
  example4();
  fingerprints();
  bad_arguments();
}
