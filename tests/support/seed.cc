#include "support/seed.h"

#include <cstdlib>
#include <random>
#include <string>

#include <catch2/catch.hpp>

namespace podalloc::testing {

uint64_t RandomSeed() {
  if (const char* text = std::getenv("PODALLOC_TEST_SEED"); text != nullptr && *text != '\0') {
    char* end = nullptr;
    const unsigned long long seed = std::strtoull(text, &end, 10);
    if (end != nullptr && *end == '\0') return seed;
    FAIL("PODALLOC_TEST_SEED=" << text << " is not a decimal number");
  }
  return std::random_device{}();
}

}  // namespace podalloc::testing
