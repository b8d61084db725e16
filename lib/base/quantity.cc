#include "podalloc/quantity.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

__extension__ typedef __int128 Int128;

constexpr Int128 kNanosPerUnit = 1000000000;
constexpr Int128 kNanosPerMilli = 1000000;
// Kubernetes keeps at most 2^63-1 units; in nano-units that is below 1e28 and so has at
// most 28 decimal digits, far inside the int128 range.
constexpr Int128 kMaxNanos = Int128{INT64_MAX} * kNanosPerUnit;
constexpr int kMaxNanoDigits = 28;

// "quantity \"1.5x\"": the input quoted, escaped and bounded (it may be any bytes, any length).
std::string Quoted(std::string_view text) {
  return absl::StrCat("quantity ", internal::QuoteInput(text));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The characters Kubernetes' scanner accepts at the start of a suffix.
bool IsSuffixChar(char c) {
  return std::string_view("eEinumkKMGTP").find(c) != std::string_view::npos;
}

struct Suffix {
  int base;      // 10 or 2
  int exponent;  // power of `base`
  Quantity::Format format;
};

// suffix.go: the SI and binary tables, then "e<int>" / "E<int>" exponents. Only exact
// spellings are accepted ("K", "ki", "gi" are errors).
bool InterpretSuffix(std::string_view s, Suffix* out) {
  using F = Quantity::Format;
  struct Entry {
    std::string_view text;
    Suffix suffix;
  };
  static constexpr Entry kTable[] = {
      {"", {10, 0, F::kDecimalSI}},   {"n", {10, -9, F::kDecimalSI}},
      {"u", {10, -6, F::kDecimalSI}}, {"m", {10, -3, F::kDecimalSI}},
      {"k", {10, 3, F::kDecimalSI}},  {"M", {10, 6, F::kDecimalSI}},
      {"G", {10, 9, F::kDecimalSI}},  {"T", {10, 12, F::kDecimalSI}},
      {"P", {10, 15, F::kDecimalSI}}, {"E", {10, 18, F::kDecimalSI}},
      {"Ki", {2, 10, F::kBinarySI}},  {"Mi", {2, 20, F::kBinarySI}},
      {"Gi", {2, 30, F::kBinarySI}},  {"Ti", {2, 40, F::kBinarySI}},
      {"Pi", {2, 50, F::kBinarySI}},  {"Ei", {2, 60, F::kBinarySI}},
  };
  for (const Entry& e : kTable) {
    if (e.text == s) {
      *out = e.suffix;
      return true;
    }
  }
  if (s.size() < 2 || (s[0] != 'e' && s[0] != 'E')) return false;
  // strconv.ParseInt syntax: optional sign, then at least one digit.
  size_t i = 1;
  bool negative = false;
  if (s[i] == '+' || s[i] == '-') {
    negative = s[i] == '-';
    ++i;
  }
  if (i == s.size()) return false;
  int64_t exponent = 0;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
    exponent = exponent * 10 + (s[i] - '0');
    // Go narrows the parsed exponent to int32; beyond that range it would wrap, which is
    // never what the text meant, so such exponents are refused.
    if (exponent > INT32_MAX) return false;
  }
  *out = {10, static_cast<int>(negative ? -exponent : exponent), F::kDecimalExponent};
  return true;
}

// Decimal digit string (most significant first) times 2.
void DoubleDigits(std::string& digits) {
  int carry = 0;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = (digits[i] - '0') * 2 + carry;
    digits[i] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  if (carry) digits.insert(digits.begin(), static_cast<char>('0' + carry));
}

