// File: capi/version.cc
// The version of the loaded library, for bindings that check it against the header they
// were built with.

#include "podalloc/podalloc.h"

static_assert(PODALLOC_VERSION_NUMBER ==
                  PODALLOC_VERSION_MAJOR * 10000 + PODALLOC_VERSION_MINOR * 100 +
                      PODALLOC_VERSION_PATCH,
              "version number formula");

extern "C" {

PODALLOC_API uint32_t podalloc_version(void) noexcept { return PODALLOC_VERSION_NUMBER; }

PODALLOC_API const char* podalloc_version_string(void) noexcept {
  return PODALLOC_VERSION_STRING;
}

}  // extern "C"
