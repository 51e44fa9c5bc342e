// Helpers shared by the trainer's tests.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runfile/run_file.h"
#include "contract/params.h"
#include "contract/plan_file.h"
#include "temp_dir.h"

namespace rs::train::testing {

using rs::testing::TempDir;

// A short deterministic digits run on the CPU: small_cnn, width 8, 2 epochs, seed 7, mode d.
// The CPU is pinned: the tests that use it expect CPU values (energy, gpu_s, /env), also on a
// machine with a GPU.
inline nlohmann::json digits_params() {
  return {{"dataset", "digits"}, {"model", "small_cnn"}, {"width", 8}, {"epochs", 2},
          {"batch_size", 64},    {"mode", "d"},          {"seed", 7},  {"device", "cpu"}};
}

inline contract::PlanEntry plan_entry(const nlohmann::json& params) {
  contract::PlanEntry entry;
  entry.index = 0;
  entry.run_id = "0123456789abcdef";
  entry.group_id = "fedcba9876543210";
  entry.sweep = "test";
  entry.params = params;
  return entry;
}

// True when both hold the same floats, bit for bit.
inline bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The value of a run's setting `name`, "" when it has none.
inline std::string setting(const runfile::RunRecord& r, const std::string& name) {
  for (const auto& [key, value] : r.settings)
    if (key == name) return value;
  return "";
}

}  // namespace rs::train::testing
