// File: lib/discovery/file_text.h
// Whole-file reads for the file-based sources (XML, JSON), and error prefixing so every
// message says which input it is about.
#pragma once

#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace podalloc::internal {

// The file's bytes; NotFound / DataLoss naming the path.
absl::StatusOr<std::string> ReadTextFile(const std::filesystem::path& path);

// `status` with "<prefix>: " before its message (OK stays OK).
absl::Status Prefixed(const absl::Status& status, const std::string& prefix);

}  // namespace podalloc::internal
