#include "json_reader.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"

namespace podalloc::internal {
namespace {

// A short rendering of the offending value for error messages.
std::string Describe(const nlohmann::json& v) {
  return absl::StrCat(v.type_name(), " ", JsonExcerpt(v, 40));
}

}  // namespace

std::string JsonPath(const std::string& parent, std::string_view key) {
  return absl::StrCat(parent, "/", EscapeInput(key));
}

std::string JsonPath(const std::string& parent, size_t index) {
  return absl::StrCat(parent, "/", index);
}

absl::Status JsonError(const std::string& path, const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat("topology JSON: ", path.empty() ? "/" : path, ": ", what));
}

absl::Status ExpectObject(const nlohmann::json& v, const std::string& path) {
  if (v.is_object()) return absl::OkStatus();
  return JsonError(path, absl::StrCat("expected an object, got ", Describe(v)));
}

absl::Status ExpectArray(const nlohmann::json& v, const std::string& path) {
  if (v.is_array()) return absl::OkStatus();
  return JsonError(path, absl::StrCat("expected an array, got ", Describe(v)));
}

absl::Status ExpectOnlyKeys(const nlohmann::json& obj, const std::string& path,
                            std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) return JsonError(JsonPath(path, key), "unknown key");
  }
  return absl::OkStatus();
}

const nlohmann::json* FindMember(const nlohmann::json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

absl::StatusOr<int64_t> ReadInt(const nlohmann::json& v, const std::string& path, int64_t min,
                                int64_t max) {
  int64_t value = 0;
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return JsonError(path, absl::StrCat("value ", u, " is out of range (", min, "..", max, ")"));
    }
    value = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<int64_t>();
  } else {
    return JsonError(path, absl::StrCat("expected an integer, got ", Describe(v)));
  }
  if (value < min || value > max) {
    return JsonError(path,
                     absl::StrCat("value ", value, " is out of range (", min, "..", max, ")"));
  }
  return value;
}

absl::StatusOr<uint64_t> ReadUint64(const nlohmann::json& v, const std::string& path) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    return JsonError(path, absl::StrCat("value ", v.get<int64_t>(), " is negative"));
  }
  return JsonError(path, absl::StrCat("expected a non-negative integer, got ", Describe(v)));
}

absl::StatusOr<std::string> ReadString(const nlohmann::json& v, const std::string& path) {
  if (v.is_string()) return v.get<std::string>();
  return JsonError(path, absl::StrCat("expected a string, got ", Describe(v)));
}

}  // namespace podalloc::internal
