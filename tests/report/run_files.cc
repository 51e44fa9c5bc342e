#include "run_files.h"

#include <catch2/catch.hpp>

#include "run_record.h"

namespace rs::report::testing {

runfile::RunRecord test_record(const std::string& run_id) {
  return rs::testing::finished_run_record(run_id, "test", "group");
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
