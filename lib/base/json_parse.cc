// ParseJson: nlohmann's parser driven through a SAX handler that bounds the nesting depth and
// turns every parse failure into a short InvalidArgument. The document is built by nlohmann's
// own DOM builder (the one json::parse uses), so a successful parse costs what json::parse
// costs. Only after a failure is the text read a second time, without building anything, to
// name the path where the first pass stopped.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"

namespace podalloc::internal {
namespace {

// nlohmann's out_of_range id for "number overflow parsing '1e400'".
constexpr int kNumberOverflowId = 406;
// The longest path and token a message shows.
constexpr size_t kPathBytes = 160;
constexpr size_t kTokenBytes = 40;

enum class Failure { kNone, kTooDeep, kNumberOverflow, kSyntax };

struct ParseFailure {
  Failure kind = Failure::kNone;
  std::string token;   // the last token read (the number, for kNumberOverflow)
  std::string reason;  // nlohmann's description, for kSyntax
};

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
// while parsing value - invalid literal; last read: 'x'" without its id and its unescaped
// echo of the input.
std::string SyntaxReason(std::string_view what) {
  if (what.substr(0, 1) == "[") {
    const size_t close = what.find("] ");
    if (close != std::string_view::npos) what.remove_prefix(close + 2);
  }
  const size_t echo = what.find("; last read: ");
  if (echo != std::string_view::npos) what = what.substr(0, echo);
  return std::string(what);
}

template <typename Exception>
ParseFailure Describe(const std::string& last_token, const Exception& ex) {
  ParseFailure f;
  f.kind = ex.id == kNumberOverflowId ? Failure::kNumberOverflow : Failure::kSyntax;
  f.token = last_token;
  f.reason = SyntaxReason(ex.what());
  return f;
}

// Builds the document with nlohmann's DOM builder, counting depth on the way.
template <typename Json>
class BoundedDomBuilder {
 public:
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;
  using number_float_t = typename Json::number_float_t;
  using string_t = typename Json::string_t;
  using binary_t = typename Json::binary_t;

  BoundedDomBuilder(Json& root, std::vector<std::string>* duplicate_keys)
      : dom_(root, /*allow_exceptions=*/false), duplicate_keys_(duplicate_keys) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) { return dom_.number_float(v, s); }
  bool string(string_t& v) { return dom_.string(v); }
  bool binary(binary_t& v) { return dom_.binary(v); }
  bool key(string_t& v) {
    if (duplicate_keys_ != nullptr && !open_objects_.empty() &&
        !open_objects_.back().insert(v).second) {
      duplicate_keys_->push_back(v);
    }
    return dom_.key(v);
  }
  bool start_object(std::size_t n) {
    if (duplicate_keys_ != nullptr) open_objects_.emplace_back();
    return Enter() && dom_.start_object(n);
  }
  bool start_array(std::size_t n) { return Enter() && dom_.start_array(n); }
  bool end_object() {
    --depth_;
    if (duplicate_keys_ != nullptr && !open_objects_.empty()) open_objects_.pop_back();
    return dom_.end_object();
  }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  template <typename Exception>
  bool parse_error(std::size_t, const std::string& last_token, const Exception& ex) {
    failure_ = Describe(last_token, ex);
    return false;
  }

  const ParseFailure& failure() const { return failure_; }

 private:
  bool Enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    failure_.kind = Failure::kTooDeep;
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  int depth_ = 0;
  ParseFailure failure_;
  // Only when the caller asks for repeated keys: the keys seen in each open object.
  std::vector<std::string>* duplicate_keys_;
  std::vector<std::set<std::string, std::less<>>> open_objects_;
};

// Follows the document's structure without keeping any of it, to name the place where the
// first pass stopped: it stops at the same event, for the same reason.
class PathTracker {
 public:
  using Json = nlohmann::json;

