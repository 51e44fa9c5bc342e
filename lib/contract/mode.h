// The two modes a run trains in (docs/trainer.md, "Modes, TF32 and cuDNN benchmark"): nd, the
// default kernels, which on a GPU need not repeat bit for bit, and d, deterministic kernels only.
#pragma once

#include <optional>
#include <string_view>

namespace rs::contract {

enum class Mode { kNd, kD };

// Its name in grid files, params, run files and reports: "nd" or "d".
const char* mode_name(Mode mode);

// The mode of that name; nullopt for any other text.
std::optional<Mode> mode_named(std::string_view name);

}  // namespace rs::contract
