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

}  // namespace rs
