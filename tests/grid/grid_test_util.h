// Helpers for grid tests: parse a grid given as text, and catch the error message it gives.
#pragma once

#include <string>

#include "grid/grid_spec.h"
#include "grid/plan.h"
#include "util/error.h"

namespace rs::grid::testing {

inline GridSpec parse(const std::string& text) { return parse_grid(text, "g.yaml"); }

inline Plan plan(const std::string& text, int64_t max_array_size = 1001) {
  return expand_grid(parse(text), max_array_size);
}

// The InputError message that planning `text` gives, or "" when it plans fine.
inline std::string plan_error(const std::string& text) {
  try {
    plan(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace rs::grid::testing
