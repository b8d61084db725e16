#include "merge_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "podalloc/quantity.h"

namespace podalloc::cli {

std::string HintWord(const TopologyHint& h) {
  return h.affinity.has_value() ? h.affinity->ToList() : "any";
}

std::string NumaRanges(const NumaMask& mask) {
  std::vector<int> ids;
  for (absl::string_view id : absl::StrSplit(mask.ToList(), ',', absl::SkipEmpty())) {
    int n = 0;
    if (absl::SimpleAtoi(id, &n)) ids.push_back(n);
  }
  std::vector<std::string> ranges;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    ranges.push_back(j > i ? absl::StrCat(ids[i], "-", ids[j]) : absl::StrCat(ids[i]));
    i = j + 1;
  }
  return absl::StrJoin(ranges, ",");
}

std::string HintPhrase(const TopologyHint& h) {
  return absl::StrCat(h.affinity.has_value() ? "NUMA " + NumaRanges(*h.affinity) : "any NUMA node",
                      h.preferred ? " (preferred)" : " (not preferred)");
}

void PrintProviderHints(const MergeExplanation& m, std::string_view indent, std::ostream& out) {
  for (const ProviderHintSummary& p : m.providers) {
    out << indent << p.provider << (p.admits_alone ? "" : " (refused even alone)") << ":";
    if (p.resources.empty()) out << " no preference";
    out << "\n";
    for (const ResourceHintSummary& res : p.resources) {
      out << indent << "  " << res.resource << ": ";
      if (res.no_preference) {
        out << "no preference\n";
      } else if (!res.hints.has_value()) {
        out << "not listed (above 8 NUMA nodes)\n";
      } else if (res.hints->empty()) {
        out << "no hint (no NUMA placement fits)\n";
      } else {
        // Grouped by preference, each hint as its NUMA set: "preferred {0} {1}; not ...".
        std::vector<std::string> preferred, other;
        for (const TopologyHint& h : *res.hints) {
          (h.preferred ? preferred : other).push_back(absl::StrCat("{", HintWord(h), "}"));
        }
        std::vector<std::string> groups;
        if (!preferred.empty()) groups.push_back("preferred " + absl::StrJoin(preferred, " "));
        if (!other.empty()) groups.push_back("not preferred " + absl::StrJoin(other, " "));
        out << absl::StrJoin(groups, "; ") << "\n";
      }
    }
  }
}

std::string FitAmountText(std::string_view resource, int64_t amount) {
  if (resource == "cpu") return Quantity::FromMilli(amount).ToString();
  if (resource == "memory" || resource == "ephemeral-storage" ||
      resource.substr(0, 10) == "hugepages-") {
    return Quantity::FromValue(amount, Quantity::Format::kBinarySI).ToString();
  }
  return absl::StrCat(amount);
}

}  // namespace podalloc::cli
