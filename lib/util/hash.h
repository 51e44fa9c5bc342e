// Content hashes used as identifiers (run_id, group_id) and as digests that tell a file that
// changed on disk from the one written (run files, checkpoints).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rs {

// 16 lowercase hex digits of XXH3-64 of `text`. XXH3's output is frozen since xxHash 0.8, so
// ids stay the same across machines and library versions.
std::string short_hash(std::string_view text);

// XXH3-64 (seed 0) of `size` bytes.
uint64_t xxh3_64(const void* data, size_t size);

// XXH3-64 (seed 0) of bytes given in pieces: the same value as xxh3_64() of them all at once.
class Xxh3Stream {
 public:
  Xxh3Stream();
  ~Xxh3Stream();
  Xxh3Stream(const Xxh3Stream&) = delete;
  Xxh3Stream& operator=(const Xxh3Stream&) = delete;

  void add(const void* data, size_t size);
  uint64_t value() const;

 private:
  struct State;  // xxHash's state; its header stays out of this one
  std::unique_ptr<State> state_;
};

}  // namespace rs
