// The podalloc command line: one CLI::App, a subcommand per line of subcommands.def, and the
// mapping of CLI11's outcomes to exit codes and messages.
#include "cli.h"

#include <cctype>
#include <memory>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli_flags.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc::cli {

#define PODALLOC_SUBCOMMAND(name, function, summary) RunFn function(CLI::App& app);
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

namespace {

constexpr char kSynopsis[] =
    "usage: podalloc <subcommand> [flags]\n"
    "       podalloc help [<subcommand>] | --version\n";

struct Command {
  CLI::App* app;
  RunFn run;
};

// Help was asked for on this line: -h/--help, also where a flag took it for its value
// ("--svg --help"), which CLI11 does for a flag's first value.
bool HelpAsked(const CLI::App& app) {
  if (app.get_help_ptr() != nullptr && app.get_help_ptr()->count() > 0) return true;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& value : option->results()) {
      if (value == "-h" || value == "--help") return true;
    }
  }
  return false;
}

// CLI11's message as the rest of ours read: lower case after "podalloc <subcommand>: ", and
// arguments left over named in the order given (CLI11 2.1 lists them backwards).
std::string Message(const CLI::Error& e, const CLI::App& where) {
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && !where.remaining().empty()) {
    std::vector<std::string> quoted;
    for (const std::string& arg : where.remaining()) quoted.push_back(internal::QuoteInput(arg));
    return absl::StrCat(quoted.size() == 1 ? "unexpected argument " : "unexpected arguments ",
                        absl::StrJoin(quoted, " "));
  }
  std::string text = e.what();
  if (!text.empty() && std::isupper(static_cast<unsigned char>(text[0])) &&
      (text.size() < 2 || !std::isupper(static_cast<unsigned char>(text[1])))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// The subcommand on the line, if any.
CLI::App* Selected(const std::vector<Command>& commands) {
  for (const Command& c : commands) {
    if (c.app->parsed()) return c.app;
  }
  return nullptr;
}

// The help of `app`, the top level's own: App::help() shows the selected subcommand's.
std::string TopHelp(const CLI::App& app) {
  return app.get_formatter()->make_help(&app, "podalloc", CLI::AppFormatMode::Normal);
}

// What a line CLI11 refused gets: help (asked for anywhere on it) or --version, exit 0; else the
// reason on io.err, exit 2.
int OnParseError(const CLI::ParseError& e, const CLI::App& app, const CLI::App* selected,
                 const Io& io) {
  const CLI::App& where = selected != nullptr ? *selected : app;
  if (dynamic_cast<const CLI::CallForVersion*>(&e) != nullptr) {
    io.out << e.what() << "\n";
    return kOk;
  }
  // CallForHelp has the exit code Success.
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success) || HelpAsked(where)) {
    io.out << (selected != nullptr ? selected->help() : TopHelp(app));
    return kOk;
  }
  if (selected == nullptr && !app.remaining().empty() && app.remaining().front()[0] != '-') {
    io.err << "podalloc: unknown subcommand " << internal::QuoteInput(app.remaining().front())
           << "\n\n"
           << TopHelp(app);
    return kUsage;
  }
  const std::string name = selected != nullptr ? "podalloc " + selected->get_name() : "podalloc";
  io.err << name << ": " << Message(e, where) << "\n"
         << "Run '" << name << " --help' for "
         << (selected != nullptr ? "its flags and examples" : "help") << ".\n";
  return kUsage;
}

}  // namespace

int RunCommandLine(int argc, const char* const* argv, const Io& io) {
  CLI::App app("", "podalloc");
  SetUsage(app, kSynopsis);
  app.set_help_flag("-h,--help", "print this help and exit")->group("flags");
  app.set_version_flag("--version", absl::StrCat("podalloc ", PODALLOC_VERSION_STRING),
                       "print the version and exit")
      ->group("flags");
  app.require_subcommand(0, 1);
  app.footer("Run 'podalloc <subcommand> --help' for its flags and examples.");

  std::vector<Command> commands;
  for (const Subcommand& s : Subcommands()) {
    CLI::App* sub = app.add_subcommand(s.name, s.summary)->group("subcommands");
    sub->get_help_ptr()->group("flags");
    sub->option_defaults()->group("flags");
    RunFn run = s.add(*sub);
    for (CLI::Option* option : sub->get_options()) {
      if (option->get_expected_max() != 0) option->check(NotAFlag(*sub));
    }
    commands.push_back({sub, std::move(run)});
  }
  // `podalloc help [subcommand]`: not listed among the subcommands, named in the usage.
  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "print this help, or a subcommand's")->group("");
  help->add_option("subcommand", help_topic)->check(OneOf([] {
    std::vector<std::string> names;
    for (const Subcommand& s : Subcommands()) names.push_back(s.name);
    return names;
  }()));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return OnParseError(e, app, Selected(commands), io);
  }
  if (help->parsed()) {
    for (const Command& c : commands) {
      if (c.app->get_name() == help_topic) {
        io.out << c.app->help();
        return kOk;
      }
    }
    io.out << TopHelp(app);
    return kOk;
  }
  for (const Command& c : commands) {
    if (c.app->parsed()) return c.run(io);
  }
  io.err << TopHelp(app);
  return kUsage;
}

}  // namespace podalloc::cli
