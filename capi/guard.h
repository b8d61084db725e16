// File: capi/guard.h
// The exception firewall and argument checks every C entry point goes through. An entry
// point is `noexcept` and is one call to Guard(err, [&] { ...; return absl::Status; }):
// Guard turns the returned status into the C status code and the error the caller asked
// for, and turns any exception into a status (bad_alloc → RESOURCE_EXHAUSTED, anything
// else → INTERNAL), so nothing thrown ever reaches C, Go or Rust.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <string_view>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "podalloc/podalloc.h"
#include "podalloc/status_macros.h"

namespace podalloc::capi {

// Records a failed call: the thread's last error and, when err is non-NULL, a new error
// object in *err. Returns the C code. Never throws (falls back to static messages).
podalloc_status ReportFailure(podalloc_error** err, const absl::Status& status) noexcept;
podalloc_status ReportOutOfMemory(podalloc_error** err) noexcept;
podalloc_status ReportException(podalloc_error** err, const char* what) noexcept;
// Records a successful call on the thread's last error.
void ReportSuccess() noexcept;

template <typename Fn>
podalloc_status Guard(podalloc_error** err, Fn&& fn) noexcept {
  try {
    const absl::Status status = fn();
    if (status.ok()) {
      ReportSuccess();
      return PODALLOC_OK;
    }
    return ReportFailure(err, status);
  } catch (const std::bad_alloc&) {
    return ReportOutOfMemory(err);
  } catch (const std::exception& e) {
    return ReportException(err, e.what());
  } catch (...) {
    return ReportException(err, nullptr);
  }
}

// InvalidArgument "<name> is NULL" when p is null.
inline absl::Status NotNull(const void* p, const char* name) {
  if (p != nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(name, " is NULL"));
}

// A (pointer, length) text argument. NULL with length 0 is the empty text.
inline absl::StatusOr<std::string_view> Text(const char* data, size_t len, const char* name) {
  if (data == nullptr) {
    if (len == 0) return std::string_view();
    return absl::InvalidArgumentError(absl::StrCat(name, " is NULL but its length is ", len));
  }
  return std::string_view(data, len);
}

// Copies an options struct that begins with `uint32_t struct_size`. The caller may have
// been compiled against an older header (a shorter struct: fields it lacks keep their
// defaults from `defaults`) or a newer one (a longer struct: accepted only when every
// field this library does not know is zero, so no request is silently ignored).
// `min_size` is the size of the struct's first published version.
template <typename T>
absl::StatusOr<T> ReadOptions(const T* in, const T& defaults, size_t min_size, const char* name) {
  static_assert(std::is_trivially_copyable_v<T>);
  T out = defaults;
  out.struct_size = sizeof(T);
  if (in == nullptr) return out;
  const size_t given = in->struct_size;
  if (given < min_size) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, "->struct_size is ", given, "; expected at least ", min_size,
                     " (initialise the struct with its _INIT macro or _init function)"));
  }
  if (given > sizeof(T)) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(in);
    for (size_t i = sizeof(T); i < given; ++i) {
      if (bytes[i] != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, "->struct_size is ", given, " and sets byte ", i,
                         ", beyond the ", sizeof(T),
                         " bytes this library version knows (", PODALLOC_VERSION_STRING, ")"));
      }
    }
  }
  std::memcpy(&out, in, given < sizeof(T) ? given : sizeof(T));
  out.struct_size = sizeof(T);
  return out;
}

// InvalidArgument naming the bits of `flags` outside `known`.
inline absl::Status CheckFlags(uint32_t flags, uint32_t known, const char* name) {
  if ((flags & ~known) == 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(name, " has unknown bits 0x", absl::Hex(flags & ~known)));
}

}  // namespace podalloc::capi
