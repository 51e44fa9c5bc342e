#include "slurm/script.h"

#include <regex>
#include <vector>

#include <fmt/format.h>

#include "contract/layout.h"
#include "util/error.h"
#include "util/text.h"

extern const char* const rs_array_sbatch_template;
extern const char* const rs_collect_sbatch_template;
extern const char* const rs_preflight_sbatch_template;

namespace rs::slurm {
namespace {

// Seconds before the time limit at which SLURM sends USR2 to the batch shell; the script passes
// it on, the trainer checkpoints after its current batch and exits 3, and the script requeues
// the task (slurm/array.sbatch.in). SLURM may deliver it up to 60 s early.
constexpr int kSignalLeadSeconds = 120;

// #SBATCH lines are parsed by sbatch, not a shell; keep paths to characters it never splits on.
void check_sbatch_path(const std::string& path) {
  static const std::regex kSafe(R"([A-Za-z0-9_./+@%\-]+)");
  if (!std::regex_match(path, kSafe))
    throw InputError(fmt::format("sweep folder '{}': use only letters, digits and _./+@- in its path "
                                 "(it is written into #SBATCH --output lines)", path));
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The sweep folder's names (contract/layout.h) the templates use.
void replace_all_layout_names(std::string& text) {
  replace_all(text, "@PLAN_FILE@", contract::kPlanFileName);
  replace_all(text, "@RUNS_DIR@", contract::kRunsDirName);
  replace_all(text, "@PREFLIGHT_DIR@", contract::kPreflightDirName);
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
  std::vector<std::string> lines = {
      fmt::format("--job-name={}-{:03d}", a.sweep_name, a.number),
      fmt::format("--array=0-{}{}", a.count - 1, o.max_parallel > 0 ? fmt::format("%{}", o.max_parallel) : ""),
      fmt::format("--output={}/{}/{}", paths.sweep_dir, contract::kLogsDirName, contract::kTaskLogPattern),
      "--open-mode=append",
      "--ntasks=1",
      fmt::format("--cpus-per-task={}", o.cpus_per_task)};
  if (o.gpus_per_task > 0)
    lines.push_back(fmt::format("--gres=gpu:{}{}", o.gpu_type.empty() ? "" : o.gpu_type + ":", o.gpus_per_task));
  for (auto& line : placement_lines(o)) lines.push_back(line);
  if (!o.mem.empty()) lines.push_back("--mem=" + o.mem);
  if (!o.constraint.empty()) lines.push_back("--constraint=" + o.constraint);
  lines.push_back(fmt::format("--signal=B:USR2@{}", kSignalLeadSeconds));
  lines.push_back("--requeue");
  for (const auto& extra : o.extra) lines.push_back(extra);

  std::string text = rs_array_sbatch_template;
  replace_all(text, "@SBATCH_LINES@", sbatch_block(lines));
  replace_all(text, "@SWEEP_NAME@", a.sweep_name);
  replace_all(text, "@SWEEP_DIR@", shell_quote(paths.sweep_dir));
  replace_all(text, "@TRAINER@", shell_quote(paths.trainer));
  replace_all_layout_names(text);
  replace_all(text, "@OFFSET@", std::to_string(a.offset));
  replace_all(text, "@FIRST_RUN@", std::to_string(a.offset));
  replace_all(text, "@LAST_RUN@", std::to_string(a.offset + a.count - 1));
  replace_all(text, "@LAST_TASK@", std::to_string(a.count - 1));
  replace_all(text, "@GPU_VISIBILITY@", gpu_visibility(o.gpus_per_task));
  replace_all(text, "@SOFTWARE_SETUP@", software_setup_lines(a.software));
  replace_all(text, "@LAUNCHER@", trainer_launcher(a.software));
  return text;
}

std::string render_collect_script(const std::string& sweep_name, const SlurmOptions& o,
                                  const ScriptPaths& paths) {
  check_sbatch_path(paths.sweep_dir);
  std::vector<std::string> lines = {fmt::format("--job-name={}-collect", sweep_name),
                                    fmt::format("--output={}/{}/{}", paths.sweep_dir, contract::kLogsDirName,
                                                contract::kCollectLogPattern),
                                    "--ntasks=1", "--cpus-per-task=1"};
  for (auto& line : placement_lines(o)) lines.push_back(line);

  std::string text = rs_collect_sbatch_template;
  replace_all(text, "@SBATCH_LINES@", sbatch_block(lines));
  replace_all(text, "@SWEEP_NAME@", sweep_name);
  replace_all(text, "@SWEEP_DIR@", shell_quote(paths.sweep_dir));
  replace_all(text, "@SWEEP@", shell_quote(paths.sweep));
  return text;
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

  std::string text = rs_preflight_sbatch_template;
  replace_all(text, "@SBATCH_LINES@", sbatch_block(lines));
  replace_all(text, "@SWEEP_NAME@", p.sweep_name);
  replace_all(text, "@NUMBER@", std::to_string(p.number));
  replace_all(text, "@INDICES@", indices);
  replace_all(text, "@SWEEP_DIR@", shell_quote(paths.sweep_dir));
  replace_all(text, "@TRAINER@", shell_quote(paths.trainer));
  replace_all(text, "@SWEEP@", shell_quote(paths.sweep));
  replace_all_layout_names(text);
  replace_all(text, "@GPU_VISIBILITY@", gpu_visibility(p.gpus_per_task));
  replace_all(text, "@SOFTWARE_SETUP@", software_setup_lines(p.software));
  replace_all(text, "@LAUNCHER@", trainer_launcher(p.software));
  return text;
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
