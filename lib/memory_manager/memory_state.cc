#include "podalloc/memory_state.h"

#include <algorithm>
#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

constexpr std::string_view kHugePagesPrefix = "hugepages-";

// Binary and decimal SI suffixes a hugepage resource name may carry, as multipliers.
struct Suffix {
  std::string_view text;
  uint64_t factor;
};
constexpr Suffix kSuffixes[] = {
    {"Ki", uint64_t{1} << 10}, {"Mi", uint64_t{1} << 20}, {"Gi", uint64_t{1} << 30},
    {"Ti", uint64_t{1} << 40}, {"Pi", uint64_t{1} << 50}, {"Ei", uint64_t{1} << 60},
    {"k", 1000ull},            {"M", 1000000ull},         {"G", 1000000000ull},
    {"T", 1000000000000ull},   {"P", 1000000000000000ull}, {"E", 1000000000000000000ull},
};

absl::StatusOr<uint64_t> ParsePageSize(std::string_view name, std::string_view text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr == text.data()) {
    return absl::InvalidArgumentError(
        absl::StrCat("resource ", internal::QuoteInput(name), ": ", internal::QuoteInput(text),
                     " is not a whole number of bytes"));
  }
  std::string_view suffix(ptr, static_cast<size_t>(end - ptr));
  uint64_t factor = 1;
  if (!suffix.empty()) {
    auto it = std::find_if(std::begin(kSuffixes), std::end(kSuffixes),
                           [&](const Suffix& s) { return s.text == suffix; });
    if (it == std::end(kSuffixes)) {
      return absl::InvalidArgumentError(absl::StrCat("resource ", internal::QuoteInput(name),
                                                     ": unknown quantity suffix ",
                                                     internal::QuoteInput(suffix)));
    }
    factor = it->factor;
  }
  if (value == 0 || value > UINT64_MAX / factor) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resource ", internal::QuoteInput(name), ": page size must be positive and fit 64 bits"));
  }
  return value * factor;
}

template <typename Vec, typename Key, typename Proj>
auto* FindSorted(Vec& v, Key key, Proj proj) {
  auto it = std::lower_bound(v.begin(), v.end(), key,
                             [&](const auto& e, const Key& k) { return proj(e) < k; });
  return it != v.end() && proj(*it) == key ? &*it : nullptr;
}

}  // namespace

absl::StatusOr<MemoryResource> MemoryResource::Parse(std::string_view name) {
  if (name == "memory") return Memory();
  if (name.substr(0, kHugePagesPrefix.size()) != kHugePagesPrefix) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resource ", internal::QuoteInput(name), " is neither memory nor hugepages-<size>"));
  }
  absl::StatusOr<uint64_t> size = ParsePageSize(name, name.substr(kHugePagesPrefix.size()));
  if (!size.ok()) return size.status();
  return HugePages(*size);
}

std::string MemoryResource::Name() const {
  if (page_size_ == 0) return "memory";
  // Kubernetes' canonical binary-SI spelling: the largest power-of-1024 suffix that keeps
  // the mantissa whole; values below 1Ki are written as plain numbers.
  static constexpr std::string_view kBinary[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  uint64_t mantissa = page_size_;
  int exponent = 0;
  while (exponent < 6 && mantissa >= 1024 && mantissa % 1024 == 0) {
    mantissa /= 1024;
    ++exponent;
  }
  return absl::StrCat("hugepages-", mantissa, std::string(kBinary[exponent]));
}

std::optional<uint64_t> FindMemoryAmount(const MemoryAmounts& amounts, MemoryResource resource) {
  const MemoryAmount* a =
      FindSorted(amounts, resource, [](const MemoryAmount& x) { return x.resource; });
  if (a == nullptr) return std::nullopt;
  return a->bytes;
}

void SetMemoryAmount(MemoryAmounts& amounts, MemoryResource resource, uint64_t bytes) {
  auto it =
      std::lower_bound(amounts.begin(), amounts.end(), resource,
                       [](const MemoryAmount& e, MemoryResource r) { return e.resource < r; });
  if (it != amounts.end() && it->resource == resource) {
    it->bytes = bytes;
  } else {
    amounts.insert(it, MemoryAmount{resource, bytes});
  }
}

const MemoryTable* MemoryNumaNodeState::Find(MemoryResource resource) const {
  const MemoryResourceTable* t =
      FindSorted(memory, resource, [](const MemoryResourceTable& x) { return x.resource; });
  return t == nullptr ? nullptr : &t->table;
}

MemoryTable* MemoryNumaNodeState::Find(MemoryResource resource) {
  MemoryResourceTable* t =
      FindSorted(memory, resource, [](const MemoryResourceTable& x) { return x.resource; });
  return t == nullptr ? nullptr : &t->table;
}

const MemoryNumaNodeState* MemoryMachineState::Node(int id) const {
  return FindSorted(nodes, id, [](const MemoryNumaNodeState& n) { return n.id; });
}

MemoryNumaNodeState* MemoryMachineState::Node(int id) {
  return FindSorted(nodes, id, [](const MemoryNumaNodeState& n) { return n.id; });
}

NumaMask MemoryMachineState::NodeIds() const {
  NumaMask m;
  for (const MemoryNumaNodeState& n : nodes) m.Set(n.id);
  return m;
}

const std::vector<MemoryBlock>* FindMemoryBlocks(const ContainerMemoryAssignments& assignments,
                                                 std::string_view pod_uid,
                                                 std::string_view container_name) {
  auto pod = assignments.find(pod_uid);
  if (pod == assignments.end()) return nullptr;
  auto c = pod->second.find(container_name);
  return c == pod->second.end() ? nullptr : &c->second;
}

}  // namespace podalloc
