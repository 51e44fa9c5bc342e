// Run files for the report tests, read back the way the collector reads them: the statistics
// read /weights/flat from the files, so a test run must be a file.
#pragma once

#include <string>

#include "report/evaluated_run.h"
#include "runfile/run_file.h"

namespace rs::report::testing {

// A record that reads back as a usable run: run_id, mode "nd", params_json "{}" and the other
// metadata set; no test samples, weights or epochs yet.
runfile::RunRecord test_record(const std::string& run_id);

// Writes `record` into `dir`, reads it back with read_run() and evaluates it for `metric`; the
// test fails if it does not read.
EvaluatedRun written_run(const std::string& dir, const runfile::RunRecord& record,
                         stats::Metric metric = stats::Metric::kAccuracy);

}  // namespace rs::report::testing
