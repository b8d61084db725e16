// File: tools/podalloc/cli.h
// What every subcommand of the podalloc command shares: exit codes, where it writes, and how it
// joins the one CLI11 command line (subcommands.def lists them; cli.cc parses).
//
// A subcommand is one line in subcommands.def plus a <name>_cmd.cc defining its Add function:
//
//   RunFn AddExample(CLI::App& app) {
//     auto o = std::make_shared<Options>();   // what the flags fill; the RunFn keeps it alive
//     SetUsage(app, "usage: podalloc example MACHINE [--count N]\n"
//                   "  One paragraph on what it prints. MACHINE is one of:\n");
//     AddNodeInputFlags(app, o->inputs);       // machine, --config, --pods, ... (node_inputs.h)
//     app.add_option("--count", o->count, "how many")->type_name("N");
//     AddOutputFlag(app, o->output, {"table", "json"}, "...");   // -o/--output (cli_flags.h)
//     app.footer("examples:\n  podalloc example --default --count 3");
//     return [o](const Io& io) { ...; return kOk; };
//   }
//
// CLI11 does the parsing: "--flag value" and "--flag=value", multi-value flags that stop at the
// next flag, -h/--help anywhere, unknown flags, values checked by validators. A usage error
// (exit 2) is a CLI::ParseError thrown while parsing, e.g. CLI::ValidationError from an option
// callback; the RunFn runs only on a good line and returns the exit code.
#pragma once

#include <functional>
#include <ostream>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace podalloc::cli {

enum ExitCode : int { kOk = 0, kFailure = 1, kUsage = 2 };

// Where a subcommand writes: results to out, diagnostics to err.
struct Io {
  std::ostream& out;
  std::ostream& err;
};

// A subcommand's work once its flags are parsed; returns the exit code.
using RunFn = std::function<int(const Io& io)>;

// Gives `app` (named and described from subcommands.def) its usage, flags and examples, each
// flag bound to state the returned RunFn holds.
using AddFn = RunFn (*)(CLI::App& app);

struct Subcommand {
  const char* name;
  const char* summary;  // one line for `podalloc help`
  AddFn add;
};

// Every subcommand, in subcommands.def order.
const std::vector<Subcommand>& Subcommands();

// The podalloc command: parses argv (argv[0] is the program) into one subcommand and runs it.
// -h/--help, `podalloc help [subcommand]` and --version print to io.out and return kOk; a usage
// error names the argument on io.err and returns kUsage.
int RunCommandLine(int argc, const char* const* argv, const Io& io);

}  // namespace podalloc::cli
