// A realistic run record: what the trainer would write for a short GPU run under SLURM.
#pragma once

#include "runfile/run_file.h"

namespace rs::runfile::testing {

// 3 epochs, 6 test samples in 4 classes and 3 sub-groups, every field set to a distinct value.
RunRecord example_run_record();

}  // namespace rs::runfile::testing
