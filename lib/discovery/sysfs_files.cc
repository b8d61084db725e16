#include "sysfs_files.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "file_text.h"
#include "podalloc/internal/hex_digit.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::filesystem::path SysfsRoot::Path(const std::string& relative) const {
  return root_.empty() ? std::filesystem::path("/") / relative : root_ / relative;
}

bool SysfsRoot::Exists(const std::string& relative) const {
  std::error_code ec;
  return std::filesystem::exists(Path(relative), ec);
}

absl::Status SysfsRoot::Malformed(const std::string& relative, const std::string& what) const {
  return absl::InvalidArgumentError(absl::StrCat("sysfs: ", Path(relative).string(), ": ", what));
}

absl::StatusOr<std::string> SysfsRoot::Read(const std::string& relative) const {
  PODALLOC_ASSIGN_OR_RETURN(std::string text,
                            ReadBoundedFile(Path(relative), kMaxSysfsFileBytes, "sysfs"));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t' ||
                           text.back() == '\0' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

absl::StatusOr<CpuSet> SysfsRoot::ReadCpuList(const std::string& relative) const {
  PODALLOC_ASSIGN_OR_RETURN(std::string text, Read(relative));
  // Some kernels pad list files with a leading space (node/online " 0-7" seen in captures).
  size_t start = text.find_first_not_of(' ');
  std::string_view list =
      start == std::string::npos ? std::string_view() : std::string_view(text).substr(start);
  auto set = CpuSet::Parse(list);
  if (!set.ok()) return Malformed(relative, std::string(set.status().message()));
  return *set;
}

absl::StatusOr<CpuSet> SysfsRoot::ReadCpuMask(const std::string& relative) const {
  PODALLOC_ASSIGN_OR_RETURN(std::string text, Read(relative));
  return ParseCpuMask(text, Path(relative).string());
}

absl::StatusOr<CpuSet> SysfsRoot::ReadCpuListOrMask(const std::string& list_relative,
                                                    const std::string& mask_relative) const {
  if (!Exists(list_relative) && Exists(mask_relative)) return ReadCpuMask(mask_relative);
  return ReadCpuList(list_relative);
}

absl::StatusOr<int64_t> SysfsRoot::ReadInt(const std::string& relative) const {
  PODALLOC_ASSIGN_OR_RETURN(std::string text, Read(relative));
  std::string_view digits = text;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Malformed(relative, absl::StrCat("expected an integer, got ", QuoteInput(text)));
  }
  int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return negative ? -value : value;
}

absl::StatusOr<std::vector<std::string>> SysfsRoot::List(const std::string& dir_relative) const {
  std::error_code ec;
  std::filesystem::directory_iterator it(Path(dir_relative), ec);
  if (ec) {
    return absl::ErrnoToStatus(ec.value(),
                               absl::StrCat("sysfs: cannot list ", Path(dir_relative).string()));
  }
  std::vector<std::string> names;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) {
    return absl::ErrnoToStatus(ec.value(),
                               absl::StrCat("sysfs: cannot list ", Path(dir_relative).string()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::vector<int>> SysfsRoot::ListNumbered(const std::string& dir_relative,
                                                         const std::string& prefix) const {
  PODALLOC_ASSIGN_OR_RETURN(std::vector<std::string> names, List(dir_relative));
  std::vector<int> ids;
  for (const std::string& name : names) {
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        AllDigits(std::string_view(name).substr(prefix.size()))) {
      ids.push_back(std::stoi(name.substr(prefix.size())));
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<CpuSet> ParseCpuMask(std::string_view text, const std::string& where) {
  std::vector<std::string_view> words;
  for (size_t begin = 0;;) {
    size_t comma = text.find(',', begin);
    words.push_back(text.substr(begin, comma == std::string_view::npos ? comma : comma - begin));
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  // Words are listed most significant first: the last one holds CPUs 0-31.
  CpuSet set;
  for (size_t w = 0; w < words.size(); ++w) {
    std::string_view word = words[words.size() - 1 - w];
    uint32_t bits = 0;
    bool ok = !word.empty() && word.size() <= 8;
    for (char c : word) {
      int v = HexDigitValue(c);
      ok = ok && v >= 0;
      bits = (bits << 4) | static_cast<uint32_t>(v & 0xf);
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("sysfs: ", where, ": malformed CPU mask word ",
                       QuoteInput(std::string_view(word.data(), word.size()))));
    }
    for (; bits != 0; bits &= bits - 1) {
      size_t cpu = w * 32 + static_cast<size_t>(std::countr_zero(bits));
      if (cpu >= static_cast<size_t>(CpuSet::kMaxCpus)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "sysfs: ", where, ": CPU ", cpu, " is out of range (0..", CpuSet::kMaxCpus - 1, ")"));
      }
      set.Add(static_cast<int>(cpu));
    }
  }
  return set;
}

}  // namespace podalloc::internal
