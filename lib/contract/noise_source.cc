#include "contract/noise_source.h"

namespace rs::contract {
namespace {

// Indexed by NoiseSource.
constexpr std::array<const char*, kNoiseSources.size()> kNames = {"init", "shuffle", "augment",
                                                                  "dropout", "bitflip"};

}  // namespace

const char* noise_source_name(NoiseSource source) { return kNames[static_cast<size_t>(source)]; }

std::optional<NoiseSource> noise_source_named(std::string_view name) {
  for (NoiseSource source : kNoiseSources)
    if (name == noise_source_name(source)) return source;
  return std::nullopt;
}

}  // namespace rs::contract
