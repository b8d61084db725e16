#include "cli.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc::cli {

#define PODALLOC_SUBCOMMAND(name, function, summary) \
  int function(const std::vector<std::string>& args, const Io& io);
#include "subcommands.def"
#undef PODALLOC_SUBCOMMAND

const std::vector<Subcommand>& Subcommands() {
  static const std::vector<Subcommand> kAll = {
#define PODALLOC_SUBCOMMAND(name, function, summary) {#name, summary, &function},
#include "subcommands.def"
#undef PODALLOC_SUBCOMMAND
  };
  return kAll;
}

absl::StatusOr<std::map<std::string, std::string>> ParseFlags(
    const std::vector<std::string>& args, const std::vector<std::string>& known) {
  std::map<std::string, std::string> flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument ", internal::QuoteInput(arg)));
    }
    std::string name = arg.substr(2);
    std::string value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (!flags.emplace(name, value).second) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " given twice"));
    }
  }
  return flags;
}

}  // namespace podalloc::cli
