#include "slurm/script.h"

#include <map>
#include <regex>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "contract/layout.h"
#include "contract/task_runs.h"
#include "util/error.h"
#include "util/text.h"

extern const char* const rs_array_sbatch_template;
extern const char* const rs_collect_sbatch_template;
extern const char* const rs_follow_up_sbatch_template;
extern const char* const rs_preflight_sbatch_template;

namespace rs::slurm {
namespace {

// #SBATCH lines are parsed by sbatch, not a shell; keep paths to characters it never splits on.
// `%` starts one of SLURM's file name patterns (%A, %j, ...: a folder named "run%j" would send
// the logs elsewhere), a backslash turns them off for the whole name, and `@` is the templates' own
// placeholder mark: a folder path holds none of them.
void check_sbatch_path(const std::string& path) {
  static const std::regex kSafe(R"([A-Za-z0-9_./+\-]+)");
  if (!std::regex_match(path, kSafe))
    throw InputError(fmt::format("sweep folder '{}': use only letters, digits and _./+- in its path "
                                 "(it is written into #SBATCH --output lines, where SLURM expands %)", path));
}

using TemplateValues = std::map<std::string, std::string>;

// The template with every @NAME@ replaced by its value, in one pass over the template alone: a
// value is never searched for placeholders, so a path holding "@TRAINER@" stays that text. An
// @ not followed by capitals and @ is kept as it is; a placeholder without a value is a bug.
std::string fill_template(const char* text, const TemplateValues& values) {
  std::string out;
  const std::string_view t(text);
  for (size_t at = 0; at < t.size();) {
    size_t end = t[at] == '@' ? t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", at + 1) : std::string_view::npos;
    if (end == std::string_view::npos || end == at + 1 || t[end] != '@') {
      out += t[at++];
      continue;
    }
    const std::string name(t.substr(at + 1, end - at - 1));
    auto value = values.find(name);
    if (value == values.end()) throw std::logic_error("batch script template: no value for @" + name + "@");
    out += value->second;
    at = end + 1;
  }
  return out;
}

// The sweep folder's names (contract/layout.h) the templates use, with `values`.
TemplateValues with_layout_names(TemplateValues values) {
  values["PLAN_FILE"] = contract::kPlanFileName;
  values["RUNS_DIR"] = contract::kRunsDirName;
  values["LOGS_DIR"] = contract::kLogsDirName;
  values["PREFLIGHT_DIR"] = contract::kPreflightDirName;
  return values;
}

// The #SBATCH lines every script shares: where it runs and under which account.
std::vector<std::string> placement_lines(const SlurmOptions& o) {
  std::vector<std::string> lines;
  if (!o.partition.empty()) lines.push_back("--partition=" + o.partition);
  if (!o.account.empty()) lines.push_back("--account=" + o.account);
  if (!o.qos.empty()) lines.push_back("--qos=" + o.qos);
  if (!o.time.empty()) lines.push_back("--time=" + o.time);
  return lines;
}

std::string sbatch_block(const std::vector<std::string>& options) {
  std::string out;
  for (const auto& option : options) out += "#SBATCH " + option + "\n";
  if (!out.empty()) out.pop_back();
  return out;
}

// What the trainer may see of the node's GPUs: those SLURM gives the task, or none at all.
std::string gpu_visibility(int64_t gpus_per_task) {
  if (gpus_per_task > 0) return "# CUDA_VISIBLE_DEVICES: the task's GPUs, as SLURM sets it";
  return "export CUDA_VISIBLE_DEVICES=  # no GPU for this task, whatever the submitting shell had";
}

// With slurm.max_retries, each run's log (the task's, or a packed run's own) says how its
// trainer ended, for the follow-up job (sweep/follow_up.h); without, the script says nothing.
std::string run_status_line(int64_t max_retries) {
  if (max_retries == 0) return "";
  return "  # Read by the follow-up job: a run that ended with status 1 is retried (slurm.max_retries).\n"
         "  echo \"reprosweep: run $index ended with status $s\" >&\"${outs[$i]}\"\n";
}

// The #SBATCH options of the collector and the follow-up job: one CPU, where the sweep runs.
std::vector<std::string> cpu_job_lines(const std::string& job_name, const std::string& sweep_dir,
                                       const char* log_pattern, const SlurmOptions& o) {
  std::vector<std::string> lines = {"--job-name=" + job_name,
                                    fmt::format("--output={}/{}/{}", sweep_dir, contract::kLogsDirName, log_pattern),
                                    "--ntasks=1", "--cpus-per-task=1"};
  for (auto& line : placement_lines(o)) lines.push_back(line);
  return lines;
}

// The #SBATCH options an array script's tasks run with, beyond the array itself.
bool is_resource_option(const std::string& option) {
  for (const char* own : {"--job-name=", "--array=", "--output=", "--open-mode=", "--signal=", "--requeue"})
    if (option.rfind(own, 0) == 0) return false;
  return true;
}

}  // namespace

std::string render_array_script(const ArrayScript& a, const ScriptPaths& paths) {
  check_sbatch_path(paths.sweep_dir);
  const SlurmOptions& o = a.options;
  const int64_t tasks = contract::task_count(a.count, o.runs_per_task);
  std::vector<std::string> lines = {
      fmt::format("--job-name={}-{:03d}", a.sweep_name, a.number),
      fmt::format("--array=0-{}{}", tasks - 1, o.max_parallel > 0 ? fmt::format("%{}", o.max_parallel) : ""),
      fmt::format("--output={}/{}/{}", paths.sweep_dir, contract::kLogsDirName, contract::kTaskLogPattern),
      "--open-mode=append",
      fmt::format("--ntasks={}", a.world_size),
      fmt::format("--cpus-per-task={}", o.cpus_per_task)};
  const std::string gpu_type = o.gpu_type.empty() ? "" : o.gpu_type + ":";
  if (a.world_size > 1) {
    lines.push_back(fmt::format("--nodes={}", a.nodes));
    if (o.gpus_per_task > 0) lines.push_back(fmt::format("--gpus-per-task={}{}", gpu_type, o.gpus_per_task));
  } else if (o.gpus_per_task > 0) {
    lines.push_back(fmt::format("--gres=gpu:{}{}", gpu_type, o.gpus_per_task));
  }
  for (auto& line : placement_lines(o)) lines.push_back(line);
  if (!o.mem.empty()) lines.push_back("--mem=" + o.mem);
  if (!o.constraint.empty()) lines.push_back("--constraint=" + o.constraint);
  // slurm.signal_lead seconds before the time limit SLURM sends USR2 to the batch shell (up to
  // 60 s early); the script passes it on, the trainer checkpoints after its current batch and
  // exits 3, and the script requeues the task, at most slurm.max_requeues times
  // (slurm/array.sbatch.in).
  lines.push_back(fmt::format("--signal=B:USR2@{}", o.signal_lead));
  lines.push_back("--requeue");
  for (const auto& extra : o.extra) lines.push_back(extra);

  return fill_template(rs_array_sbatch_template,
                       with_layout_names({{"SBATCH_LINES", sbatch_block(lines)},
                                          {"SWEEP_NAME", a.sweep_name},
                                          {"SWEEP_DIR", shell_quote(paths.sweep_dir)},
                                          {"TRAINER", shell_quote(paths.trainer)},
                                          {"PLAN_ID", shell_quote(a.plan_id)},
                                          {"OFFSET", std::to_string(a.offset)},
                                          {"FIRST_RUN", std::to_string(a.offset)},
                                          {"LAST_RUN", std::to_string(a.offset + a.count - 1)},
                                          {"LAST_TASK", std::to_string(tasks - 1)},
                                          {"RUNS_PER_TASK", std::to_string(o.runs_per_task)},
                                          {"MAX_REQUEUES", std::to_string(o.max_requeues)},
                                          {"RUN_STATUS", run_status_line(o.max_retries)},
                                          {"GPU_VISIBILITY", gpu_visibility(o.gpus_per_task)},
                                          {"SOFTWARE_SETUP", software_setup_lines(a.software)},
                                          {"LAUNCHER", trainer_launcher(a.software)},
                                          {"WORLD_SIZE", std::to_string(a.world_size)}}));
}

std::string render_collect_script(const std::string& sweep_name, const SlurmOptions& o,
                                  const ScriptPaths& paths) {
  check_sbatch_path(paths.sweep_dir);
  const std::vector<std::string> lines =
      cpu_job_lines(sweep_name + "-collect", paths.sweep_dir, contract::kCollectLogPattern, o);
  return fill_template(rs_collect_sbatch_template, {{"SBATCH_LINES", sbatch_block(lines)},
                                                   {"SWEEP_NAME", sweep_name},
                                                   {"SWEEP_DIR", shell_quote(paths.sweep_dir)},
                                                   {"SWEEP", shell_quote(paths.sweep)}});
}

std::string render_follow_up_script(const std::string& sweep_name, const SlurmOptions& o,
                                    const ScriptPaths& paths) {
  check_sbatch_path(paths.sweep_dir);
  const std::vector<std::string> lines =
      cpu_job_lines(sweep_name + "-follow-up", paths.sweep_dir, contract::kFollowUpLogPattern, o);
  return fill_template(rs_follow_up_sbatch_template, {{"SBATCH_LINES", sbatch_block(lines)},
                                                      {"SWEEP_NAME", sweep_name},
                                                      {"SWEEP_DIR", shell_quote(paths.sweep_dir)},
                                                      {"SWEEP", shell_quote(paths.sweep)}});
}

std::string render_preflight_script(const PreflightScript& p, const ScriptPaths& paths) {
  check_sbatch_path(paths.sweep_dir);
  std::vector<std::string> lines = {fmt::format("--job-name={}-preflight-{:03d}", p.sweep_name, p.number),
                                    "--array=0",
                                    fmt::format("--output={}/{}/{}/{}", paths.sweep_dir, contract::kPreflightDirName,
                                                contract::kLogsDirName, contract::kTaskLogPattern)};
  lines.insert(lines.end(), p.options.begin(), p.options.end());
  std::string indices;
  for (int64_t index : p.indices) indices += (indices.empty() ? "" : " ") + std::to_string(index);

  return fill_template(rs_preflight_sbatch_template,
                       with_layout_names({{"SBATCH_LINES", sbatch_block(lines)},
                                          {"SWEEP_NAME", p.sweep_name},
                                          {"NUMBER", std::to_string(p.number)},
                                          {"INDICES", indices},
                                          {"SWEEP_DIR", shell_quote(paths.sweep_dir)},
                                          {"TRAINER", shell_quote(paths.trainer)},
                                          {"SWEEP", shell_quote(paths.sweep)},
                                          {"GPU_VISIBILITY", gpu_visibility(p.gpus_per_task)},
                                          {"SOFTWARE_SETUP", software_setup_lines(p.software)},
                                          {"LAUNCHER", trainer_launcher(p.software)}}));
}

std::vector<std::string> resource_options(const std::string& array_script) {
  constexpr std::string_view kPrefix = "#SBATCH ";
  std::vector<std::string> options;
  for (size_t start = 0; start < array_script.size();) {
    size_t end = array_script.find('\n', start);
    if (end == std::string::npos) end = array_script.size();
    const std::string line = array_script.substr(start, end - start);
    if (line.rfind(kPrefix, 0) == 0 && is_resource_option(line.substr(kPrefix.size())))
      options.push_back(line.substr(kPrefix.size()));
    start = end + 1;
  }
  return options;
}

}  // namespace rs::slurm
