// podalloc: the command-line face of the library. Dispatches to one subcommand; each lives in
// its own <name>_cmd.cc and is listed in subcommands.def.
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "podalloc/internal/input_quote.h"

namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: podalloc <subcommand> [flags]\n"
         "       podalloc help | --version\n\nsubcommands:\n";
  for (const podalloc::cli::Subcommand& s : podalloc::cli::Subcommands()) {
    out << "  " << std::left << std::setw(12) << s.name << s.summary << "\n";
  }
  out << "\nRun 'podalloc <subcommand> --help' for its flags.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using podalloc::cli::ExitCode;
  if (argc < 2) {
    PrintUsage(std::cerr);
    return ExitCode::kUsage;
  }
  const std::string name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    PrintUsage(std::cout);
    return ExitCode::kOk;
  }
  if (name == "--version") {
    std::cout << "podalloc " << PODALLOC_VERSION_STRING << "\n";
    return ExitCode::kOk;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const podalloc::cli::Subcommand& s : podalloc::cli::Subcommands()) {
    if (name == s.name) return s.run(args, podalloc::cli::Io{std::cout, std::cerr});
  }
  std::cerr << "podalloc: unknown subcommand " << podalloc::internal::QuoteInput(name)
            << "\n\n";
  PrintUsage(std::cerr);
  return ExitCode::kUsage;
}
