/* File: tests/capi/c_test_take_count.c
 * The reproducers of tests/data/repro/c/take_count.c and take_count_node.c as checks: a take
 * through the C ABI returns exactly the CPUs asked (machines whose cores or sockets are larger
 * than the kubelet's header arithmetic says, core ids reused across sockets), and so does a
 * Guaranteed container admitted on such a machine. */
#include <stdlib.h>

#include "c_test.h"

static podalloc_topology* load_repro(const char* name) {
  char relative[256];
  size_t size = 0;
  char* data;
  podalloc_topology* t = NULL;
  snprintf(relative, sizeof relative, "repro/%s", name);
  data = c_test_read_file(c_test_shared_path(relative), &size);
  CHECK(data != NULL);
  if (data == NULL) return NULL;
  if (strstr(name, ".xml") != NULL) {
    CHECK_OK(podalloc_topology_from_xml(&t, data, size, NULL));
  } else {
    CHECK_OK(podalloc_topology_from_json(&t, data, size, NULL));
  }
  free(data);
  return t;
}

static int popcount(const uint64_t* mask, size_t words) {
  int n = 0;
  size_t w;
  for (w = 0; w < words; ++w) {
    uint64_t b = mask[w];
    for (; b != 0; b &= b - 1) ++n;
  }
  return n;
}

/* Every count, every flag combination the options allow: OK means exactly k CPUs, all of
 * them available; the only error is asking for more CPUs than are available. */
static void every_count_is_exact(const char* name) {
  static const uint32_t kFlags[] = {0, PODALLOC_TAKE_SPREAD_ACROSS_CORES,
                                    PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE,
                                    PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA};
  podalloc_topology* t = load_repro(name);
  size_t words, f, w;
  uint64_t *all, *out;
  int k, group, cpus, wrong = 0;
  if (t == NULL) return;
  words = podalloc_topology_cpuset_words(t);
  all = calloc(words, sizeof *all);
  out = calloc(words, sizeof *out);
  CHECK_OK(podalloc_topology_cpus(all, words, t, NULL));
  cpus = popcount(all, words);
  for (f = 0; f < sizeof kFlags / sizeof kFlags[0]; ++f) {
    for (group = 0; group <= 2; ++group) {
      podalloc_take_options o = PODALLOC_TAKE_OPTIONS_INIT;
      if (group > 0 && kFlags[f] != PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA) continue;
      o.flags = kFlags[f];
      o.cpu_group_size = group;
      for (k = 1; k <= cpus; ++k) {
        podalloc_status st = podalloc_cpuset_take(out, words, t, all, words, k, &o, NULL);
        int inside = 1;
        for (w = 0; w < words; ++w) inside &= (out[w] & ~all[w]) == 0;
        if (st != PODALLOC_OK || popcount(out, words) != k || !inside) {
          if (wrong++ < 3) {
            fprintf(stderr, "%s: take(%d, flags %u, group %d) -> %s with %d CPUs\n", name, k,
                    (unsigned)o.flags, group, podalloc_status_name(st), popcount(out, words));
          }
        }
      }
    }
  }
  CHECK(wrong == 0);
  free(all);
  free(out);
  podalloc_topology_destroy(t);
}

/* take_count_node.c: Guaranteed containers of 40..100 CPUs on the record whose core ids repeat
 * across sockets (CPU 191 reserved) get exactly that many CPUs. The record has no memory, so
 * resource fit would refuse every pod; the machine is its copy with 64 GiB per NUMA node
 * (tests/data/derived/). */
static void admitted_containers_get_their_count(void) {
  static const char kConfig[] = "{\"cpuManagerPolicy\":\"static\",\"reservedSystemCPUs\":\"191\"}";
  podalloc_topology* t = load_repro("../derived/repeated-core-ids-192cpu-64gi-numa.json");
  int k, wrong = 0;
  if (t == NULL) return;
  for (k = 40; k <= 100; k += 2) {
    podalloc_node* node = NULL;
    podalloc_buffer d = PODALLOC_BUFFER_INIT;
    char pod[512], set[1024] = {0};
    const char* cpus;
    uint64_t mask[4] = {0};
    CHECK_OK(podalloc_node_create(&node, t, TEXT(kConfig), NULL));
    snprintf(pod, sizeof pod,
             "{\"metadata\":{\"uid\":\"u\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":"
             "{\"limits\":{\"cpu\":\"%d\",\"memory\":\"1Gi\"}}}]}}",
             k);
    CHECK_OK(podalloc_node_admit_and_commit(&d, node, TEXT(pod), NULL));
    cpus = d.data != NULL ? strstr(d.data, "\"cpus\":\"") : NULL;
    CHECK(cpus != NULL && strstr(d.data, "\"admitted\":true") != NULL);
    if (cpus != NULL) sscanf(cpus + 8, "%1023[^\"]", set);
    CHECK_OK(podalloc_cpuset_parse(mask, 4, NULL, TEXT(set), NULL));
    if (popcount(mask, 4) != k && wrong++ < 3) {
      fprintf(stderr, "container asked %d CPUs, got %d: %s\n", k, popcount(mask, 4), set);
    }
    podalloc_buffer_free(&d);
    podalloc_node_destroy(node);
  }
  CHECK(wrong == 0);
  podalloc_topology_destroy(t);
}

void test_take_count(void) {
  every_count_is_exact("topology_json-take-returns-fewer-cpus.json");
  every_count_is_exact("topology_json-take-INTERNAL-accounting-error.json");
  /* The machine hwloc once built from the damaged topology_xml-distribute-take-returns-fewer-
   * cpus.xml, which the XML check now refuses (see tests/data/README.md). */
  every_count_is_exact("../derived/uneven-cores-44cpu-23core.json");
  admitted_containers_get_their_count();
}
