/* File: tests/install/consumer/consumer.c
 * Uses the installed C ABI: the version it was compiled against must be the one it loads,
 * and a CPU take on a synthetic machine must give the kubelet's answer. */
#include <podalloc/podalloc.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  static const char kMachine[] = "pack:2 numa:1 core:4 pu:2";
  podalloc_topology* topology = NULL;
  podalloc_error* err = NULL;
  uint64_t all[1] = {0};
  uint64_t taken[1] = {0};
  char text[64];

  if (podalloc_version() / 10000 != PODALLOC_VERSION_MAJOR) {
    fprintf(stderr, "loaded podalloc %s, compiled against %s\n", podalloc_version_string(),
            PODALLOC_VERSION_STRING);
    return 1;
  }
  if (podalloc_topology_from_synthetic(&topology, kMachine, strlen(kMachine), &err) !=
          PODALLOC_OK ||
      podalloc_topology_cpus(all, 1, topology, &err) != PODALLOC_OK ||
      podalloc_cpuset_take(taken, 1, topology, all, 1, 4, NULL, &err) != PODALLOC_OK ||
      podalloc_cpuset_format(text, sizeof text, NULL, taken, 1, &err) != PODALLOC_OK) {
    fprintf(stderr, "podalloc: %s\n", podalloc_error_message(err));
    podalloc_error_free(err);
    podalloc_topology_destroy(topology);
    return 1;
  }
  podalloc_topology_destroy(topology);
  printf("podalloc %s: took %s\n", podalloc_version_string(), text);
  /* Two whole cores of the first socket. */
  return strcmp(text, "0-3") == 0 ? 0 : 1;
}
