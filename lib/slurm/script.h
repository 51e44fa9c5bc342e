// The batch scripts `sweep plan` writes: one per array chunk and one collector.
//
// Their text comes from slurm/array.sbatch.in and slurm/collect.sbatch.in (compiled in). Options
// go into #SBATCH lines only, each already validated (options.h); paths go into the shell part
// single-quoted.
#pragma once

#include <cstdint>
#include <string>

#include "slurm/options.h"

namespace rs::slurm {

struct ScriptPaths {
  std::string sweep_dir;  // absolute
  std::string trainer;    // absolute path of the trainer executable
  std::string sweep;      // absolute path of the sweep executable (runs the collector)
};

struct ArrayScript {
  std::string sweep_name;
  int64_t number = 0;  // 0, 1, ...: array-NNN
  int64_t offset = 0;  // run index of task 0
  int64_t count = 0;   // tasks 0..count-1
  SlurmOptions options;
};

// Throws rs::InputError when a path holds characters that cannot go into an #SBATCH line.
std::string render_array_script(const ArrayScript& array, const ScriptPaths& paths);

std::string render_collect_script(const std::string& sweep_name, const SlurmOptions& options,
                                  const ScriptPaths& paths);

}  // namespace rs::slurm
