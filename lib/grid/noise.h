// Noise sources and the `noise` setting of a point (docs/grid-file.md, "Seeds").
//
// A setting is a preset name (algo+impl, algo, impl, control) or a list of sources. Presets fix
// the mode; a list leaves the mode to base/grid. Settings are normalised so that [shuffle, init]
// and [init, shuffle] are the same point.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace rs::grid {

// In this order everywhere: plan.jsonl, run files, docs.
inline constexpr std::array<const char*, 5> kSources = {"init", "shuffle", "augment", "dropout",
                                                        "bitflip"};

// Returns the normalised setting: a preset string, or the listed sources in kSources order.
// Throws rs::InputError("expected ...") for anything else.
nlohmann::json normalize_noise(const nlohmann::json& setting);

// The mode a preset fixes ("d" or "nd"); nullopt for an explicit list.
std::optional<std::string> preset_mode(const nlohmann::json& normalized_setting);

// Whether `source` varies with the replica under this setting.
bool source_varies(const nlohmann::json& normalized_setting, const std::string& source);

// For each source in kSources order, whether it varies under this setting.
std::array<bool, kSources.size()> varying_sources(const nlohmann::json& normalized_setting);

// The seed of source kSources[source] for replica `replica` of a point whose base seed is
// `seed`: `seed` when the source is held fixed (bitflip: -1, no flip), derive_seed() when it
// varies.
int64_t source_seed(bool varies, size_t source, int64_t seed, int64_t replica);

// The derived seed of a varying source: a SplitMix64 chain over (seed, source number 1..5,
// replica), shifted right by one so it is a non-negative int64. Sources never share a stream
// and neighbouring replicas are unrelated (unlike seed + replica).
int64_t derive_seed(int64_t seed, int source_number, int64_t replica);

}  // namespace rs::grid
