// Helpers shared by the trainer's tests.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "train/config.h"
#include "train/plan_entry.h"

namespace rs::train::testing {

// A fresh directory, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rs-train-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A short deterministic digits run: small_cnn, width 8, 2 epochs, seed 7, mode d.
inline nlohmann::json digits_params() {
  return {{"dataset", "digits"}, {"model", "small_cnn"}, {"width", 8}, {"epochs", 2},
          {"batch_size", 64},    {"mode", "d"},          {"seed", 7}};
}

inline PlanEntry plan_entry(const nlohmann::json& params) {
  PlanEntry entry;
  entry.index = 0;
  entry.run_id = "0123456789abcdef";
  entry.group_id = "fedcba9876543210";
  entry.sweep = "test";
  entry.params = params;
  return entry;
}

}  // namespace rs::train::testing
