#include "util/hash.h"

#include <cstdint>

#include <xxhash.h>

namespace rs {

std::string short_hash(std::string_view text) {
  // By hand, not fmt::format("{:016x}"): a million-run plan hashes a million texts, and fmt's
  // general path was a third of the expansion's time.
  static constexpr char kDigits[] = "0123456789abcdef";
  uint64_t hash = XXH3_64bits(text.data(), text.size());
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) hex[static_cast<size_t>(i)] = kDigits[hash & 15];
  return hex;
}

}  // namespace rs
