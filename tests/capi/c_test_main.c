/* File: tests/capi/c_test_main.c
 * The C-language test of the C ABI, as a C program sees it: every call, its bad-argument
 * cases (NULL, invalid JSON, wrong struct_size), and that a failed call leaves outputs and
 * handles as they were. Usage: capi_c_test <shared dir> <unpacked fixtures dir>. */
#include <stdlib.h>

#include "c_test.h"

int c_test_failures = 0;
int c_test_checks = 0;
const char* c_test_shared_dir = "";
const char* c_test_unpacked_dir = "";

char* c_test_read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* data;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  data = (char*)malloc((size_t)n + 1);
  if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
    free(data);
    data = NULL;
  }
  fclose(f);
  if (data != NULL) {
    data[n] = '\0';
    *size = (size_t)n;
  }
  return data;
}

const char* c_test_shared_path(const char* relative) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", c_test_shared_dir, relative);
  return path;
}

void test_version_and_errors(void) {
  podalloc_error* err = NULL;
  podalloc_topology* topology = NULL;
  podalloc_buffer buf = PODALLOC_BUFFER_INIT;
  char version[32];

  /* Version: runtime matches the header. */
  CHECK(podalloc_version() == PODALLOC_VERSION_NUMBER);
  CHECK(podalloc_version() / 10000 == PODALLOC_VERSION_MAJOR);
  CHECK_STR(podalloc_version_string(), PODALLOC_VERSION_STRING);
  snprintf(version, sizeof version, "%d.%d.%d", PODALLOC_VERSION_MAJOR, PODALLOC_VERSION_MINOR,
           PODALLOC_VERSION_PATCH);
  CHECK_STR(podalloc_version_string(), version);

  /* Status names are fixed, including for values the header does not name. */
  CHECK_STR(podalloc_status_name(PODALLOC_OK), "OK");
  CHECK_STR(podalloc_status_name(PODALLOC_INVALID_ARGUMENT), "INVALID_ARGUMENT");
  CHECK_STR(podalloc_status_name(PODALLOC_DATA_LOSS), "DATA_LOSS");
  CHECK_STR(podalloc_status_name(PODALLOC_UNAUTHENTICATED), "UNAUTHENTICATED");
  CHECK_STR(podalloc_status_name(17), "UNKNOWN_STATUS");
  CHECK_STR(podalloc_status_name(-1), "UNKNOWN_STATUS");
  CHECK(PODALLOC_NOT_FOUND == 5 && PODALLOC_RESOURCE_EXHAUSTED == 8 &&
        PODALLOC_FAILED_PRECONDITION == 9 && PODALLOC_INTERNAL == 13);

  /* NULL error objects read as success; freeing NULL does nothing. */
  CHECK(podalloc_error_code(NULL) == PODALLOC_OK);
  CHECK_STR(podalloc_error_message(NULL), "");
  podalloc_error_free(NULL);

  /* A failure fills the error object and the thread's last error alike. */
  CHECK_STATUS(podalloc_topology_from_json(&topology, TEXT("{not json"), &err),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(topology == NULL);
  CHECK(err != NULL);
  CHECK(podalloc_error_code(err) == PODALLOC_INVALID_ARGUMENT);
  CHECK(strlen(podalloc_error_message(err)) > 0);
  CHECK(podalloc_last_error_code() == PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_last_error_message(), podalloc_error_message(err));
  podalloc_error_free(err);
  err = NULL;

  /* Without an error out-parameter the message is still on the thread. */
  CHECK_STATUS(podalloc_topology_from_json(NULL, TEXT("{}"), NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_last_error_message(), "out is NULL");

  /* A successful call resets the last error and leaves *err alone. */
  CHECK_OK(podalloc_topology_from_synthetic(&topology, TEXT("pack:1 core:2 pu:1"), &err));
  CHECK(err == NULL);
  CHECK(podalloc_last_error_code() == PODALLOC_OK);
  CHECK_STR(podalloc_last_error_message(), "");
  podalloc_topology_destroy(topology);
  topology = NULL;
  podalloc_topology_destroy(NULL);

  /* Buffers: freeing NULL, an empty buffer and a freed buffer is harmless. */
  podalloc_buffer_free(NULL);
  podalloc_buffer_free(&buf);
  CHECK(buf.data == NULL && buf.size == 0);

  /* A length with a NULL text is an error; NULL with length 0 is the empty text. */
  CHECK_STATUS(podalloc_topology_from_json(&topology, NULL, 3, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK_STR(podalloc_last_error_message(), "json is NULL but its length is 3");
  CHECK_STATUS(podalloc_topology_from_json(&topology, NULL, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  CHECK(topology == NULL);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <shared dir> <unpacked fixtures dir>\n", argv[0]);
    return 2;
  }
  c_test_shared_dir = argv[1];
  c_test_unpacked_dir = argv[2];
  test_version_and_errors();
  test_topology();
  test_hotpath();
  test_take_count();
  test_node();
  test_resize();
  test_kubelet_config();
  test_repro();
  test_bounds();
  test_resource_fit();
  test_typed();
  test_resize_typed();
  test_devices();
  test_nrt();
  test_fits();
  printf("%d checks, %d failed\n", c_test_checks, c_test_failures);
  return c_test_failures == 0 ? 0 : 1;
}
