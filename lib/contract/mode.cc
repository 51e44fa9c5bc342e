#include "contract/mode.h"

namespace rs::contract {

const char* mode_name(Mode mode) { return mode == Mode::kD ? "d" : "nd"; }

std::optional<Mode> mode_named(std::string_view name) {
  for (Mode mode : {Mode::kNd, Mode::kD})
    if (name == mode_name(mode)) return mode;
  return std::nullopt;
}

}  // namespace rs::contract
