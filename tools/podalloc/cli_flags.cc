#include "cli_flags.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc::cli {
namespace {

class UsageFormatter : public CLI::Formatter {
 public:
  explicit UsageFormatter(std::string usage) : usage_(std::move(usage)) { column_width(24); }

  std::string make_help(const CLI::App* app, std::string /*name*/,
                        CLI::AppFormatMode mode) const override {
    std::ostringstream out;
    out << usage_;
    std::vector<std::string> groups = app->get_groups();
    if (const CLI::Option* help = app->get_help_ptr(); help != nullptr) {
      // The subcommand's own flags and -h/--help after the shared groups.
      auto own = std::find(groups.begin(), groups.end(), help->get_group());
      if (own != groups.end()) std::rotate(own, own + 1, groups.end());
    }
    for (const std::string& group : groups) {
      std::vector<const CLI::Option*> options = app->get_options(
          [&group](const CLI::Option* o) { return o->get_group() == group && o->nonpositional(); });
      if (!group.empty() && !options.empty()) out << make_group(group, false, options);
    }
    out << make_subcommands(app, mode);
    if (!app->get_footer().empty()) out << "\n" << app->get_footer() << "\n";
    return out.str();
  }

  // "-o, --output", as most commands print them.
  std::string make_option_name(const CLI::Option* option, bool positional) const override {
    return absl::StrJoin(absl::StrSplit(CLI::Formatter::make_option_name(option, positional), ','),
                         ", ");
  }

  // The value's name and "..." for several; not the flags it excludes, which the group's
  // title says ("machine (exactly one)").
  std::string make_option_opts(const CLI::Option* option) const override {
    const std::string type = option->get_type_name();
    if (option->get_type_size() == 0 || option->get_expected_max() == 0 || type.empty()) return "";
    std::string opts = absl::StrCat(" ", type);
    if (option->get_expected_max() == CLI::detail::expected_max_vector_size) {
      absl::StrAppend(&opts, " ...");
    }
    return opts;
  }

 private:
  std::string usage_;
};

}  // namespace

void SetUsage(CLI::App& app, std::string usage) {
  app.formatter(std::make_shared<UsageFormatter>(std::move(usage)));
}

CLI::Validator OneOf(std::vector<std::string> choices) {
  return CLI::Validator(
      [choices](std::string& value) -> std::string {
        if (std::find(choices.begin(), choices.end(), value) != choices.end()) return "";
        return absl::StrCat(internal::QuoteInput(value), " is not one of ",
                            absl::StrJoin(choices, ", "));
      },
      "");
}

CLI::Validator NotAFlag(const CLI::App& app) {
  return CLI::Validator(
      [&app](std::string& value) -> std::string {
        if (value.size() < 2 || value[0] != '-') return "";
        const std::string name = value.substr(0, value.find('='));
        if (app.get_option_no_throw(name) == nullptr) return "";
        return absl::StrCat("needs a value, not the flag ", name);
      },
      "");
}

CLI::Option* AddOutputFlag(CLI::App& app, std::string& format, std::vector<std::string> formats,
                           const std::string& description, const std::string& old_name) {
  format = formats.front();
  const std::string type = absl::StrJoin(formats, "|");
  const std::string names = old_name.empty() ? "-o,--output" : "-o,--output," + old_name;
  return app.add_option(names, format, description)
      ->type_name(type)
      ->check(OneOf(std::move(formats)));
}

CLI::Option* AddQuantityFlag(CLI::App& app, const std::string& name, bool allow_zero,
                             std::function<void(const Quantity&)> set,
                             const std::string& description) {
  auto parse = [allow_zero](const std::string& text) -> std::optional<Quantity> {
    absl::StatusOr<Quantity> q = Quantity::Parse(text);
    if (!q.ok() || q->Sign() < (allow_zero ? 0 : 1)) return std::nullopt;
    return *q;
  };
  CLI::Validator check(
      [parse, allow_zero](std::string& value) -> std::string {
        if (parse(value).has_value()) return "";
        return absl::StrCat(internal::QuoteInput(value), " is not a quantity of ",
                            allow_zero ? "at least 0" : "more than 0", " (e.g. 4Gi, 500m, 2)");
      },
      "");
  return app
      .add_option_function<std::string>(
          name, [parse, set](const std::string& value) { set(*parse(value)); }, description)
      ->type_name("Q")
      ->check(check);
}

}  // namespace podalloc::cli
