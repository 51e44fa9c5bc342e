#include "contract/layout.h"

#include <filesystem>
#include <string>

namespace rs::contract {

std::string run_file_path(const std::string& runs_dir, const std::string& run_id) {
  return (std::filesystem::path(runs_dir) / (run_id + kRunFileSuffix)).string();
}

std::string checkpoint_path(const std::string& runs_dir, const std::string& run_id) {
  return (std::filesystem::path(runs_dir) / (run_id + kCheckpointSuffix)).string();
}

std::string lock_path(const std::string& runs_dir, const std::string& run_id, int64_t rank) {
  const std::string name = rank == 0 ? run_id : run_id + ".rank" + std::to_string(rank);
  return (std::filesystem::path(runs_dir) / (name + kLockSuffix)).string();
}

}  // namespace rs::contract
