// The noise sources: the random parts of training that a sweep varies one at a time, each on a
// seed of its own (docs/grid-file.md, "Seeds").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rs::contract {

enum class NoiseSource {
  kInit,     // the initial weights
  kShuffle,  // the order of the training data
  kAugment,  // augmentation's crops and flips
  kDropout,  // dropout's masks
  kBitflip,  // the one weight changed by one ULP after init (-1: none)
};

// Every source, in the order they have everywhere: plan.jsonl, run files' /seeds, the docs.
inline constexpr std::array<NoiseSource, 5> kNoiseSources = {
    NoiseSource::kInit, NoiseSource::kShuffle, NoiseSource::kAugment, NoiseSource::kDropout,
    NoiseSource::kBitflip};

// Its name in grid files, params and run files: "init", "shuffle", "augment", "dropout",
// "bitflip".
const char* noise_source_name(NoiseSource source);

// The source of that name; nullopt for any other text.
std::optional<NoiseSource> noise_source_named(std::string_view name);

// One seed per source. -1 means: no seed (bitflip: no weight is changed; a source the run does
// not use, in its run file).
struct SourceSeeds {
  std::array<int64_t, kNoiseSources.size()> by_source = {-1, -1, -1, -1, -1};

  int64_t& operator[](NoiseSource source) { return by_source[static_cast<size_t>(source)]; }
  const int64_t& operator[](NoiseSource source) const { return by_source[static_cast<size_t>(source)]; }
  bool operator==(const SourceSeeds& other) const { return by_source == other.by_source; }
  bool operator!=(const SourceSeeds& other) const { return by_source != other.by_source; }
};

}  // namespace rs::contract
