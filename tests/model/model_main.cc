// File: tests/model/model_main.cc
// The model test's command line. Environment:
//   PODALLOC_MODEL_SEED     the run's seed (default 1; "random" draws one from the clock)
//   PODALLOC_MODEL_OPS      the number of operations (default 100000)
//   PODALLOC_MODEL_SECONDS  the time budget; 0 = none (default: PODALLOC_MODEL_DEFAULT_SECONDS)
//   PODALLOC_MODEL_VERBOSE  1 prints every episode's machine and configuration
// Arguments: <test data folder> <unpacked sysfs captures folder>.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model_runner.h"

#ifndef PODALLOC_MODEL_DEFAULT_SECONDS
#define PODALLOC_MODEL_DEFAULT_SECONDS 60
#endif

namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::string(value);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <test data folder> <unpacked sysfs captures folder>\n",
                 argv[0]);
    return 2;
  }
  podalloc_model::RunOptions options;
  const std::string seed = Env("PODALLOC_MODEL_SEED", "1");
  options.seed =
      seed == "random"
          ? static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count())
          : std::stoull(seed);
  options.max_operations = std::stoull(Env("PODALLOC_MODEL_OPS", "100000"));
  options.seconds =
      std::stod(Env("PODALLOC_MODEL_SECONDS", std::to_string(PODALLOC_MODEL_DEFAULT_SECONDS)));
  options.verbose = Env("PODALLOC_MODEL_VERBOSE", "0") == "1";
  std::printf("model: seed %llu, up to %llu operations, time budget %.0f s\n",
              static_cast<unsigned long long>(options.seed),
              static_cast<unsigned long long>(options.max_operations), options.seconds);
  std::fflush(stdout);

  std::vector<podalloc_model::Machine> machines = podalloc_model::LoadMachines(argv[1], argv[2]);
  bool ok = true;
  {
    podalloc_model::Runner runner(options, machines);
    ok = runner.Run();
    runner.PrintSummary();
  }
  podalloc_model::FreeMachines(machines);
  return ok ? 0 : 1;
}
