// The run record the unit tests start from: a finished run with its identity and times set and
// nothing measured, which the run file's writer takes and its reader gives back. Each module's
// fixtures add what their tests read (tests/report/run_files.h, tests/energy/energy_runs.h,
// tests/report/fixture_sweep.cc); tests/runfile/example_run.h is the realistic one, every field
// set.
#pragma once

#include <string>

#include "runfile/run_file.h"

namespace rs::testing {

// Mode "nd", params_json "{}", started 2026-11-25T11:20:00Z and finished a minute later.
inline runfile::RunRecord finished_run_record(const std::string& run_id, const std::string& sweep_name,
                                              const std::string& group_id) {
  runfile::RunRecord record;
  record.run_id = run_id;
  record.group_id = group_id;
  record.sweep_name = sweep_name;
  record.params_json = "{}";
  record.mode = "nd";
  record.started_at = "2026-11-25T11:20:00Z";
  record.finished_at = "2026-11-25T11:21:00Z";
  return record;
}

}  // namespace rs::testing
