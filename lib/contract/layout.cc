#include "contract/layout.h"

#include <filesystem>

namespace rs::contract {

std::string run_file_path(const std::string& runs_dir, const std::string& run_id) {
  return (std::filesystem::path(runs_dir) / (run_id + kRunFileSuffix)).string();
}

std::string checkpoint_path(const std::string& runs_dir, const std::string& run_id) {
  return (std::filesystem::path(runs_dir) / (run_id + kCheckpointSuffix)).string();
}

std::string lock_path(const std::string& runs_dir, const std::string& run_id) {
  return (std::filesystem::path(runs_dir) / (run_id + kLockSuffix)).string();
}

}  // namespace rs::contract
