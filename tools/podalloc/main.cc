// podalloc: the command-line face of the library. cli.cc parses the line into one subcommand;
// each lives in its own <name>_cmd.cc and is listed in subcommands.def.
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) {
  return podalloc::cli::RunCommandLine(argc, argv, podalloc::cli::Io{std::cout, std::cerr});
}