Int128 DigitsToInt(std::string_view digits) {
  Int128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

std::string IntToString(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  // Work on the negative side so the most negative value needs no special case.
  if (!negative) v = -v;
  std::string out;
  while (v != 0) {
    out.push_back(static_cast<char>('0' - static_cast<int>(v % 10)));
    v /= 10;
  }
  if (negative) out.push_back('-');
  std::reverse(out.begin(), out.end());
  return out;
}

// ceil(|nanos| / divisor) with the sign of nanos, saturated to int64: Kubernetes' ScaledValue
// rounds away from zero.
int64_t ScaleAwayFromZero(Int128 nanos, Int128 divisor) {
  Int128 q = nanos / divisor;
  if (nanos % divisor != 0) q += nanos > 0 ? 1 : -1;
  if (q > INT64_MAX) return INT64_MAX;
  if (q < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(q);
}

}  // namespace

std::string_view FormatName(Quantity::Format format) {
  switch (format) {
    case Quantity::Format::kDecimalSI:
      return "DecimalSI";
    case Quantity::Format::kBinarySI:
      return "BinarySI";
    case Quantity::Format::kDecimalExponent:
      return "DecimalExponent";
  }
  return "DecimalSI";
}

absl::StatusOr<Quantity> Quantity::Parse(std::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError("quantity \"\" is empty");
  }
  // Scanner of quantity.go (parseQuantityString): sign, number, suffix. Like Kubernetes it
  // takes "+", "-", "." and "5." as numbers ("+" and "." are zero).
  size_t pos = 0;
  const size_t end = text.size();
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++pos;
  }
  size_t num_begin = pos;
  while (pos < end && IsDigit(text[pos])) ++pos;
  std::string_view num = text.substr(num_begin, pos - num_begin);
  std::string_view denom;
  if (pos < end && text[pos] == '.') {
    size_t denom_begin = ++pos;
    while (pos < end && IsDigit(text[pos])) ++pos;
    denom = text.substr(denom_begin, pos - denom_begin);
  }
  size_t suffix_begin = pos;
  while (pos < end && IsSuffixChar(text[pos])) ++pos;
  if (pos < end && (text[pos] == '+' || text[pos] == '-')) ++pos;
  while (pos < end && IsDigit(text[pos])) ++pos;
  if (pos != end) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " is malformed: unexpected '",
                     internal::EscapeInput(text.substr(pos, 1)),
                     "' at offset ", pos, " (expected <number><suffix>, e.g. \"100m\", "
                     "\"1.5\", \"2Gi\", \"1e3\")"));
  }
  std::string_view suffix_text = text.substr(suffix_begin);
  Suffix suffix;
  if (!InterpretSuffix(suffix_text, &suffix)) {
    return absl::InvalidArgumentError(absl::StrCat(
        Quoted(text), " has an unknown suffix ", internal::QuoteInput(suffix_text),
        " (expected one of n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>)"));
  }

  // value = digits * 10^decimal_exponent * 2^binary_exponent, computed exactly on the digit
  // string, then rounded up (away from zero) to whole nano-units as Kubernetes does.
  std::string digits = absl::StrCat(absl::string_view(num.data(), num.size()),
                                    absl::string_view(denom.data(), denom.size()));
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  Format format = suffix.format;
  if (digits.empty()) return Quantity(0, format);

  int64_t decimal_exponent = -static_cast<int64_t>(denom.size());
  if (suffix.base == 10) {
    decimal_exponent += suffix.exponent;
  } else {
    for (int i = 0; i < suffix.exponent; ++i) DoubleDigits(digits);
  }
  const int64_t nano_shift = decimal_exponent + 9;
  Int128 nanos = 0;
  bool too_large = false;
  if (nano_shift >= 0) {
    too_large = static_cast<int64_t>(digits.size()) + nano_shift > kMaxNanoDigits + 1;
    if (!too_large) {
      digits.append(static_cast<size_t>(nano_shift), '0');
      nanos = DigitsToInt(digits);
    }
  } else {
    const size_t drop = static_cast<size_t>(std::min<int64_t>(
        -nano_shift, static_cast<int64_t>(digits.size())));
    std::string_view whole(digits.data(), digits.size() - drop);
    std::string_view fraction(digits.data() + whole.size(), drop);
    too_large = static_cast<int>(whole.size()) > kMaxNanoDigits + 1;
    if (!too_large) {
      nanos = DigitsToInt(whole);
      if (fraction.find_first_not_of('0') != std::string_view::npos) nanos += 1;
    }
  }
  if (too_large || nanos > kMaxNanos) {
    if (format != Format::kBinarySI) {
      return absl::OutOfRangeError(absl::StrCat(
          Quoted(text), " is out of range: its magnitude exceeds 2^63-1 (", INT64_MAX, ")"));
    }
    // Kubernetes caps binary quantities at 2^63-1 rather than refusing them.
    nanos = kMaxNanos;
  }
  if (format == Format::kBinarySI && nanos < kNanosPerUnit) format = Format::kDecimalSI;
  return Quantity(negative ? -nanos : nanos, format);
}

Quantity Quantity::FromMilli(int64_t milli, Format format) {
  return Quantity(Nanos{milli} * kNanosPerMilli, format);
}

Quantity Quantity::FromValue(int64_t value, Format format) {
  return Quantity(Nanos{value} * kNanosPerUnit, format);
}

int64_t Quantity::MilliValue() const { return ScaleAwayFromZero(nanos_, kNanosPerMilli); }

int64_t Quantity::Value() const { return ScaleAwayFromZero(nanos_, kNanosPerUnit); }

bool Quantity::IsWhole() const { return nanos_ % kNanosPerUnit == 0; }

Quantity& Quantity::operator+=(const Quantity& o) {
  if (nanos_ == 0) format_ = o.format_;
  nanos_ += o.nanos_;
  return *this;
}

Quantity& Quantity::operator-=(const Quantity& o) {
  if (nanos_ == 0) format_ = o.format_;
  nanos_ -= o.nanos_;
  return *this;
}

Quantity Quantity::operator-() const { return Quantity(-nanos_, format_); }

std::string Quantity::ToString() const {
  if (nanos_ == 0) return "0";
  Format format = format_;
  if (format == Format::kBinarySI) {
    // CanonicalizeBytes: small or fractional binary values are written in DecimalSI so no
    // precision is lost.
    if ((nanos_ > -1024 * kNanosPerUnit && nanos_ < 1024 * kNanosPerUnit) || !IsWhole()) {
      format = Format::kDecimalSI;
    }
  }
  if (format == Format::kBinarySI) {
    static constexpr std::string_view kBinary[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    Int128 mantissa = nanos_ / kNanosPerUnit;
    int power = 0;
    while (power < 6 && mantissa % 1024 == 0) {
      mantissa /= 1024;
      ++power;
    }
    return absl::StrCat(IntToString(mantissa),
                        absl::string_view(kBinary[power].data(), kBinary[power].size()));
  }
  // Strip every factor of ten into the exponent, then lower the exponent to the next
  // multiple of three (amount.go AsCanonicalBytes).
  Int128 mantissa = nanos_;
  int exponent = -9;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  while (exponent % 3 != 0) {
    mantissa *= 10;
    --exponent;
  }
  if (format == Format::kDecimalExponent) {
    if (exponent == 0) return IntToString(mantissa);
    return absl::StrCat(IntToString(mantissa), "e", exponent);
  }
  // "E" is the largest SI suffix; sums beyond the parse range keep it with a longer mantissa.
  while (exponent > 18) {
    mantissa *= 1000;
    exponent -= 3;
  }
  static constexpr std::string_view kDecimal[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  std::string_view suffix = kDecimal[(exponent + 9) / 3];
  return absl::StrCat(IntToString(mantissa), absl::string_view(suffix.data(), suffix.size()));
}

}  // namespace podalloc
