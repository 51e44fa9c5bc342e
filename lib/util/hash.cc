#include "util/hash.h"

#include <cstdint>
#include <new>

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

uint64_t xxh3_64(const void* data, size_t size) { return XXH3_64bits(data, size); }

struct Xxh3Stream::State {
  XXH3_state_t* xxh = XXH3_createState();  // its layout is not part of the shared library's API
  ~State() { XXH3_freeState(xxh); }
};

Xxh3Stream::Xxh3Stream() : state_(new State) {
  if (state_->xxh == nullptr) throw std::bad_alloc();
  XXH3_64bits_reset(state_->xxh);
}

Xxh3Stream::~Xxh3Stream() = default;

void Xxh3Stream::add(const void* data, size_t size) { XXH3_64bits_update(state_->xxh, data, size); }

uint64_t Xxh3Stream::value() const { return XXH3_64bits_digest(state_->xxh); }

}  // namespace rs
