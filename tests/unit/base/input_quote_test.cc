// QuoteInput and EscapeInput: how every error message shows the input it refuses.
#include "podalloc/internal/input_quote.h"

#include <string>

#include <catch2/catch.hpp>

namespace podalloc::internal {
namespace {

// Valid UTF-8, as a message must be for every caller.
bool IsValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST_CASE("input quote: plain text is quoted as it is", "[input_quote]") {
  CHECK(QuoteInput("0-3,5") == "\"0-3,5\"");
  CHECK(QuoteInput("") == "\"\"");
  CHECK(QuoteInput("caf\xc3\xa9 \xe2\x82\xac") == "\"caf\xc3\xa9 \xe2\x82\xac\"");
  CHECK(EscapeInput("memory") == "memory");
}

TEST_CASE("input quote: escapes as Go's %q escapes ASCII", "[input_quote]") {
  CHECK(QuoteInput("a\"b\\c") == R"("a\"b\\c")");
  CHECK(QuoteInput("\a\b\f\n\r\t\v") == R"("\a\b\f\n\r\t\v")");
  CHECK(QuoteInput(std::string("x\0y", 3)) == R"("x\x00y")");  // a NUL does not cut it
  CHECK(QuoteInput("\x1b[2J\x7f") == R"("\x1b[2J\x7f")");
}

TEST_CASE("input quote: bytes that are not UTF-8 are written as \\xNN", "[input_quote]") {
  CHECK(QuoteInput("0\xff") == R"("0\xff")");
  CHECK(QuoteInput("\xc3") == R"("\xc3")");              // truncated sequence
  CHECK(QuoteInput("\xc0\xaf") == R"("\xc0\xaf")");      // overlong '/'
  CHECK(QuoteInput("\xed\xa0\x80") == R"("\xed\xa0\x80")");  // a surrogate
  CHECK(QuoteInput("\xc2\x85") == R"("\xc2\x85")");      // C1 control NEL
  const std::string all = [] {
    std::string s;
    for (int b = 0; b < 256; ++b) s += static_cast<char>(b);
    return s;
  }();
  CHECK(IsValidUtf8(QuoteInput(all, all.size())));
}

TEST_CASE("input quote: long input is cut and its length said", "[input_quote]") {
  const std::string uid(10 * 1024 * 1024, 'u');
  const std::string quoted = QuoteInput(uid);
  CHECK(quoted == "\"" + std::string(kQuotedInputBytes, 'u') + "...\" (10485760 bytes)");
  CHECK(QuoteInput("abcdef", 3) == "\"abc...\" (6 bytes)");
  CHECK(EscapeInput("abcdef", 3) == "abc...");
  // A multi-byte character is never split: it is shown whole or not at all.
  CHECK(QuoteInput("ab\xe2\x82\xac", 3) == "\"ab...\" (5 bytes)");
  // Escapes grow the text, not the number of input bytes shown.
  const std::string binary(1000, '\x01');
  CHECK(QuoteInput(binary, 10).size() == 1 + 10 * 4 + 4 + std::string(" (1000 bytes)").size());
}

}  // namespace
}  // namespace podalloc::internal
