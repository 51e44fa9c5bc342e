// The `noise` setting of a point (docs/grid-file.md, "Seeds"): which noise sources
// (contract/noise_source.h) vary with the replica, and the seeds that follow.
//
// A setting is a preset name (algo+impl, algo, impl, control) or a list of sources. Presets fix
// the mode; a list leaves the mode to base/grid. Settings are normalised so that [shuffle, init]
// and [init, shuffle] are the same point.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "contract/mode.h"
#include "contract/noise_source.h"

namespace rs::grid {

// Per source, in kNoiseSources order: whether it varies with the replica.
using VaryingSources = std::array<bool, contract::kNoiseSources.size()>;

// Returns the normalised setting: a preset string, or the listed sources in kNoiseSources
// order. Throws rs::InputError("expected ...") for anything else.
nlohmann::json normalize_noise(const nlohmann::json& setting);

// The mode a preset fixes; nullopt for an explicit list.
std::optional<contract::Mode> preset_mode(const nlohmann::json& normalized_setting);

// Whether `source` varies with the replica under this setting.
bool source_varies(const nlohmann::json& normalized_setting, contract::NoiseSource source);
VaryingSources varying_sources(const nlohmann::json& normalized_setting);

// The seeds of replica `replica` of a point whose base seed is `seed`: a source held fixed gets
// `seed` (bitflip: -1, no flip), a varying one derive_seed().
contract::SourceSeeds replica_seeds(const VaryingSources& varies, int64_t seed, int64_t replica);

// The derived seed of a varying source: a SplitMix64 chain over (seed, source number, replica),
// the source number being its place in kNoiseSources counted from 1, shifted right by one so it
// is a non-negative int64. Sources never share a stream and neighbouring replicas are unrelated
// (unlike seed + replica).
int64_t derive_seed(int64_t seed, contract::NoiseSource source, int64_t replica);

}  // namespace rs::grid
