#include "run_files.h"

#include <catch2/catch.hpp>

namespace rs::report::testing {

runfile::RunRecord test_record(const std::string& run_id) {
  runfile::RunRecord record;
  record.run_id = run_id;
  record.group_id = "group";
  record.sweep_name = "test";
  record.params_json = "{}";
  record.mode = "nd";
  record.started_at = "2026-11-25T11:20:00Z";
  record.finished_at = "2026-11-25T11:21:00Z";
  return record;
}

EvaluatedRun written_run(const std::string& dir, const runfile::RunRecord& record,
                         stats::Metric metric) {
  std::string why_not;
  std::optional<EvaluatedRun> run = read_run(runfile::write_run_file(dir, record), metric, &why_not);
  INFO(why_not);
  REQUIRE(run.has_value());
  evaluate(&*run, metric);
  return *run;
}

}  // namespace rs::report::testing
