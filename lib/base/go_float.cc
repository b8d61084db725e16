// strconv.ParseFloat(s, 32): the syntax check follows Go's readFloat, special and underscoreOK;
// the conversion is std::from_chars, which rounds correctly as Go does and ignores the locale.
#include "podalloc/internal/go_float.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace podalloc::internal::go {
namespace {

using Result = ParsedFloat32::Result;

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexLetter(char c) { return Lower(c) >= 'a' && Lower(c) <= 'f'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != b[i]) return false;
  }
  return true;
}

// special(): "inf" and "infinity" with an optional sign, "nan" without one, in any case.
bool Special(std::string_view s, float* out) {
  bool negative = false;
  std::string_view word = s;
  if (!word.empty() && (word[0] == '+' || word[0] == '-')) {
    negative = word[0] == '-';
    word.remove_prefix(1);
    if (!EqualsIgnoreCase(word, "inf") && !EqualsIgnoreCase(word, "infinity")) return false;
  }
  if (EqualsIgnoreCase(word, "inf") || EqualsIgnoreCase(word, "infinity")) {
    *out = negative ? -std::numeric_limits<float>::infinity()
                    : std::numeric_limits<float>::infinity();
    return true;
  }
  if (EqualsIgnoreCase(word, "nan")) {
    *out = std::numeric_limits<float>::quiet_NaN();
    return true;
  }
  return false;
}

// underscoreOK: every '_' sits between two digits (a base prefix counts as a digit).
bool UnderscoresOk(std::string_view s, bool hex) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (hex) {
    i = 2;
    saw = '0';
  }
  for (; i < s.size(); ++i) {
    if (IsDigit(s[i]) || (hex && IsHexLetter(s[i]))) {
      saw = '0';
    } else if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
    } else {
      if (saw == '_') return false;
      saw = '!';
    }
  }
  return saw != '_';
}

// The literal's syntax as readFloat checks it. On success `number` holds the literal as
// from_chars reads it (no '+', no "0x", no underscores), `hex` its base, and `magnitude` the
// position of its leading non-zero digit, in decimal (or binary) digits, counting the exponent:
// enough to tell an overflow from an underflow when even a double cannot hold the value.
bool Scan(std::string_view s, std::string* number, bool* hex, long* magnitude) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    if (s[i] == '-') number->push_back('-');
    ++i;
  }
  *hex = i + 2 < s.size() && s[i] == '0' && Lower(s[i + 1]) == 'x';
  if (*hex) i += 2;
  bool underscores = false, saw_dot = false, saw_digits = false, saw_nonzero = false;
  long integer_digits = 0, leading_zero_fraction = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
    } else if (IsDigit(c) || (*hex && IsHexLetter(c))) {
      saw_digits = true;
      if (c != '0') saw_nonzero = true;
      if (!saw_dot && saw_nonzero) ++integer_digits;
      if (saw_dot && !saw_nonzero) ++leading_zero_fraction;
    } else {
      break;
    }
    number->push_back(c);
  }
  if (!saw_digits) return false;
  long exponent = 0;
  if (i < s.size() && Lower(s[i]) == (*hex ? 'p' : 'e')) {
    number->push_back(*hex ? 'p' : 'e');
    ++i;
    bool negative_exponent = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      negative_exponent = s[i] == '-';
      number->push_back(s[i++]);
    }
    if (i >= s.size() || !IsDigit(s[i])) return false;
    long e = 0;
    for (; i < s.size() && (IsDigit(s[i]) || s[i] == '_'); ++i) {
      if (s[i] == '_') {
        underscores = true;
        continue;
      }
      number->push_back(s[i]);
      if (e < 10000) e = e * 10 + (s[i] - '0');  // Go stops counting there too
    }
    exponent = negative_exponent ? -e : e;
  } else if (*hex) {
    return false;  // a hexadecimal mantissa needs its p exponent
  }
  if (i != s.size()) return false;
  if (underscores && !UnderscoresOk(s, *hex)) return false;
  const long digits = saw_nonzero ? (integer_digits > 0 ? integer_digits : -leading_zero_fraction)
                                  : 0;
  *magnitude = (*hex ? 4 * digits : digits) + exponent;
  return true;
}

}  // namespace

ParsedFloat32 ParseFloat32(std::string_view text) {
  ParsedFloat32 out;
  if (Special(text, &out.value)) {
    out.result = Result::kOk;
    return out;
  }
  std::string number;
  bool hex = false;
  long magnitude = 0;
  if (!Scan(text, &number, &hex, &magnitude)) return out;
  const auto format = hex ? std::chars_format::hex : std::chars_format::general;
  const char* first = number.data();
  const char* last = number.data() + number.size();
  float value = 0;
  const auto parsed = std::from_chars(first, last, value, format);
  if (parsed.ptr != last) return out;  // cannot happen after Scan; treated as bad syntax
  if (parsed.ec == std::errc()) {
    out.result = Result::kOk;
    out.value = value;
    return out;
  }
  // Out of the float range: too large (Go's ErrRange) or too small (Go rounds to zero).
  double wide = 0;
  const auto wider = std::from_chars(first, last, wide, format);
  const bool too_large = wider.ec == std::errc() ? std::fabs(wide) >= 1 : magnitude > 0;
  const bool negative = number[0] == '-';
  if (too_large) {
    out.result = Result::kRange;
    out.value = negative ? -std::numeric_limits<float>::infinity()
                         : std::numeric_limits<float>::infinity();
  } else {
    out.result = Result::kOk;
    out.value = negative ? -0.0f : 0.0f;
  }
  return out;
}

}  // namespace podalloc::internal::go
