#include "podalloc/cpuset.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

using internal::EscapeInput;
using internal::QuoteInput;

// absl::StrCat takes absl::string_view, which is not std::string_view in Debian's abseil.
absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// "cpuset \"0-3,x\"": the input quoted, escaped and bounded (it may be any bytes, any length).
std::string Named(absl::string_view input) {
  return absl::StrCat("cpuset ", QuoteInput(std::string_view(input.data(), input.size())));
}

std::string Quoted(absl::string_view text) {
  return QuoteInput(std::string_view(text.data(), text.size()));
}

// Parses a whole decimal CPU id; digits only, as the kubelet's parser accepts.
absl::StatusOr<int> ParseCpuId(absl::string_view token, absl::string_view element,
                               absl::string_view input) {
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Named(input), ": empty CPU id in element ", Quoted(element)));
  }
  for (char c : token) {
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(absl::StrCat(Named(input), ": ", Quoted(token),
                                                     " in element ", Quoted(element),
                                                     " is not a CPU id"));
    }
  }
  long long value = 0;
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || ptr != token.data() + token.size() || value >= CpuSet::kMaxCpus) {
    return absl::OutOfRangeError(absl::StrCat(
        Named(input), ": CPU id ", EscapeInput(std::string_view(token.data(), token.size())),
        " is out of range (max ", CpuSet::kMaxCpus - 1, ")"));
  }
  return static_cast<int>(value);
}

}  // namespace

CpuSet::CpuSet(std::initializer_list<int> cpus) {
  for (int c : cpus) {
    if (c >= 0 && c < kMaxCpus) Add(c);
  }
}

CpuSet CpuSet::FromVector(const std::vector<int>& cpus) {
  CpuSet s;
  for (int c : cpus) {
    if (c >= 0 && c < kMaxCpus) s.Add(c);
  }
  return s;
}

CpuSet CpuSet::Range(int first, int last) {
  CpuSet s;
  if (first < 0) first = 0;
  if (last >= kMaxCpus) last = kMaxCpus - 1;
  for (int c = first; c <= last; ++c) s.Add(c);
  return s;
}

absl::StatusOr<CpuSet> CpuSet::FromWords(std::span<const uint64_t> words) {
  for (size_t i = kWords; i < words.size(); ++i) {
    if (words[i] != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "CPU mask word ", i, " holds CPU ", i * 64 + std::countr_zero(words[i]),
          "; CPU ids must be below ", kMaxCpus));
    }
  }
  CpuSet s;
  std::copy_n(words.begin(), std::min(words.size(), size_t{kWords}), s.words_.begin());
  return s;
}

size_t CpuSet::UsedWords() const {
  for (size_t i = kWords; i > 0; --i) {
    if (words_[i - 1] != 0) return i;
  }
  return 0;
}

size_t CpuSet::ToWords(std::span<uint64_t> out) const {
  const size_t used = UsedWords();
  if (out.size() < used) return used;
  std::copy_n(words_.begin(), used, out.begin());
  std::fill(out.begin() + used, out.end(), uint64_t{0});
  return used;
}

absl::Status CpuSet::TryAdd(int cpu) {
  if (cpu < 0 || cpu >= kMaxCpus) {
    return absl::OutOfRangeError(
        absl::StrCat("CPU id ", cpu, " is out of range (0..", kMaxCpus - 1, ")"));
  }
  Add(cpu);
  return absl::OkStatus();
}

