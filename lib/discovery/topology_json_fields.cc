#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "json_reader.h"
#include "podalloc/status_macros.h"
#include "topology_json_internal.h"

namespace podalloc::internal {

using nlohmann::json;

namespace {
constexpr int64_t kMaxId = std::numeric_limits<int>::max();
}  // namespace

absl::StatusOr<int> ReadIntMember(const json& obj, const std::string& path, std::string_view key,
                                  std::optional<int> fallback) {
  const json* v = FindMember(obj, key);
  if (v == nullptr) {
    if (fallback.has_value()) return *fallback;
    return JsonError(JsonPath(path, key), "missing");
  }
  PODALLOC_ASSIGN_OR_RETURN(int64_t value, ReadInt(*v, JsonPath(path, key), 0, kMaxId));
  return static_cast<int>(value);
}

absl::Status ReadCount(const json& obj, const std::string& path, std::string_view key,
                       std::optional<int>* out, bool null_is_zero) {
  const json* v = FindMember(obj, key);
  if (v == nullptr || v->is_null()) {
    if (null_is_zero) *out = 0;
    return absl::OkStatus();
  }
  PODALLOC_ASSIGN_OR_RETURN(int64_t value, ReadInt(*v, JsonPath(path, key), 0, kMaxId));
  *out = static_cast<int>(value);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::vector<int>>> ReadDistances(const json& v,
                                                            const std::string& path) {
  std::vector<std::vector<int>> rows;
  if (v.is_null()) return rows;
  std::vector<std::pair<int64_t, std::pair<const json*, std::string>>> ordered;
  if (v.is_object()) {
    for (const auto& [key, row] : v.items()) {
      std::string row_path = JsonPath(path, key);
      int64_t id = 0;
      bool digits = !key.empty() && key.size() < 10;
      for (char ch : key) digits = digits && ch >= '0' && ch <= '9';
      if (!digits) return JsonError(row_path, "key is not a NUMA node id");
      id = std::stoll(key);
      ordered.push_back({id, {&row, row_path}});
    }
    std::sort(ordered.begin(), ordered.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  } else {
    PODALLOC_RETURN_IF_ERROR(ExpectArray(v, path));
    for (size_t i = 0; i < v.size(); ++i) ordered.push_back({0, {&v[i], JsonPath(path, i)}});
  }
  for (const auto& [id, entry] : ordered) {
    const auto& [row, row_path] = entry;
    PODALLOC_RETURN_IF_ERROR(ExpectArray(*row, row_path));
    std::vector<int> values;
    for (size_t j = 0; j < row->size(); ++j) {
      PODALLOC_ASSIGN_OR_RETURN(int64_t d, ReadInt((*row)[j], JsonPath(row_path, j), 1, kMaxId));
      values.push_back(static_cast<int>(d));
    }
    rows.push_back(std::move(values));
  }
  return rows;
}

}  // namespace podalloc::internal
