/* File: tests/capi/c_test_topology_inputs.c
 * Topology inputs the C ABI must refuse cleanly: hwloc XML that crashed or leaked inside
 * hwloc (tests/data/repro), files that are not regular files, and paths with a NUL byte. Each
 * refusal is INVALID_ARGUMENT with a message, and leaves the output untouched. */
#include <stdlib.h>

#include "c_test.h"

static int sentinel_storage;
#define SENTINEL_TOPOLOGY ((podalloc_topology*)(void*)&sentinel_storage)

/* The call failed with INVALID_ARGUMENT, its message holds `part`, and *out is untouched.
 * (The status is taken first: C leaves the order of argument evaluation open.) */
#define CHECK_REFUSED(call, part)                            \
  do {                                                       \
    podalloc_status refused_status_ = (call);                \
    check_refused(refused_status_, err, kept, (part));       \
    err = NULL;                                              \
  } while (0)

static void check_refused(podalloc_status status, podalloc_error* err, podalloc_topology* kept,
                          const char* part) {
  CHECK(status == PODALLOC_INVALID_ARGUMENT);
  CHECK(kept == SENTINEL_TOPOLOGY);
  CHECK(err != NULL);
  if (err != NULL) {
    CHECK(podalloc_error_code(err) == PODALLOC_INVALID_ARGUMENT);
    if (strstr(podalloc_error_message(err), part) == NULL) {
      ++c_test_failures;
      fprintf(stderr, "%s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__,
              podalloc_error_message(err), part);
    }
    podalloc_error_free(err);
  }
}

static void test_xml_reproducers(void) {
  static const char* const files[] = {
      "repro/topology_xml-hwloc-segv-strspn-21B.xml",
      "repro/topology_xml-hwloc-segv-bitmap_set.xml",
      "repro/topology_xml-hwloc-segv-bitmap_or.xml",
      "repro/topology_xml-hwloc-segv-bitmap_compare_first.xml",
      "repro/topology_xml-hwloc-leak.xml",
  };
  size_t i;
  for (i = 0; i < sizeof files / sizeof files[0]; ++i) {
    podalloc_topology* kept = SENTINEL_TOPOLOGY;
    podalloc_error* err = NULL;
    const char* path = c_test_shared_path(files[i]);
    size_t size = 0;
    char* xml = c_test_read_file(path, &size);
    CHECK(xml != NULL);
    CHECK_REFUSED(podalloc_topology_from_xml_file(&kept, TEXT(path), &err), ": line ");
    if (xml != NULL) {
      CHECK_REFUSED(podalloc_topology_from_xml(&kept, xml, size, &err), "XML topology: line ");
    }
    free(xml);
  }
}

static void test_special_files_and_nul_paths(void) {
  podalloc_topology* kept = SENTINEL_TOPOLOGY;
  podalloc_error* err = NULL;
  const char* fixture = c_test_shared_path("fixtures/hwloc-fakeheterodistances.xml");
  char cut[4200];
  size_t len = strlen(fixture);

  CHECK_REFUSED(podalloc_topology_from_xml_file(&kept, TEXT("/dev/zero"), &err),
                "/dev/zero is a character device");
  CHECK_REFUSED(podalloc_topology_from_xml_file(&kept, TEXT("/"), &err), "is a directory");

  /* The bytes before the NUL name a real file: refused, not read. */
  CHECK(len + 6 < sizeof cut);
  if (len + 6 < sizeof cut) {
    memcpy(cut, fixture, len);
    memcpy(cut + len, "\0.evil", 6);
    CHECK_REFUSED(podalloc_topology_from_xml_file(&kept, cut, len + 6, &err),
                  "\\x00.evil\" has a NUL byte at offset");
  }
  CHECK_REFUSED(podalloc_topology_from_sysfs(&kept, "/\0tmp", 5, &err),
                "root \"/\\x00tmp\" has a NUL byte at offset 1");
}

void test_topology_inputs(void);
void test_topology_inputs(void) {
  test_xml_reproducers();
  test_special_files_and_nul_paths();
}