absl::StatusOr<CpuSet> CpuSet::Parse(std::string_view text_in) {
  const absl::string_view text = AV(text_in);
  CpuSet result;
  if (text.empty()) return result;
  size_t pos = 0;
  while (true) {
    size_t comma = text.find(',', pos);
    absl::string_view element =
        text.substr(pos, comma == absl::string_view::npos ? absl::string_view::npos : comma - pos);
    if (element.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Named(text), ": empty element at offset ", pos));
    }
    size_t dash = element.find('-');
    if (dash == absl::string_view::npos) {
      auto cpu = ParseCpuId(element, element, text);
      if (!cpu.ok()) return cpu.status();
      result.Add(*cpu);
    } else {
      auto first = ParseCpuId(element.substr(0, dash), element, text);
      if (!first.ok()) return first.status();
      auto last = ParseCpuId(element.substr(dash + 1), element, text);
      if (!last.ok()) return last.status();
      if (*first > *last) {
        return absl::InvalidArgumentError(absl::StrCat(Named(text), ": invalid range ",
                                                       Quoted(element), " (", *first, " > ",
                                                       *last, ")"));
      }
      for (int c = *first; c <= *last; ++c) result.Add(c);
    }
    if (comma == absl::string_view::npos) break;
    pos = comma + 1;
  }
  return result;
}

// Runs are found a word at a time (countr_zero over the set bits, then over the clear bits),
// not CPU by CPU: the decision prints several cpusets per admission, and a node's shared pool
// of hundreds of CPUs is mostly long runs.
std::string CpuSet::ToString() const {
  std::string out;
  int pos = 0;
  while (pos < kMaxCpus) {
    // First set bit at or after pos.
    int w = pos >> 6;
    uint64_t word = words_[w] & (~uint64_t{0} << (pos & 63));
    while (word == 0 && ++w < kWords) word = words_[w];
    if (word == 0) break;
    const int start = w * 64 + std::countr_zero(word);
    // First clear bit after start.
    uint64_t clear = ~words_[w] & (~uint64_t{0} << (start & 63));
    while (clear == 0 && ++w < kWords) clear = ~words_[w];
    const int end = clear == 0 ? kMaxCpus : w * 64 + std::countr_zero(clear);  // exclusive
    if (!out.empty()) out.push_back(',');
    absl::StrAppend(&out, start);
    if (end - 1 > start) absl::StrAppend(&out, "-", end - 1);
    pos = end;
  }
  return out;
}

int CpuSet::First() const {
  for (int i = 0; i < kWords; ++i) {
    if (words_[i] != 0) return i * 64 + std::countr_zero(words_[i]);
  }
  return -1;
}

int CpuSet::Next(int cpu) const {
  int start = cpu + 1;
  if (start >= kMaxCpus) return -1;
  if (start < 0) start = 0;
  int w = start >> 6;
  uint64_t word = words_[w] & (~uint64_t{0} << (start & 63));
  while (true) {
    if (word != 0) return w * 64 + std::countr_zero(word);
    if (++w >= kWords) return -1;
    word = words_[w];
  }
}

CpuSet CpuSet::FirstN(int n) const {
  CpuSet r;
  for (int i = 0; i < kWords && n > 0; ++i) {
    uint64_t w = words_[i];
    while (w != 0 && n > 0) {
      uint64_t low = w & (~w + 1);
      r.words_[i] |= low;
      w ^= low;
      --n;
    }
  }
  return r;
}

std::vector<int> CpuSet::ToVector() const {
  std::vector<int> v;
  v.reserve(Size());
  for (int c : *this) v.push_back(c);
  return v;
}

}  // namespace podalloc

#if defined(PODALLOC_REQUIRE_POPCNT) && (defined(__x86_64__) || defined(__i386__))
namespace {
// Built with POPCNT (cmake/Arch.cmake): stop at load time, with the reason, on a CPU that lacks
// it, rather than with SIGILL in the middle of an admission. The check itself uses no POPCNT.
// It lives here because every program that links the library links this file.
__attribute__((constructor)) void RequirePopcnt() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("popcnt")) {
    std::fputs(
        "podalloc: this build uses the POPCNT instruction, which this CPU lacks; rebuild with "
        "-DPODALLOC_POPCNT=OFF\n",
        stderr);
    std::abort();
  }
}
}  // namespace
#endif
