// File: lib/discovery/json_reader.h
// Typed, path-aware reads from a parsed nlohmann::json value for the topology loaders. Every
// failure is an InvalidArgument naming the JSON path ("/cpus/3/core") and the value found, so
// a caller never sees a nlohmann exception or a bare "type_error".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace podalloc::internal {

// "<parent>/<key>" in JSON-pointer style.
std::string JsonPath(const std::string& parent, std::string_view key);
std::string JsonPath(const std::string& parent, size_t index);

// InvalidArgument "topology JSON: <path>: <what>".
absl::Status JsonError(const std::string& path, const std::string& what);

absl::Status ExpectObject(const nlohmann::json& v, const std::string& path);
absl::Status ExpectArray(const nlohmann::json& v, const std::string& path);
// Rejects any key of `obj` not in `allowed`, naming it.
absl::Status ExpectOnlyKeys(const nlohmann::json& obj, const std::string& path,
                            std::initializer_list<std::string_view> allowed);

// The member `key` of an object, or nullptr when absent.
const nlohmann::json* FindMember(const nlohmann::json& obj, std::string_view key);

// An integer in [min, max]; floats, strings, booleans and null are errors.
absl::StatusOr<int64_t> ReadInt(const nlohmann::json& v, const std::string& path, int64_t min,
                                int64_t max);
absl::StatusOr<uint64_t> ReadUint64(const nlohmann::json& v, const std::string& path);
absl::StatusOr<std::string> ReadString(const nlohmann::json& v, const std::string& path);

}  // namespace podalloc::internal
