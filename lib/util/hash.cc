#include "util/hash.h"

#include <fmt/format.h>
#include <xxhash.h>

namespace rs {

std::string short_hash(std::string_view text) {
  return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

}  // namespace rs
