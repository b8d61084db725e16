/* File: tests/capi/c_test_fits.c
 * The fit report of the NodeResourceTopology spec's worked examples (§7.2-7.4) through the C
 * ABI: the non-monotone example's 10 CPUs, per-zone answers, what-if policies, shapes, and bad
 * arguments. The nodes are those of c_test_nrt.c. */
#include <stdlib.h>
#include <string.h>

#include "c_test.h"

/* The report for `query`, in a static buffer. */
static const char* report_of(const podalloc_node* node, const char* query) {
  static char text[65536];
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  text[0] = '\0';
  CHECK_OK(podalloc_node_fit_report(&out, node, query, query != NULL ? strlen(query) : 0, NULL));
  if (out.data != NULL) snprintf(text, sizeof text, "%s", out.data);
  podalloc_buffer_free(&out);
  return text;
}

static void example4_fits(void) {
  podalloc_node* node = c_test_example_state(4);
  if (node == NULL) return;
  podalloc_buffer before = c_test_state_of(node);
  const char* report = report_of(node, "{\"allPolicies\": true}");
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);
  /* restricted: 1-5 and 9-10 CPUs are admitted, 6-8 refused; bisection would say 5. */
  C_TEST_CHECK_HAS(report,
                   "{\"policy\":\"restricted\",\"scope\":\"container\",\"configured\":true,"
                   "\"resources\":[{\"name\":\"cpu\",\"nrtAvailable\":\"10\",\"overall\":"
                   "{\"largest\":\"10\",\"numaAffinity\":[0,1],\"next\":{\"value\":\"11\",");
  /* The plugin does not filter under restricted: it would send the 6-8 CPU pods too. */
  C_TEST_CHECK_HAS(report, "\"zones\":[{\"zone\":\"node-0\",\"largest\":\"5\"},"
                           "{\"zone\":\"node-1\",\"largest\":\"5\"}],"
                           "\"plugin\":{\"largest\":\"10\",\"agrees\":false}");
  C_TEST_CHECK_HAS(report, "{\"policy\":\"single-numa-node\",\"scope\":\"container\","
                           "\"configured\":false,\"resources\":[{\"name\":\"cpu\","
                           "\"nrtAvailable\":\"10\",\"overall\":{\"largest\":\"5\"");
  C_TEST_CHECK_HAS(report, "{\"policy\":\"best-effort\",\"scope\":\"container\","
                           "\"configured\":false,\"resources\":[{\"name\":\"cpu\","
                           "\"nrtAvailable\":\"10\",\"overall\":{\"largest\":\"10\"");
  C_TEST_CHECK_HAS(report, "{\"policy\":\"none\",\"scope\":\"container\","
                           "\"configured\":false,\"resources\":[{\"name\":\"cpu\","
                           "\"nrtAvailable\":\"10\",\"overall\":{\"largest\":\"10\"");
  /* Pod scope, two containers of c CPUs: single-numa-node takes 2c <= 5. */
  const char* shapes = report_of(
      node,
      "{\"zones\": false, \"whatIf\": [{\"policy\": \"single-numa-node\", \"scope\": \"pod\"}],"
      " \"shapes\": [{\"metadata\": {\"name\": \"six\", \"namespace\": \"default\"},"
      " \"spec\": {\"containers\": [{\"name\": \"c\", \"resources\": {\"limits\":"
      " {\"cpu\": \"6\", \"memory\": \"1Gi\"}}}]}}]}");
  C_TEST_CHECK_HAS(shapes, "{\"policy\":\"single-numa-node\",\"scope\":\"pod\",\"configured\":"
                           "false,\"resources\":[{\"name\":\"cpu\",\"nrtAvailable\":\"10\","
                           "\"overall\":{\"largest\":\"5\"");
  C_TEST_CHECK_HAS(shapes, "\"shapes\":[{\"pod\":\"default/six\",\"admitted\":false,"
                           "\"reason\":\"TopologyAffinityError\"");
  podalloc_node_destroy(node);
}

static void example1_fits(void) {
  podalloc_node* node = c_test_example_state(1);
  if (node == NULL) return;
  /* single-numa-node: 11 CPUs on node 0, 10 on node 1 (two held there). No zone lists memory
   * (policy None) and every Guaranteed pod requests some: the plugin lets nothing through. */
  const char* report = report_of(node, NULL);
  C_TEST_CHECK_HAS(report, "\"resources\":[{\"name\":\"cpu\",\"nrtAvailable\":\"21\","
                           "\"overall\":{\"largest\":\"11\",\"numaAffinity\":[0],");
  C_TEST_CHECK_HAS(report, "\"zones\":[{\"zone\":\"node-0\",\"largest\":\"11\"},"
                           "{\"zone\":\"node-1\",\"largest\":\"10\"}],"
                           "\"plugin\":{\"largest\":\"0\",\"agrees\":false}");
  podalloc_node_destroy(node);
}

