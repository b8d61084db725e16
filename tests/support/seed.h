// File: tests/support/seed.h
// Seeds of the randomised tests: a fresh one per run, which the test prints (INFO/CAPTURE), or
// the one in PODALLOC_TEST_SEED, so a printed failure can be run again exactly:
//   PODALLOC_TEST_SEED=1171000784 build/release/tests/test_cpu_manager "<test case name>"
#pragma once

#include <cstdint>

namespace podalloc::testing {

// PODALLOC_TEST_SEED when set (decimal), else a random seed.
uint64_t RandomSeed();

}  // namespace podalloc::testing
