// JsonExcerpt: a parsed value rendered for an error message, with an explicit stack instead of
// recursion and a byte budget instead of rendering everything and cutting afterwards.
#include <string>
#include <vector>

#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"

namespace podalloc::internal {
namespace {

// Appends `s` quoted; false when the budget ran out first (the quote is left open).
bool AppendString(std::string& out, std::string_view s, size_t max_bytes) {
  out += '"';
  const size_t room = out.size() < max_bytes ? max_bytes - out.size() : 0;
  if (AppendEscapedInput(out, s, room) != s.size()) return false;
  out += '"';
  return true;
}

template <typename Json>
std::string Excerpt(const Json& value, size_t max_bytes) {
  struct Frame {
    const Json* container;
    typename Json::const_iterator next;
  };
  std::vector<Frame> stack;
  std::string out;
  bool cut = false;
  // Writes a scalar, or opens a container and pushes it.
  auto open = [&](const Json& v) {
    if (v.is_object() || v.is_array()) {
      out += v.is_object() ? '{' : '[';
      stack.push_back(Frame{&v, v.cbegin()});
    } else if (v.is_string()) {
      cut = !AppendString(out, v.template get_ref<const std::string&>(), max_bytes);
    } else {
      out += v.dump();  // a number, boolean, null or binary value: short, never nested
    }
  };
  open(value);
  while (!stack.empty() && !cut) {
    if (out.size() >= max_bytes) {
      cut = true;
      break;
    }
    Frame& top = stack.back();
    const Json& container = *top.container;
    if (top.next == container.cend()) {
      out += container.is_object() ? '}' : ']';
      stack.pop_back();
      continue;
    }
    if (top.next != container.cbegin()) out += ',';
    const auto element = top.next++;
    if (container.is_object()) {
      if (!AppendString(out, element.key(), max_bytes)) {
        cut = true;
        break;
      }
      out += ':';
    }
    open(*element);  // may grow `stack`; `top` is not used after this
  }
  if (cut) out += "...";
  return out;
}

}  // namespace

std::string JsonExcerpt(const nlohmann::json& value, size_t max_bytes) {
  return Excerpt(value, max_bytes);
}

std::string JsonExcerpt(const nlohmann::ordered_json& value, size_t max_bytes) {
  return Excerpt(value, max_bytes);
}

}  // namespace podalloc::internal
