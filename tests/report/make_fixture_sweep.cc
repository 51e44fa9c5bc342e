// make_fixture_sweep DIR [METRIC [wide|environments]]: writes the collector's test sweep
// (fixture_sweep.h) into DIR, its groups differing in eight parameters with `wide`, or the
// sweep of two environments with `environments`, and collects it comparing
// METRIC (default accuracy; stats/metric.h), so that check_summary.py can recompute
// DIR/results/summary.json. The site factors are those of `--pue 1.25 --region
// DE`, from no site file: check_summary.py expects exactly these.
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include "energy/site_config.h"
#include "fixture_sweep.h"
#include "report/collect.h"

int main(int argc, char** argv) {
  std::optional<rs::stats::Metric> metric =
      argc >= 3 ? rs::stats::parse_metric(argv[2]) : rs::stats::Metric::kAccuracy;
  bool wide = argc == 4 && std::string(argv[3]) == "wide";
  bool environments = argc == 4 && std::string(argv[3]) == "environments";
  if (argc < 2 || argc > 4 || !metric || (argc == 4 && !wide && !environments)) {
    std::fprintf(stderr,
                 "usage: make_fixture_sweep DIR [accuracy|macro_f1|balanced_accuracy|auc "
                 "[wide|environments]]\n");
    return 2;
  }
  try {
    if (environments) {
      rs::report::testing::write_environment_fixture(argv[1]);
    } else {
      rs::report::testing::write_fixture_sweep(argv[1], wide);
    }
    rs::report::CollectOptions options;
    options.sweep_dir = argv[1];
    options.metric = *metric;
    rs::energy::SiteOverrides command_line;
    command_line.pue = 1.25;
    command_line.region = "DE";
    options.site = rs::energy::resolve_site(command_line, {});
    rs::report::CollectResult result = rs::report::collect_sweep(options);
    std::printf("%s", result.terminal_table.c_str());
    for (const auto& run : result.skipped) {
      std::printf("skipped %s: %s\n", run.path_or_run_id.c_str(), run.reason.c_str());
    }
    for (const auto& run_id : result.missing_run_ids) std::printf("missing %s\n", run_id.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_fixture_sweep: %s\n", e.what());
    return 1;
  }
  return 0;
}
