// File: tools/podalloc/cli.h
// What every subcommand of the podalloc command shares: its signature, exit codes and a small
// flag parser. Subcommands are listed in subcommands.def.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace podalloc::cli {

enum ExitCode : int { kOk = 0, kFailure = 1, kUsage = 2 };

// Where a subcommand writes: results to out, diagnostics to err.
struct Io {
  std::ostream& out;
  std::ostream& err;
};

// A subcommand gets the arguments after its name.
using RunFn = int (*)(const std::vector<std::string>& args, const Io& io);

struct Subcommand {
  const char* name;
  const char* summary;  // one line for `podalloc help`
  RunFn run;
};

// Every subcommand, in subcommands.def order.
const std::vector<Subcommand>& Subcommands();

// A flag ("-o", "--pods"), not a value: where a flag that takes several values stops.
inline bool IsFlag(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

// Parsed "--name value" / "--name=value" flags. Only the names in `known` are accepted, each at
// most once; positional arguments are errors. InvalidArgument names the offending argument.
absl::StatusOr<std::map<std::string, std::string>> ParseFlags(
    const std::vector<std::string>& args, const std::vector<std::string>& known);

}  // namespace podalloc::cli
