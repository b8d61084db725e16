// Plain scalar resolution (go-yaml v2 resolve.go): a lookup table of the special words first,
// then numbers for text that starts like one, else the text itself.
#include "yaml_scalar.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

namespace podalloc::internal {
namespace {

struct Word {
  std::string_view text;
  int kind;  // 1 true, 0 false, -1 null, 2 non-finite float
};

constexpr Word kWords[] = {
    {"y", 1},      {"Y", 1},      {"yes", 1},    {"Yes", 1},    {"YES", 1},    {"true", 1},
    {"True", 1},   {"TRUE", 1},   {"on", 1},     {"On", 1},     {"ON", 1},     {"n", 0},
    {"N", 0},      {"no", 0},     {"No", 0},     {"NO", 0},     {"false", 0},  {"False", 0},
    {"FALSE", 0},  {"off", 0},    {"Off", 0},    {"OFF", 0},    {"~", -1},     {"null", -1},
    {"Null", -1},  {"NULL", -1},  {".nan", 2},   {".NaN", 2},   {".NAN", 2},   {".inf", 2},
    {".Inf", 2},   {".INF", 2},   {"+.inf", 2},  {"+.Inf", 2},  {"+.INF", 2},  {"-.inf", 2},
    {"-.Inf", 2},  {"-.INF", 2},
};

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// strconv.ParseUint(s, 0, 64) on an unsigned magnitude: base prefixes 0x, 0o, 0b and a
// leading 0 for octal; nullopt on any bad digit or overflow.
std::optional<uint64_t> ParseMagnitude(std::string_view s) {
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    const int d = DigitValue(c);
    if (d >= base) return std::nullopt;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) /
                static_cast<uint64_t>(base)) {
      return std::nullopt;
    }
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  return v;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  auto digits = [&]() {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

nlohmann::json ResolvePlainScalar(std::string_view text, bool& infinite) {
  infinite = false;
  for (const Word& w : kWords) {
    if (w.text != text) continue;
    switch (w.kind) {
      case 1: return true;
      case 0: return false;
      case -1: return nullptr;
      default: infinite = true; return nullptr;
    }
  }
  if (text.empty()) return nullptr;
  const char first = text[0];
  if (!(first == '-' || first == '+' || first == '.' || (first >= '0' && first <= '9'))) {
    return std::string(text);
  }
  std::string plain;
  plain.reserve(text.size());
  for (char c : text) {
    if (c != '_') plain.push_back(c);
  }
  std::string_view magnitude = plain;
  const bool negative = !magnitude.empty() && magnitude[0] == '-';
  if (!magnitude.empty() && (magnitude[0] == '-' || magnitude[0] == '+')) magnitude.remove_prefix(1);
  if (std::optional<uint64_t> v = ParseMagnitude(magnitude)) {
    constexpr uint64_t kMaxInt = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (!negative && *v <= kMaxInt) return static_cast<int64_t>(*v);
    if (negative && *v <= kMaxInt + 1) {
      return *v == kMaxInt + 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(*v);
    }
    // ParseUint takes no sign, so only an unsigned "+"-less text becomes a uint64.
    if (!negative && plain[0] != '+') return *v;
  }
  if (IsYamlStyleFloat(plain)) {
    errno = 0;
    const double d = std::strtod(plain.c_str(), nullptr);
    // Go's ParseFloat fails on overflow; go-yaml then keeps the text.
    if (errno != ERANGE || d == 0) return d;
  }
  return std::string(text);
}

}  // namespace podalloc::internal
