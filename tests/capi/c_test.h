/* File: tests/capi/c_test.h
 * A minimal harness for the C-language test of the C ABI: checks count failures and print
 * where they happened, so one run reports every broken call. */
#ifndef PODALLOC_TESTS_CAPI_C_TEST_H_
#define PODALLOC_TESTS_CAPI_C_TEST_H_

#include <stdio.h>
#include <string.h>

#include "podalloc/podalloc.h"

extern int c_test_failures;
extern int c_test_checks;
/* Folders given on the command line. */
extern const char* c_test_shared_dir;   /* holds fixtures/ and conformance/ */
extern const char* c_test_unpacked_dir; /* the sysfs captures, unpacked */

#define CHECK(cond)                                                              \
  do {                                                                           \
    ++c_test_checks;                                                             \
    if (!(cond)) {                                                               \
      ++c_test_failures;                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                            \
  } while (0)

/* A call's status, with the thread's last error message on mismatch. */
#define CHECK_STATUS(call, expected)                                                 \
  do {                                                                               \
    podalloc_status check_status_ = (call);                                          \
    ++c_test_checks;                                                                 \
    if (check_status_ != (expected)) {                                               \
      ++c_test_failures;                                                             \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s: %s\n", __FILE__, __LINE__, \
              #call, podalloc_status_name(check_status_),                            \
              podalloc_status_name(expected), podalloc_last_error_message());        \
    }                                                                                \
  } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, PODALLOC_OK)

#define CHECK_STR(actual, expected)                                                       \
  do {                                                                                    \
    const char* check_a_ = (actual);                                                      \
    const char* check_e_ = (expected);                                                    \
    ++c_test_checks;                                                                      \
    if (check_a_ == NULL || strcmp(check_a_, check_e_) != 0) {                            \
      ++c_test_failures;                                                                  \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__,      \
              #actual, check_a_ ? check_a_ : "(null)", check_e_);                         \
    }                                                                                     \
  } while (0)

/* Text with its length, for the (pointer, length) arguments. */
#define TEXT(s) (s), strlen(s)

/* Reads a whole file into a buffer the caller frees with free(); NULL on failure. */
char* c_test_read_file(const char* path, size_t* size);
/* "<c_test_shared_dir>/<relative>" in a static buffer, valid until the next call. */
const char* c_test_shared_path(const char* relative);

/* The node's state JSON, in a buffer the caller frees with podalloc_buffer_free. */
podalloc_buffer c_test_state_of(const podalloc_node* node);
/* 1 when the node's state JSON is byte for byte `before`. */
int c_test_same_state(const podalloc_buffer* before, const podalloc_node* node);

void test_version_and_errors(void);
void test_topology(void);
void test_hotpath(void);
void test_take_count(void);
void test_node(void);
void test_resize(void);
void test_kubelet_config(void);
void test_repro(void);
void test_bounds(void);
void test_resource_fit(void);
void test_typed(void);
void test_resize_typed(void);
void test_devices(void);

/* NodeResourceTopology and what still fits (c_test_nrt.c, c_test_fits.c). */
void test_nrt(void);
void test_fits(void);
/* A node of the NRT spec's worked example `n` (tests/data/derived/nrt); NULL on failure. */
podalloc_node* c_test_example_node(int n);
/* Admits and commits the example pod with this UID, checking it is admitted. */
void c_test_example_admit(podalloc_node* node, const char* uid);
/* The node of example `n` (2, 3 or 4) after the example's admissions and removals. */
podalloc_node* c_test_example_state(int n);
/* `piece` occurs in `text`. */
#define C_TEST_CHECK_HAS(text, piece)                                             \
  do {                                                                            \
    ++c_test_checks;                                                              \
    if (strstr((text), (piece)) == NULL) {                                        \
      ++c_test_failures;                                                          \
      fprintf(stderr, "%s:%d: missing %s\n  in %s\n", __FILE__, __LINE__, (piece), \
              (text));                                                            \
    }                                                                             \
  } while (0)

#endif /* PODALLOC_TESTS_CAPI_C_TEST_H_ */
