// Content hashes used as identifiers (run_id, group_id).
#pragma once

#include <string>
#include <string_view>

namespace rs {

// 16 lowercase hex digits of XXH3-64 of `text`. XXH3's output is frozen since xxHash 0.8, so
// ids stay the same across machines and library versions.
std::string short_hash(std::string_view text);

}  // namespace rs
