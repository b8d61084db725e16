/* File: tests/install/consumer/consumer.c
 * Uses the installed C ABI: the version it was compiled against must be the one it loads, a
 * CPU take on a synthetic machine must give the kubelet's answer, and a node admits a pod. */
#include <podalloc/podalloc.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  static const char kMachine[] = "pack:2 numa:1 core:4 pu:2";
  static const char kPod[] = "{\"metadata\": {\"uid\": \"u\"}, \"spec\": {\"containers\": "
                             "[{\"name\": \"app\"}]}}";
  podalloc_topology* topology = NULL;
  podalloc_node* node = NULL;
  podalloc_buffer decision = PODALLOC_BUFFER_INIT;
  podalloc_error* err = NULL;
  uint64_t all[1] = {0};
  uint64_t taken[1] = {0};
  char text[64];
  int status;

  if (podalloc_version() / 10000 != PODALLOC_VERSION_MAJOR) {
    fprintf(stderr, "loaded podalloc %s, compiled against %s\n", podalloc_version_string(),
            PODALLOC_VERSION_STRING);
    return 1;
  }
  if (podalloc_topology_from_synthetic(&topology, kMachine, strlen(kMachine), &err) !=
          PODALLOC_OK ||
      podalloc_topology_cpus(all, 1, topology, &err) != PODALLOC_OK ||
      podalloc_cpuset_take(taken, 1, topology, all, 1, 4, NULL, &err) != PODALLOC_OK ||
      podalloc_cpuset_format(text, sizeof text, NULL, taken, 1, &err) != PODALLOC_OK ||
      podalloc_node_create(&node, topology, NULL, 0, &err) != PODALLOC_OK ||
      podalloc_node_admit_and_commit(&decision, node, kPod, strlen(kPod), &err) != PODALLOC_OK) {
    fprintf(stderr, "podalloc: %s\n", podalloc_error_message(err));
    podalloc_error_free(err);
    podalloc_node_destroy(node);
    podalloc_topology_destroy(topology);
    return 1;
  }
  printf("podalloc %s: took %s; %s\n", podalloc_version_string(), text, decision.data);
  /* Two whole cores of the first socket; the pod admitted. */
  status = strcmp(text, "0-3") == 0 && strstr(decision.data, "\"admitted\":true") != NULL ? 0 : 1;
  podalloc_buffer_free(&decision);
  podalloc_node_destroy(node);
  podalloc_topology_destroy(topology);
  return status;
}
