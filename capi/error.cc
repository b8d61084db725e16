// File: capi/error.cc
// Status codes, error objects and the per-thread last error of the C ABI. The C codes are
// absl::StatusCode's numbers, so the mapping is the identity; codes absl may add later
// fall back to UNKNOWN so a caller never sees a value the header does not name.

#include <string>

#include "guard.h"

struct podalloc_error {
  podalloc_status code;
  std::string message;
};

namespace podalloc::capi {
namespace {

// Handed out when the error object itself cannot be allocated; podalloc_error_free
// recognises it and leaves it alone.
podalloc_error& OutOfMemoryError() {
  static podalloc_error error{PODALLOC_RESOURCE_EXHAUSTED, "out of memory"};
  return error;
}

struct LastError {
  podalloc_status code = PODALLOC_OK;
  std::string message;
  // Set instead of `message` when copying the message failed.
  const char* fallback = nullptr;
};

LastError& ThreadLastError() {
  thread_local LastError last;
  return last;
}

podalloc_status ToCode(absl::StatusCode code) {
  const int value = static_cast<int>(code);
  return value >= PODALLOC_OK && value <= PODALLOC_UNAUTHENTICATED ? value : PODALLOC_UNKNOWN;
}

podalloc_status Record(podalloc_error** err, podalloc_status code, std::string_view message,
                       const char* fallback) noexcept {
  LastError& last = ThreadLastError();
  last.code = code;
  try {
    last.message.assign(message.data(), message.size());
    last.fallback = nullptr;
  } catch (...) {
    last.message.clear();
    last.fallback = fallback;
  }
  if (err != nullptr) {
    try {
      *err = new podalloc_error{code, std::string(message)};
    } catch (...) {
      *err = &OutOfMemoryError();
    }
  }
  return code;
}

}  // namespace

podalloc_status ReportFailure(podalloc_error** err, const absl::Status& status) noexcept {
  const absl::string_view message = status.message();
  return Record(err, ToCode(status.code()), std::string_view(message.data(), message.size()),
                "(the error message could not be stored: out of memory)");
}

podalloc_status ReportOutOfMemory(podalloc_error** err) noexcept {
  return Record(err, PODALLOC_RESOURCE_EXHAUSTED, "out of memory", "out of memory");
}

podalloc_status ReportException(podalloc_error** err, const char* what) noexcept {
  std::string_view text = what != nullptr ? std::string_view(what) : "unknown exception";
  return Record(err, PODALLOC_INTERNAL, text, "internal error: unexpected exception");
}

void ReportSuccess() noexcept {
  LastError& last = ThreadLastError();
  last.code = PODALLOC_OK;
  last.message.clear();
  last.fallback = nullptr;
}

}  // namespace podalloc::capi

extern "C" {

PODALLOC_API const char* podalloc_status_name(podalloc_status status) noexcept {
  switch (status) {
    case PODALLOC_OK: return "OK";
    case PODALLOC_CANCELLED: return "CANCELLED";
    case PODALLOC_UNKNOWN: return "UNKNOWN";
    case PODALLOC_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case PODALLOC_DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case PODALLOC_NOT_FOUND: return "NOT_FOUND";
    case PODALLOC_ALREADY_EXISTS: return "ALREADY_EXISTS";
    case PODALLOC_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case PODALLOC_RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case PODALLOC_FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case PODALLOC_ABORTED: return "ABORTED";
    case PODALLOC_OUT_OF_RANGE: return "OUT_OF_RANGE";
    case PODALLOC_UNIMPLEMENTED: return "UNIMPLEMENTED";
    case PODALLOC_INTERNAL: return "INTERNAL";
    case PODALLOC_UNAVAILABLE: return "UNAVAILABLE";
    case PODALLOC_DATA_LOSS: return "DATA_LOSS";
    case PODALLOC_UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN_STATUS";
  }
}

PODALLOC_API podalloc_status podalloc_error_code(const podalloc_error* err) noexcept {
  return err != nullptr ? err->code : PODALLOC_OK;
}

PODALLOC_API const char* podalloc_error_message(const podalloc_error* err) noexcept {
  return err != nullptr ? err->message.c_str() : "";
}

PODALLOC_API void podalloc_error_free(podalloc_error* err) noexcept {
  if (err != &podalloc::capi::OutOfMemoryError()) delete err;
}

PODALLOC_API const char* podalloc_last_error_message(void) noexcept {
  const auto& last = podalloc::capi::ThreadLastError();
  return last.fallback != nullptr ? last.fallback : last.message.c_str();
}

PODALLOC_API podalloc_status podalloc_last_error_code(void) noexcept {
  return podalloc::capi::ThreadLastError().code;
}

}  // extern "C"
