// sweep plan GRID.yaml -o DIR [--dry-run] [--explain] [--format text|json] [--force] [--trainer PATH]
//            [--forecast-from PATH... [--pue X] [--carbon-intensity Y | --region CODE]]
#include <iostream>
#include <utility>

#include <fmt/format.h>

#include "commands.h"
#include "contract/layout.h"
#include "contract/noise_source.h"
#include "energy/run_scan.h"
#include "forecast/forecast.h"
#include "forecast/forecast_text.h"
#include "grid/grid_spec.h"
#include "grid/plan.h"
#include "options.h"
#include "site_options.h"
#include "slurm/sbatch.h"
#include "sweep/write_plan.h"
#include "util/error.h"
#include "util/files.h"

namespace rs::app {
namespace {

namespace po = boost::program_options;

// SLURM's default MaxArraySize, used when the cluster cannot be asked.
constexpr int64_t kDefaultMaxArraySize = 1001;

void print_text_summary(const nlohmann::json& summary, const std::string& dir, bool written) {
  fmt::print("sweep '{}': {} points, {} runs, {} array{}\n", summary["name"].get<std::string>(),
             summary["points"].get<int64_t>(), summary["runs"].get<int64_t>(), summary["arrays"].size(),
             summary["arrays"].size() == 1 ? "" : "s");
  for (const auto& a : summary["arrays"]) {
    int64_t offset = a["offset"].get<int64_t>(), count = a["count"].get<int64_t>();
    const int64_t runs_per_task = a.value("runs_per_task", int64_t{1});
    fmt::print("  {}  tasks 0-{} = runs {}-{}{}{}{}\n", a["script"].get<std::string>(),
               a.value("tasks", count) - 1, offset, offset + count - 1,
               runs_per_task > 1 ? fmt::format(", {} per task", runs_per_task) : "",
               a.contains("environment") ? "  environment " + a["environment"].get<std::string>() : "",
               a["resources"].empty() ? "" : "  " + a["resources"].dump());
  }
  if (summary.contains("adaptive")) {
    int64_t at_min = 0;
    for (const auto& p : summary["adaptive"]) at_min += p["min"].get<int64_t>();
    fmt::print("  {} adaptive point{}: their replicas come in waves until the rule holds; the runs and bounds here "
               "count every replica up to max, the first wave {} of them\n",
               summary["adaptive"].size(), summary["adaptive"].size() == 1 ? "" : "s", at_min);
  }
  // Each in the unit its arrays ask for: GPU-hours where they ask for GPUs, CPU-hours where not.
  for (const auto& [key, unit] : {std::pair{"gpu_hours_at_time_limit", "GPU-hours"},
                                  {"cpu_hours_at_time_limit", "CPU-hours"}}) {
    if (summary[key].is_number() && summary[key].get<double>() > 0)
      fmt::print("  at most {:.1f} {} (every run using its whole time limit)\n",
                 summary[key].get<double>(), unit);
  }
  // GPU-hours are what SLURM will be asked for; run here, the same runs train on this CPU.
  bool asks_for_gpus = summary["gpu_hours_at_time_limit"].is_number() &&
                       summary["gpu_hours_at_time_limit"].get<double>() > 0;
  if (asks_for_gpus && !path_exists("/proc/driver/nvidia/version")) {
    fmt::print("  (no NVIDIA GPU here: `sweep run` trains on this CPU; `sweep submit` asks SLURM "
               "for GPUs)\n");
  }
  for (const auto& w : summary["warnings"]) fmt::print(stderr, "warning: {}\n", w.get<std::string>());
  if (written)
    fmt::print("written to {}\nnext: sweep run {}    (here)   or   sweep submit {}    (SLURM)\n", dir, dir, dir);
}

// Every point with its replicas and their seeds; a point shows the values that differ from base.
void print_explanation(const grid::GridSpec& spec, const grid::Plan& plan) {
  size_t next_run = 0;
  for (size_t p = 0; p < plan.points.size(); ++p) {
    const grid::Point& point = plan.points[p];
    std::string values;
    for (const auto& [key, value] : point.params.items())
      if (!spec.base.contains(key) || spec.base[key] != value)
        values += fmt::format(" {}={}", key, value.is_string() ? value.get<std::string>() : value.dump());
    fmt::print("point {} (group {}), {} replica{}:{}\n", p, point.group_id, point.replicas,
               point.replicas == 1 ? "" : "s", values);
    for (; next_run < plan.runs.size() && plan.runs[next_run].point == p; ++next_run) {
      const grid::Run& run = plan.runs[next_run];
      std::string seeds;
      for (contract::NoiseSource source : contract::kNoiseSources)
        seeds += fmt::format(" {}={}", contract::noise_source_name(source), run.seeds[source]);
      fmt::print("  run {:>4} {} replica {}:{}\n", run.index, run.run_id, run.replica, seeds);
    }
  }
}

}  // namespace

int plan_command(const Args& args) {
  po::options_description options("sweep plan options");
  std::string grid_path, dir, format, trainer;
  std::vector<std::string> overrides, forecast_from;
  options.add_options()
      ("grid", po::value(&grid_path)->required(), "grid file (YAML)")
      ("out,o", po::value(&dir), "sweep folder to write (required unless --dry-run)")
      ("dry-run", "print the summary, write nothing")
      ("explain", "print every point with its replicas and their seeds")
      ("format", po::value(&format)->default_value("text"), "summary format: text | json")
      ("force", "replace a different plan already in the folder (run files are kept)")
      ("set", po::value(&overrides)->composing(), "override a base value: KEY[.SUB]=VALUE (repeatable)")
      ("trainer", po::value(&trainer), "trainer executable the scripts run (default: next to sweep)")
      ("forecast-from", po::value(&forecast_from)->multitoken(),
       "run files or sweep folders to fit the cost of a run from: adds a forecast (docs/forecast.md)");
  SiteOptions site;
  add_site_options(&options, &site);
  double read_timeout_s = runfile::kDefaultReadTimeoutS;
  add_read_timeout_option(&options, &read_timeout_s);
  po::variables_map values;
  if (!parse_args(args, fmt::format("sweep plan GRID.yaml -o DIR [--set KEY=VALUE]... [--dry-run] [--explain] "
                                    "[--format text|json] [--force] [--forecast-from PATH... {} {}]",
                                    kSiteUsage, kReadTimeoutUsage),
                  options, {"grid"}, values))
    return 0;
  check_read_timeout(read_timeout_s);
  if (format != "text" && format != "json") throw InputError("--format: expected text or json, got " + format);
  bool dry_run = values.count("dry-run") > 0;
  if (!dry_run && dir.empty()) throw InputError("-o DIR is required (or use --dry-run)");

  grid::GridSpec spec = grid::load_grid(grid_path);
  for (const auto& assignment : overrides) grid::apply_override(spec, assignment);
  int64_t max_array_size = spec.slurm.max_array_size > 0
                               ? spec.slurm.max_array_size
                               : slurm::max_array_size_or(kDefaultMaxArraySize);
  grid::Plan plan = grid::expand_grid(spec, max_array_size);
  nlohmann::json summary = sweep::plan_summary(spec, plan);
  if (!forecast_from.empty()) {
    energy::ScannedRuns calibration = energy::scan_runs(forecast_from, "", read_timeout_s);
    summary["forecast"] = forecast::forecast_plan(plan, forecast::fit_cost_model(calibration.runs),
                                                  resolve_site_options(site, values));
  }

  if (!dry_run) {
    sweep::WriteOptions write;
    write.dir = dir;
    write.trainer = absolute_path(trainer.empty() ? own_directory() + "/trainer" : trainer);
    write.sweep = absolute_path(own_directory() + "/sweep");
    write.force = values.count("force") > 0;
    if (!path_exists(write.trainer))
      fmt::print(stderr, "warning: trainer {} does not exist here; the scripts will run it\n", write.trainer);
    sweep::write_plan(spec, plan, write);
    // Kept beside the plan it was made for, so that `sweep collect` can set the measured totals
    // next to it (report/forecast_check.h).
    if (summary.contains("forecast")) {
      nlohmann::json stored = summary["forecast"];
      stored["plan_id"] = summary["plan_id"];
      write_file_atomic(contract::forecast_path(absolute_path(dir)), stored.dump(2) + "\n");
    }
  }
  if (values.count("explain")) print_explanation(spec, plan);
  if (format == "json")
    std::cout << summary.dump(2) << "\n";
  else
    print_text_summary(summary, dir, !dry_run);
  if (format == "text" && summary.contains("forecast")) fmt::print("{}", forecast::forecast_text(summary["forecast"]));
  return 0;
}

}  // namespace rs::app
