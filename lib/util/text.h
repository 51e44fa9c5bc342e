// Text helpers shared by the tools' messages and generated files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rs {

// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
// plausible typo. Used for "did you mean ...?" hints.
std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates);

// `text` broken at spaces into lines of at most `width` characters (a longer word stays whole),
// the lines after the first starting with `indent`; each line ends with "\n". For notes on a
// terminal.
std::string wrap_text(std::string_view text, size_t width, std::string_view indent = "  ");

// `s` quoted for a POSIX shell with single quotes, so the shell takes it literally.
std::string shell_quote(std::string_view s);

// "1h02m", "3m05s", "12s": for progress lines and summaries.
std::string format_duration(double seconds);

// Current UTC time as ISO 8601 with a Z suffix, e.g. 2026-11-25T11:20:00Z.
std::string utc_now_iso8601();

// True when `s` is well-formed UTF-8 (no stray continuation bytes, overlong forms, surrogates
// or code points above U+10FFFF).
bool is_valid_utf8(std::string_view s);
// The offset of the first byte of `s` that is not well-formed UTF-8, or npos when there is none.
size_t invalid_utf8_at(std::string_view s);

// `s` made safe for a terminal, a log or JSON: well-formed UTF-8 stays as it is, and every
// byte of a malformed sequence and every control character but tab (and newline, with
// `keep_newlines`, for whole tables) becomes \xNN. For text that comes from files (paths,
// strings read from run files, checkpoints or data sets), which may hold anything.
std::string printable(std::string_view s, bool keep_newlines = false);

}  // namespace rs
