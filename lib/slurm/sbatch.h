// Talking to a real SLURM: sbatch and scontrol, started without a shell (util/process.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rs::slurm {

// `sbatch --parsable [options...] script`; returns the job id (without ";cluster").
// Throws std::runtime_error with sbatch's message when it fails.
std::string sbatch(const std::string& script, const std::vector<std::string>& options = {});

// `sbatch --test-only script`: throws std::runtime_error with sbatch's message when the
// script would be rejected.
void sbatch_test_only(const std::string& script);

// MaxArraySize from `scontrol show config`, or `fallback` when scontrol is absent or fails.
int64_t max_array_size_or(int64_t fallback);

}  // namespace rs::slurm
