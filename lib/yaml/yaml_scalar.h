// go-yaml v2's resolution of plain (unquoted, untagged) scalars, which sigs.k8s.io/yaml uses
// when it turns YAML into JSON.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace podalloc::internal {

// A boolean for y/yes/true/on and n/no/false/off in their three spellings (y, Y, yes, Yes,
// YES, ...), null for ~/null/Null/NULL, an integer for what Go's ParseInt/ParseUint read with
// base prefixes (0x, 0o, 0b, a leading 0 for octal) after dropping underscores, a double for a
// YAML-style float (1.5, .5, 1e3), a string otherwise. `infinite` is set for .inf/.nan, which
// have no JSON form.
nlohmann::json ResolvePlainScalar(std::string_view text, bool& infinite);

}  // namespace podalloc::internal
