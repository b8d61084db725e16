// File: podalloc/internal/input_quote.h
// How an error message shows the input it refuses. Input may be any bytes of any length (a
// 10 MB uid, a cpuset that is not UTF-8, text with a NUL in it), while a message must stay
// short, printable and valid UTF-8 for every caller (C strings, Go strings, logs). So input
// is never pasted into a message; it is quoted through QuoteInput: escaped, and cut with the
// total length said. Internal to podalloc: no API promise.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace podalloc::internal {

// Input bytes shown before a quote is cut: enough for any legitimate value of a field
// (a cpuset of a large machine, a quantity, a name), far below what a message can carry.
inline constexpr size_t kQuotedInputBytes = 128;

// `text` in double quotes, escaped as Go's %q (strconv.Quote) escapes ASCII, so the kubelet's
// messages that quote a name read the same: printable ASCII stays, '"' and '\' are
// backslash-escaped, \a \b \f \n \r \t \v spelled so, every other byte below 0x20, 0x7f and
// every byte that is not part of valid UTF-8 written \xNN. Valid UTF-8 from U+00A0 up stays
// as it is (C1 controls are written as bytes). Beyond `max_bytes` bytes of input the quote
// ends in "..." followed by the total length: "0-3,5,7..." (104857600 bytes).
std::string QuoteInput(std::string_view text, size_t max_bytes = kQuotedInputBytes);

// `text` escaped as QuoteInput escapes it but without quotes, cut after `max_bytes` bytes of
// input with "...": for names taken from input that become part of a field path
// ("spec.overhead.<name>") or of a message that has its own quoting.
std::string EscapeInput(std::string_view text, size_t max_bytes = kQuotedInputBytes);
// Appends EscapeInput(text, max_bytes) to `out`, without a temporary string: for paths built
// for every field read, error or not.
void AppendEscaped(std::string& out, std::string_view text, size_t max_bytes = kQuotedInputBytes);

// Appends the escaped form of `text` (no quotes) and returns how many bytes of it were
// consumed: all of it, or fewer when the escaped text reached `max_bytes` of input first (a
// UTF-8 sequence is never split). For renderers that quote pieces of a larger value.
size_t AppendEscapedInput(std::string& out, std::string_view text, size_t max_bytes);

}  // namespace podalloc::internal
