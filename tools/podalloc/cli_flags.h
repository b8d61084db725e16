// File: tools/podalloc/cli_flags.h
// The CLI11 pieces the subcommands share: their help layout (usage, flag groups, examples),
// checks on flag values that name the flag and the value, and the -o/--output flag.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "podalloc/quantity.h"

namespace podalloc::cli {

// `app`'s help prints `usage` (the synopsis lines and a paragraph on what it does), then each
// flag group (the group of -h/--help last), the subcommands if any, and the footer (examples).
void SetUsage(CLI::App& app, std::string usage);

// A value among `choices`: "--output: \"xml\" is not one of table, wide, json, yaml".
CLI::Validator OneOf(std::vector<std::string> choices);

// A value that is not one of `app`'s own flags: "--config --pods p.yaml" has lost its file
// ("--config: needs a value, not the flag --pods"). Added to every flag that takes values.
CLI::Validator NotAFlag(const CLI::App& app);

// -o/--output F, F one of `formats`, the first the default, as kubectl's -o. `old_name`
// ("--format"), when given, is another name of the same flag.
CLI::Option* AddOutputFlag(CLI::App& app, std::string& format, std::vector<std::string> formats,
                           const std::string& description, const std::string& old_name = "");

// A flag taking a Kubernetes quantity (4Gi, 500m): positive, or with `allow_zero` at least
// zero; `set` receives it. Otherwise "--swap: \"x\" is not a quantity of at least 0".
CLI::Option* AddQuantityFlag(CLI::App& app, const std::string& name, bool allow_zero,
                             std::function<void(const Quantity&)> set,
                             const std::string& description);

}  // namespace podalloc::cli