  bool null() { return Value(); }
  bool boolean(bool) { return Value(); }
  bool number_integer(Json::number_integer_t) { return Value(); }
  bool number_unsigned(Json::number_unsigned_t) { return Value(); }
  bool number_float(Json::number_float_t, const Json::string_t&) { return Value(); }
  bool string(Json::string_t&) { return Value(); }
  bool binary(Json::binary_t&) { return Value(); }
  bool key(Json::string_t& k) {
    frames_.back().key = k.substr(0, kPathBytes);
    return true;
  }
  bool start_object(std::size_t) { return Enter(true); }
  bool start_array(std::size_t) { return Enter(false); }
  bool end_object() { return Leave(); }
  bool end_array() { return Leave(); }
  template <typename Exception>
  bool parse_error(std::size_t, const std::string&, const Exception&) {
    return false;
  }

  // The path of the value being read when the parse stopped.
  std::string Path(JsonPathStyle style) const {
    std::string out;
    for (const Frame& f : frames_) {
      if (out.size() > kPathBytes) break;
      if (f.object) {
        if (style == JsonPathStyle::kPointer) {
          out += '/';
        } else if (!out.empty()) {
          out += '.';
        }
        AppendEscapedInput(out, f.key, kPathBytes);
      } else if (style == JsonPathStyle::kPointer) {
        absl::StrAppend(&out, "/", f.index);
      } else {
        absl::StrAppend(&out, "[", f.index, "]");
      }
    }
    if (out.size() > kPathBytes) {
      out.resize(kPathBytes);
      out += "...";
    }
    if (out.empty()) return style == JsonPathStyle::kPointer ? "/" : "(document)";
    return out;
  }

 private:
  struct Frame {
    bool object = false;
    size_t index = 0;  // elements of an array read so far
    std::string key;   // the current key of an object
  };

  // A scalar completed the current element.
  bool Value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }
  bool Enter(bool object) {
    if (static_cast<int>(frames_.size()) >= kMaxJsonDepth) return false;
    frames_.push_back(Frame{object, 0, {}});
    return true;
  }
  bool Leave() {
    frames_.pop_back();
    return Value();
  }

  std::vector<Frame> frames_;
};

absl::Status FailureStatus(std::string_view text, const ParseFailure& f, JsonPathStyle style) {
  if (f.kind == Failure::kSyntax || f.kind == Failure::kNone) {
    std::string message = f.reason.empty() ? "malformed JSON" : f.reason;
    if (!f.token.empty()) {
      absl::StrAppend(&message, "; last read: ", QuoteInput(f.token, kTokenBytes));
    }
    return absl::InvalidArgumentError(message);
  }
  PathTracker tracker;
  nlohmann::json::sax_parse(text.begin(), text.end(), &tracker);
  const std::string path = tracker.Path(style);
  if (f.kind == Failure::kTooDeep) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": nests deeper than ", kMaxJsonDepth, " arrays and objects"));
  }
  return absl::InvalidArgumentError(absl::StrCat(path, ": the number ",
                                                 QuoteInput(f.token, kTokenBytes),
                                                 " is beyond the range of a double"));
}

template <typename Json>
absl::StatusOr<Json> Parse(std::string_view text, JsonPathStyle style,
                           std::vector<std::string>* duplicate_keys) {
  Json doc;
  BoundedDomBuilder<Json> builder(doc, duplicate_keys);
  if (Json::sax_parse(text.begin(), text.end(), &builder)) return doc;
  return FailureStatus(text, builder.failure(), style);
}

}  // namespace

absl::StatusOr<nlohmann::json> ParseJson(std::string_view text, JsonPathStyle style,
                                         std::vector<std::string>* duplicate_keys) {
  return Parse<nlohmann::json>(text, style, duplicate_keys);
}

absl::StatusOr<nlohmann::ordered_json> ParseOrderedJson(std::string_view text,
                                                        JsonPathStyle style) {
  return Parse<nlohmann::ordered_json>(text, style, nullptr);
}

const nlohmann::ordered_json* GoJsonField(const nlohmann::ordered_json& object,
                                          std::string_view name) {
  const nlohmann::ordered_json* found = nullptr;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (absl::EqualsIgnoreCase(it.key(), absl::string_view(name.data(), name.size()))) {
      found = &it.value();
    }
  }
  return found;
}

}  // namespace podalloc::internal
