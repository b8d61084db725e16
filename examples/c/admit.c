/* File: examples/c/admit.c
 * Admits one pod on a machine and prints the decision as JSON.
 *
 *   podalloc-admit [pod.json [config.json [hwloc synthetic description]]]
 *
 * Without arguments it admits the KEP-5526 example pod (a 4-CPU pod budget, one container
 * asking for 2 exclusive CPUs, two sharing the rest) on a 2-NUMA, 16-CPU, 32 GiB machine under
 * the static CPU manager and the topology manager's pod scope. Exit status: 0 admitted,
 * 2 refused, 1 error. */
#include <podalloc/podalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char kMachine[] = "pack:1 numa:2(memory=16GiB) core:4 pu:2";

static const char kConfig[] =
    "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\","
    " \"topologyManagerPolicy\": \"single-numa-node\", \"topologyManagerScope\": \"pod\","
    " \"featureGates\": {\"PodLevelResourceManagers\": true}}";

static const char kPod[] =
    "{\"metadata\": {\"name\": \"kep-5526\", \"namespace\": \"default\", \"uid\": \"pod-1\"},"
    " \"spec\": {\"resources\": {\"requests\": {\"cpu\": \"4\", \"memory\": \"4Gi\"},"
    "                            \"limits\": {\"cpu\": \"4\", \"memory\": \"4Gi\"}},"
    "  \"containers\": ["
    "   {\"name\": \"container-1\", \"resources\": {\"requests\": {\"cpu\": \"2\", \"memory\": \"2Gi\"},"
    "                                              \"limits\": {\"cpu\": \"2\", \"memory\": \"2Gi\"}}},"
    "   {\"name\": \"container-2\"}, {\"name\": \"container-3\"}]}}";

/* Reads a file into memory the caller frees; NULL (with a message) on failure. */
static char* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  long n = -1;
  if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (data = (char*)malloc((size_t)n + 1)) != NULL &&
      fread(data, 1, (size_t)n, f) == (size_t)n) {
    data[n] = '\0';
    *size = (size_t)n;
  } else {
    fprintf(stderr, "cannot read %s\n", path);
    free(data);
    data = NULL;
  }
  if (f != NULL) fclose(f);
  return data;
}

int main(int argc, char** argv) {
  char* pod_file = NULL;
  char* config_file = NULL;
  const char* pod = kPod;
  const char* config = kConfig;
  const char* machine = argc > 3 ? argv[3] : kMachine;
  size_t pod_len = strlen(kPod), config_len = strlen(kConfig);
  podalloc_topology* topology = NULL;
  podalloc_node* node = NULL;
  podalloc_decision* decision = NULL;
  podalloc_buffer json = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  int status = 1;

  if (argc > 1 && (pod = pod_file = read_file(argv[1], &pod_len)) == NULL) return 1;
  if (argc > 2 && (config = config_file = read_file(argv[2], &config_len)) == NULL) {
    free(pod_file);
    return 1;
  }
  if (podalloc_topology_from_synthetic(&topology, machine, strlen(machine), &err) == PODALLOC_OK &&
      podalloc_node_create(&node, topology, config, config_len, &err) == PODALLOC_OK &&
      podalloc_node_admit(&decision, node, pod, pod_len, &err) == PODALLOC_OK &&
      podalloc_decision_to_json(&json, decision, &err) == PODALLOC_OK &&
      podalloc_node_commit(node, decision, &err) == PODALLOC_OK) {
    printf("%s\n", json.data);
    status = podalloc_decision_admitted(decision) ? 0 : 2;
  } else {
    fprintf(stderr, "podalloc: %s: %s\n", podalloc_status_name(podalloc_error_code(err)),
            podalloc_error_message(err));
  }
  podalloc_error_free(err);
  podalloc_buffer_free(&json);
  podalloc_decision_destroy(decision);
  podalloc_node_destroy(node);
  podalloc_topology_destroy(topology);
  free(pod_file);
  free(config_file);
  return status;
}