static void example2_fits(void) {
  podalloc_node* node = c_test_example_state(2);
  if (node == NULL) return;
  const char* report = report_of(node, NULL);
  C_TEST_CHECK_HAS(report, "\"fingerprint\":\"pfp0v001b24e3f1b387be5f9\"");
  C_TEST_CHECK_HAS(report, "{\"name\":\"cpu\",\"nrtAvailable\":\"26\",\"overall\":{\"largest\":"
                           "\"14\",\"numaAffinity\":[0],\"next\":{\"value\":\"15\",\"reason\":"
                           "\"TopologyAffinityError\"");
  /* single-numa-node: the plugin's Filter on these zones agrees with the kubelet. */
  C_TEST_CHECK_HAS(report, "\"zones\":[{\"zone\":\"node-0\",\"largest\":\"14\"},"
                           "{\"zone\":\"node-1\",\"largest\":\"12\"}],"
                           "\"plugin\":{\"largest\":\"14\",\"agrees\":true}");
  /* 55Gi and 47Gi; 8Gi and 6Gi of 1Gi pages. */
  C_TEST_CHECK_HAS(report, "{\"name\":\"memory\",\"nrtAvailable\":\"109521666048\",\"overall\":"
                           "{\"largest\":\"59055800320\",\"numaAffinity\":[0]");
  C_TEST_CHECK_HAS(report, "\"zones\":[{\"zone\":\"node-0\",\"largest\":\"59055800320\"},"
                           "{\"zone\":\"node-1\",\"largest\":\"50465865728\"}]");
  C_TEST_CHECK_HAS(report, "{\"name\":\"hugepages-1Gi\",\"nrtAvailable\":\"15032385536\","
                           "\"overall\":{\"largest\":\"8589934592\"");
  /* best-effort: 14 + 11 CPUs; 26 would pass the topology manager but not the predicate. */
  const char* best_effort =
      report_of(node, "{\"zones\": false, \"whatIf\": [{\"policy\": \"best-effort\"}]}");
  C_TEST_CHECK_HAS(best_effort, "\"configured\":false,\"resources\":[{\"name\":\"cpu\","
                                "\"nrtAvailable\":\"26\",\"overall\":{\"largest\":\"25\"");
  podalloc_node_destroy(node);
}

static void example3_fits(void) {
  podalloc_node* node = c_test_example_state(3);
  if (node == NULL) return;
  const char* report = report_of(node, "{\"whatIf\": [{\"policy\": \"best-effort\"}]}");
  /* restricted: a new pod's memory may only use the group {0,1}, never preferred. */
  C_TEST_CHECK_HAS(report, "\"configured\":true,\"resources\":[{\"name\":\"cpu\","
                           "\"nrtAvailable\":\"7\",\"overall\":{\"largest\":\"0\"");
  C_TEST_CHECK_HAS(report, "{\"name\":\"memory\",\"nrtAvailable\":\"6442450944\",\"overall\":"
                           "{\"largest\":\"0\"");
  C_TEST_CHECK_HAS(report, "\"configured\":false,\"resources\":[{\"name\":\"cpu\","
                           "\"nrtAvailable\":\"7\",\"overall\":{\"largest\":\"6\"");
  C_TEST_CHECK_HAS(report, "{\"name\":\"memory\",\"nrtAvailable\":\"6442450944\",\"overall\":"
                           "{\"largest\":\"6442450944\"");
  podalloc_node_destroy(node);
}

static void fit_bad_arguments(void) {
  podalloc_node* node = c_test_example_node(4);
  if (node == NULL) return;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  CHECK_STATUS(podalloc_node_fit_report(&out, NULL, NULL, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_fit_report(NULL, node, NULL, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_fit_report(&out, node, TEXT("{\"cpuFloor\": \"0\"}"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "floor") != NULL);
  podalloc_error_free(err);
  err = NULL;
  CHECK_STATUS(podalloc_node_fit_report(&out, node, TEXT("{\"whatIf\": [{\"policy\": \"x\"}]}"),
                                        &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_error_message(err), "\"x\"") != NULL);
  podalloc_error_free(err);
  CHECK(out.data == NULL);
  podalloc_node_destroy(node);
}

void test_fits(void) {
  example1_fits();
  example4_fits();
  example2_fits();
  example3_fits();
  fit_bad_arguments();
}
