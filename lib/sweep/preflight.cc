#include "sweep/preflight.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "contract/layout.h"
#include "contract/mode.h"
#include "contract/params.h"
#include "runfile/environment_promise.h"
#include "slurm/queue.h"
#include "slurm/sbatch.h"
#include "slurm/script.h"
#include "sweep/local_run.h"
#include "contract/plan_file.h"
#include "sweep/planned_sweep.h"
#include "util/error.h"
#include "util/files.h"
#include "util/hash.h"
#include "util/process.h"
#include "util/text.h"

namespace rs::sweep {
namespace {

using contract::Mode;
using nlohmann::json;

constexpr int64_t kCopies = 3;  // d, d, nd: plan lines 3N, 3N + 1, 3N + 2

std::string summary_file(const std::string& dir) { return contract::preflight_dir(dir) + "/preflight.json"; }

// DIR/preflight/slurm/<script>
std::string script_path(const std::string& dir, const std::string& script) {
  return contract::scripts_dir(contract::preflight_dir(dir)) + "/" + script;
}

// One per distinct environment and `resources` of the sweep's arrays, in plan order: the first
// array of each.
struct Combination {
  int64_t number = 0;
  std::string environment;
  json resources;
  int64_t run_index = 0;
  std::string array_script, script;
  int64_t cpus_per_task = 1, gpus_per_task = 0;
};

std::vector<Combination> combinations_of(const PlannedSweep& sweep) {
  std::vector<Combination> out;
  std::set<std::string> seen;
  for (const PlannedArray& a : sweep.arrays) {
    if (!seen.insert(a.environment + " " + a.resources.dump()).second) continue;
    const auto number = static_cast<int64_t>(out.size());
    out.push_back({number, a.environment, a.resources, a.offset, a.script,
                   fmt::format("preflight-{:03d}.sbatch", number), a.cpus_per_task, a.gpus_per_task});
  }
  return out;
}

// `params` in `mode`, cut to `epochs` epochs and at most `samples` samples per part. Warm-up
// epochs and snapshot cycles that no longer fit go; the result is checked as `sweep plan` checks.
json shortened(json params, Mode mode, const PreflightOptions& options, int64_t run_index) {
  params["mode"] = contract::mode_name(mode);
  params["epochs"] = options.epochs;
  // One rank: the preflight proves that a GPU type repeats itself; its script starts one trainer.
  params.erase("world_size");
  params.erase("nodes");
  json& dataset = params["dataset"];
  if (dataset.is_string()) dataset = json{{"name", dataset}};
  for (const char* key : {"n_train", "n_test"}) {
    const bool given = dataset.is_object() && dataset.contains(key) && dataset[key].is_number_integer();
    dataset[key] = given ? std::min(dataset[key].get<int64_t>(), options.samples) : options.samples;
  }
  if (params.contains("warmup_epochs") && params["warmup_epochs"].is_number_integer() &&
      params["warmup_epochs"].get<int64_t>() >= options.epochs)
    params.erase("warmup_epochs");
  if (params.contains("snapshot_cycles") && params["snapshot_cycles"].is_number_integer()) {
    const int64_t warmup = params.value("warmup_epochs", int64_t{0});
    const int64_t cycles = params["snapshot_cycles"].get<int64_t>();
    if (cycles < 1 || (options.epochs - warmup) % cycles != 0) params.erase("snapshot_cycles");
  }
  try {
    contract::parse_train_config(params);
  } catch (const InputError& e) {
    throw InputError(fmt::format("run {} shortened for the preflight: {}", run_index, e.what()));
  }
  return params;
}

json read_summary(const std::string& dir) {
  const std::string path = summary_file(dir);
  if (!path_exists(path))
    throw InputError(fmt::format("{}: no preflight here; run `sweep preflight {}` first", dir, dir));
  try {
    return json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: unreadable: {}", path, e.what()));
  }
}

// The last time the preflight's scripts ran: submitted or here.
Submission last_run(const std::string& dir) {
  const std::vector<Submission> runs = read_jobs(contract::preflight_dir(dir));
  return runs.empty() ? Submission{} : runs.back();
}

std::string log_of(const std::string& dir, const Submission& run, const std::string& script) {
  for (const ArrayJob& a : run.arrays)
    if (a.script == script) return contract::task_log_path(contract::preflight_dir(dir), a.job_id, 0);
  return "";
}

bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

void write_preflight(const PreflightOptions& options) {
  if (options.epochs < 1) throw InputError(fmt::format("--epochs: expected an integer >= 1, got {}", options.epochs));
  if (options.samples < 1) throw InputError(fmt::format("--samples: expected an integer >= 1, got {}", options.samples));
  const PlannedSweep sweep = read_planned_sweep(options.dir);
  const std::vector<Combination> combinations = combinations_of(sweep);

  std::string plan;
  json listed = json::array();
  std::vector<std::pair<std::string, std::string>> scripts;  // file name, text
  const slurm::ScriptPaths paths{sweep.dir, sweep.trainer, options.sweep};
  for (const Combination& c : combinations) {
    const contract::PlanEntry source = contract::read_plan_entry(contract::plan_path(sweep.dir), c.run_index);
    std::vector<int64_t> indices;
    for (int64_t copy = 0; copy < kCopies; ++copy) {
      const int64_t index = kCopies * c.number + copy;
      const json params = shortened(source.params, copy < 2 ? Mode::kD : Mode::kNd, options, c.run_index);
      // Distinct ids for the two identical d copies: each writes its own run file.
      const std::string run_id = short_hash(fmt::format("preflight {} {}", index, params.dump()));
      plan += json{{"index", index}, {"run_id", run_id}, {"group_id", source.group_id},
                   {"sweep", sweep.name + "-preflight"}, {"params", params}}.dump() + "\n";
      indices.push_back(index);
    }
    const std::string array_script = read_file(contract::scripts_dir(sweep.dir) + "/" + c.array_script);
    // The environment's software and trainer, as its arrays run them.
    slurm::ScriptPaths combination_paths = paths;
    slurm::Software software;
    for (const PlannedEnvironment& e : sweep.environments) {
      if (e.name != c.environment) continue;
      software = e.software;
      if (!e.trainer.empty()) combination_paths.trainer = e.trainer;
    }
    scripts.emplace_back(c.script, slurm::render_preflight_script({sweep.name, c.number, indices,
                                                                   slurm::resource_options(array_script),
                                                                   c.gpus_per_task, software},
                                                                  combination_paths));
    listed.push_back({{"number", c.number}, {"resources", c.resources}, {"run_index", c.run_index},
                      {"script", c.script}, {"cpus_per_task", c.cpus_per_task}});
    if (!c.environment.empty()) listed.back()["environment"] = c.environment;
  }

  const std::string dir = contract::preflight_dir(sweep.dir);
  std::filesystem::remove_all(dir);
  for (const auto& sub : {contract::scripts_dir(dir), contract::runs_dir(dir), contract::logs_dir(dir)}) make_dirs(sub);
  write_file_atomic(contract::plan_path(dir), plan);
  for (const auto& [name, text] : scripts) write_file_atomic(contract::scripts_dir(dir) + "/" + name, text);
  write_file_atomic(summary_file(sweep.dir),
                    json{{"sweep", sweep.name}, {"epochs", options.epochs}, {"samples", options.samples},
                         {"combinations", listed}}.dump(2) + "\n");
}

void run_preflight_locally(const std::string& dir_arg) {
  const std::string dir = absolute_path(dir_arg);
  const json summary = read_summary(dir);
  const auto base_id = static_cast<int64_t>(std::time(nullptr)) * 1000000;
  Submission local{"local", utc_now_iso8601(), {}, "", ""};
  for (const json& c : summary.at("combinations")) {
    const int64_t number = c.at("number").get<int64_t>();
    const std::string script = c.at("script").get<std::string>();
    const int64_t job_id = base_id + number;
    local.arrays.push_back({script, std::to_string(job_id), "0"});
    const EnvVars env = local_task_environment(
        {fmt::format("{}-preflight-{:03d}", summary.at("sweep").get<std::string>(), number), 1, 0,
         c.at("cpus_per_task").get<int64_t>(), job_id, job_id});
    const pid_t pid = spawn_logged({"bash", script_path(dir, script)}, env,
                                   log_of(dir, local, script));
    int exit_code = 0;
    for (pid_t done = 0; done != pid && done >= 0;) done = wait_any(&exit_code);  // its status: --check's
  }
  append_submission(contract::preflight_dir(dir), local);
}

Submission submit_preflight(const std::string& dir_arg) {
  const std::string dir = absolute_path(dir_arg);
  const json summary = read_summary(dir);
  std::vector<std::string> scripts;
  for (const json& c : summary.at("combinations"))
    scripts.push_back(script_path(dir, c.at("script").get<std::string>()));
  for (const std::string& script : scripts) slurm::sbatch_test_only(script);
  Submission submission{"submit", utc_now_iso8601(), {}, "", ""};
  try {
    for (const json& c : summary.at("combinations")) {
      const std::string script = c.at("script").get<std::string>();
      submission.arrays.push_back({script, slurm::sbatch(script_path(dir, script)), "0"});
    }
  } catch (...) {
    if (!submission.arrays.empty()) append_submission(contract::preflight_dir(dir), submission);
    throw;
  }
  append_submission(contract::preflight_dir(dir), submission);
  return submission;
}

void wait_for_preflight(const std::string& dir, double poll_s) {
  const std::vector<std::string> ids = preflight_job_ids(dir);
  const std::set<std::string> waiting_for(ids.begin(), ids.end());
  while (true) {
    const auto queued = slurm::queued_tasks();
    if (!queued) throw std::runtime_error("squeue does not answer: cannot tell whether the preflight has run");
    const bool any = std::any_of(queued->begin(), queued->end(),
                                 [&](const auto& task) { return waiting_for.count(task.first.job_id) > 0; });
    if (!any) return;
    std::this_thread::sleep_for(std::chrono::duration<double>(poll_s));
  }
}

PreflightCheck check_preflight(const std::string& dir_arg, int64_t number) {
  const std::string dir = absolute_path(dir_arg);
  const json summary = read_summary(dir);
  const json& combinations = summary.at("combinations");
  if (number < 0 || number >= static_cast<int64_t>(combinations.size()))
    throw InputError(fmt::format("--check: no combination {} in {} (it has {})", number, summary_file(dir),
                                 combinations.size()));
  const json& c = combinations.at(static_cast<size_t>(number));
  PreflightCheck check;
  check.number = number;
  check.resources = c.at("resources");
  check.environment = c.value("environment", "");
  check.run_index = c.at("run_index").get<int64_t>();
  check.log = log_of(dir, last_run(dir), c.at("script").get<std::string>());

  const contract::PlanIds ids = contract::read_plan_ids(contract::plan_path(contract::preflight_dir(dir)));
  std::vector<runfile::RunRecord> copies;
  for (int64_t copy = 0; copy < kCopies; ++copy) {
    const int64_t index = kCopies * number + copy;
    const std::string path = contract::run_file_path(contract::runs_dir(contract::preflight_dir(dir)), ids.runs.at(static_cast<size_t>(index)).run_id);
    if (!runfile::run_is_complete(path)) {
      check.error = fmt::format("copy {} ({}/{} line {}) has no complete run file{}", copy + 1,
                                contract::kPreflightDirName, contract::kPlanFileName, index,
                                check.log.empty() ? "" : "; see " + check.log);
      return check;
    }
    runfile::ReadParts parts;
    parts.last_layer = parts.metrics = false;
    copies.push_back(runfile::read_run_file(path, parts));
  }
  const runfile::RunRecord& d = copies[0];
  check.d_identical = same_floats(d.weights_flat, copies[1].weights_flat) && same_floats(d.logits, copies[1].logits);
  check.nd_differs = !same_floats(d.weights_flat, copies[2].weights_flat) || !same_floats(d.logits, copies[2].logits);
  check.env = d.env;
  check.energy_method = d.energy.method;
  for (const auto& [name, value] : d.settings) check.settings[name] = value;
  const std::vector<runfile::EnvironmentPromise> promises = runfile::read_environment_promises(dir);
  for (const auto& copy : copies)
    for (auto& problem : runfile::broken_promises(promises, copy)) {
      if (std::find(check.broken_promises.begin(), check.broken_promises.end(), problem) == check.broken_promises.end())
        check.broken_promises.push_back(std::move(problem));
    }
  return check;
}

std::vector<PreflightCheck> check_preflight(const std::string& dir) {
  const json summary = read_summary(absolute_path(dir));
  std::vector<PreflightCheck> checks;
  for (size_t n = 0; n < summary.at("combinations").size(); ++n)
    checks.push_back(check_preflight(dir, static_cast<int64_t>(n)));
  return checks;
}

std::vector<std::string> preflight_job_ids(const std::string& dir_arg) {
  const std::string dir = absolute_path(dir_arg);
  const Submission run = last_run(dir);
  if (run.kind != "submit")
    throw InputError(fmt::format("{}: no preflight was submitted to SLURM (run `sweep preflight {}`; one run with "
                                 "--local holds nothing)", dir_arg, dir_arg));
  std::vector<std::string> ids;
  for (const ArrayJob& a : run.arrays) ids.push_back(a.job_id);
  return ids;
}

}  // namespace rs::sweep
