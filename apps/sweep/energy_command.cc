// sweep energy PATH... [--by KEY] [--since DATE] [--format table|csv|json|md] [--pue X]
//                      [--carbon-intensity Y | --region CODE]
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "energy/energy_output.h"
#include "energy/energy_report.h"
#include "energy/run_scan.h"
#include "energy/slurm_check.h"
#include "options.h"
#include "site_options.h"
#include "util/error.h"
#include "util/table.h"
#include "util/text.h"

namespace rs::app {

namespace po = boost::program_options;

int energy_command(const Args& args) {
  po::options_description options("sweep energy options");
  std::vector<std::string> paths;
  std::string by, since, format;
  SiteOptions site;
  options.add_options()
      ("paths", po::value(&paths)->required(), "sweep folders, folders of run files, run files")
      ("by", po::value(&by)->default_value("sweep"), "group by sweep, user, account, partition, gpu_model, node or day")
      ("since", po::value(&since), "only runs finished on or after DATE (YYYY-MM-DD, UTC)")
      ("format", po::value(&format)->default_value("table"), "table | csv | json | md");
  add_site_options(&options, &site);
  double read_timeout_s = 0;
  add_read_timeout_option(&options, &read_timeout_s);
  po::variables_map values;
  // One positional slot per argument (at least one): every positional argument is a path.
  const std::vector<std::string> positional(std::max<size_t>(1, args.size()), "paths");
  if (!parse_args(args,
                  fmt::format("sweep energy PATH... [--by KEY] [--since DATE] [--format table|csv|json|md] {} {}",
                              kSiteUsage, kReadTimeoutUsage),
                  options, positional, values))
    return 0;
  if (format != "table" && format != "csv" && format != "json" && format != "md")
    throw InputError("--format: expected table, csv, json or md, got " + format);
  check_read_timeout(read_timeout_s);

  energy::GroupBy group_by = energy::parse_group_by(by);
  energy::SiteConfig config = resolve_site_options(site, values);
  energy::ScannedRuns scanned = energy::scan_runs(paths, since, read_timeout_s);
  energy::EnergyReport report = energy::summarize(scanned.runs, group_by);
  energy::SacctAnswer sacct = energy::ask_sacct(energy::slurm_job_ids(scanned.runs, scanned.local_array_job_ids));
  energy::SlurmCheck check = energy::compare_with_slurm(scanned.runs, scanned.local_array_job_ids, sacct);
  std::vector<std::string> notes = energy::energy_notes(report, config, check, scanned);

  if (format == "json") {
    fmt::print("{}\n", energy::energy_json(report, config, check, scanned).dump(2));
    return 0;
  }
  // Run files are written by whoever ran the runs: what they hold reaches the terminal escaped.
  auto text = [](const std::string& s) { return printable(s, true); };
  if (format == "csv") {
    // CSV holds the table alone; what it takes to read it goes to stderr.
    fmt::print("{}", text(to_csv(energy::energy_table(report, config))));
    for (const std::string& note : notes) fmt::print(stderr, "{}\n", text(note));
    return 0;
  }
  auto render = format == "md" ? to_markdown : to_terminal;
  fmt::print("{}\n", text(render(energy::energy_table(report, config))));
  for (const std::string& note : notes) fmt::print("{}{}\n", format == "md" ? "- " : "", text(note));
  if (check.done) fmt::print("\n{}", text(render(energy::slurm_table(check))));
  return 0;
}

}  // namespace rs::app
