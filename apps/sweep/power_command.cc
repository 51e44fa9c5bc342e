// sweep power DIR [--sd-halfwidth PP] [--difference PP] [--alpha A] [--power P] [--format text|json]
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "options.h"
#include "report/collect.h"
#include "report/replica_plan.h"
#include "util/error.h"
#include "util/table.h"
#include "util/text.h"

namespace rs::app {

namespace po = boost::program_options;

int power_command(const Args& args) {
  po::options_description options("sweep power options");
  report::CollectOptions collect;
  report::PowerTargets targets;
  std::string format;
  options.add_options()
      ("dir", po::value(&collect.sweep_dir)->required(), "the pilot's sweep folder")
      ("sd-halfwidth", po::value(&targets.sd_halfwidth_pp)->default_value(targets.sd_halfwidth_pp),
       "target half-width of the accuracy SD's confidence interval, percentage points")
      ("difference", po::value(&targets.difference_pp)->default_value(targets.difference_pp),
       "ND-vs-D difference in accuracy to detect, percentage points")
      ("alpha", po::value(&targets.alpha)->default_value(targets.alpha),
       "the test's level; the interval is 1 - alpha")
      ("power", po::value(&targets.power)->default_value(targets.power), "the test's power")
      ("format", po::value(&format)->default_value("text"), "output: text | json");
  add_read_timeout_option(&options, &collect.read_timeout_s);
  po::variables_map values;
  if (!parse_args(args,
                  fmt::format("sweep power DIR [--sd-halfwidth PP] [--difference PP] [--alpha A] "
                              "[--power P] [--format text|json] {}",
                              kReadTimeoutUsage),
                  options, {"dir"}, values))
    return 0;
  if (format != "text" && format != "json") throw InputError("--format: expected text or json, got " + format);
  check_read_timeout(collect.read_timeout_s);
  report::check_targets(targets);

  report::SweepSummary summary = report::summarize_sweep(collect);
  if (summary.groups.empty()) throw InputError(collect.sweep_dir + ": " + report::no_runs_sentence(summary));
  std::vector<report::ReplicaPlan> plans = report::plan_replicas(summary, targets);
  if (format == "json") {
    std::cout << report::replica_plans_to_json(summary, targets, plans).dump(2) << "\n";
  } else {
    fmt::print("{}", printable(to_terminal(report::replica_table(summary, targets, plans)), true));
  }
  for (const auto& s : summary.skipped)
    fmt::print(stderr, "skipped {}: {}\n", printable(s.path_or_run_id), printable(s.reason));
  return 0;
}

}  // namespace rs::app
