// File: podalloc/status_macros.h
// Early-return helpers for absl::Status / absl::StatusOr. The abseil release we build with
// has no status_macros.h of its own, so podalloc carries these two macros.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PODALLOC_STATUS_CONCAT_INNER_(a, b) a##b
#define PODALLOC_STATUS_CONCAT_(a, b) PODALLOC_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status); returns it from the enclosing function if not ok.
#define PODALLOC_RETURN_IF_ERROR(expr)                          \
  do {                                                          \
    ::absl::Status podalloc_status_ = (expr);                   \
    if (!podalloc_status_.ok()) return podalloc_status_;        \
  } while (false)

// `PODALLOC_ASSIGN_OR_RETURN(auto x, F());` assigns the value of an absl::StatusOr or
// returns its error status from the enclosing function.
#define PODALLOC_ASSIGN_OR_RETURN(lhs, expr)                                              \
  PODALLOC_ASSIGN_OR_RETURN_IMPL_(PODALLOC_STATUS_CONCAT_(podalloc_statusor_, __LINE__), \
                                  lhs, expr)
#define PODALLOC_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                                    \
  if (!var.ok()) return std::move(var).status();        \
  lhs = std::move(var).value()
