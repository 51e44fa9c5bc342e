#include "slurm/options.h"

#include <regex>

#include <fmt/format.h>

#include "slurm/extra_option.h"
#include "util/error.h"

namespace rs::slurm {
namespace {

// Names of partitions, accounts and QOS: SLURM allows more, sites use these.
const std::regex kName(R"([A-Za-z0-9_.\-]{1,64})");
const std::regex kPartitionList(R"([A-Za-z0-9_.\-]{1,64}(,[A-Za-z0-9_.\-]{1,64})*)");
// Feature expressions: names joined by & | , with optional [] () and *count.
const std::regex kConstraint(R"([A-Za-z0-9_.\-&|,*\[\]():]{1,256})");
// minutes | minutes:seconds | hours:minutes:seconds | days-hours[:minutes[:seconds]]
const std::regex kTime(R"(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+(:\d{1,2}(:\d{1,2})?)?|UNLIMITED|INFINITE)");
const std::regex kMem(R"(\d+[KMGT]?)");
std::string checked(const std::string& key, const std::string& value, const std::regex& pattern,
                    const char* expected) {
  if (!std::regex_match(value, pattern))
    throw InputError(fmt::format("slurm.{}: expected {}, got \"{}\"", key, expected, value));
  return value;
}

int64_t checked_int(const std::string& key, const std::string& value, int64_t min, int64_t max) {
  if (!std::regex_match(value, std::regex(R"(\d{1,10})")) || std::stoll(value) < min ||
      std::stoll(value) > max)
    throw InputError(
        fmt::format("slurm.{}: expected an integer in [{}, {}], got \"{}\"", key, min, max, value));
  return std::stoll(value);
}

}  // namespace

const std::vector<std::string>& slurm_option_keys() {
  static const std::vector<std::string> keys = {
      "partition",     "account",       "qos",           "constraint",   "time",           "mem",
      "gpus_per_task", "gpu_type",      "cpus_per_task", "max_parallel", "max_array_size", "signal_lead",
      "max_requeues",  "max_retries",   "max_queued_tasks", "runs_per_task", "extra"};
  return keys;
}

void set_slurm_option(SlurmOptions& o, const std::string& key, const std::string& value) {
  if (key == "partition") o.partition = checked(key, value, kPartitionList, "partition names [A-Za-z0-9_.-], comma-separated");
  else if (key == "account") o.account = checked(key, value, kName, "an account name [A-Za-z0-9_.-]");
  else if (key == "qos") o.qos = checked(key, value, kName, "a QOS name [A-Za-z0-9_.-]");
  else if (key == "constraint") o.constraint = checked(key, value, kConstraint, "a feature expression such as \"a100|h100\"");
  else if (key == "time") o.time = checked(key, value, kTime, "a SLURM time: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS");
  else if (key == "mem") o.mem = checked(key, value, kMem, "a memory size such as 32G, 4000M or 8000");
  else if (key == "gpus_per_task") o.gpus_per_task = checked_int(key, value, 0, 64);
  else if (key == "gpu_type") o.gpu_type = checked(key, value, kName, "a GPU type name [A-Za-z0-9_.-] such as a100");
  else if (key == "cpus_per_task") o.cpus_per_task = checked_int(key, value, 1, 4096);
  else if (key == "max_parallel") o.max_parallel = checked_int(key, value, 1, 4000000);
  else if (key == "max_array_size") o.max_array_size = checked_int(key, value, 1, 4000001);
  else if (key == "signal_lead") o.signal_lead = checked_int(key, value, 1, 65535);  // sbatch's --signal limit
  else if (key == "max_requeues") o.max_requeues = checked_int(key, value, 0, 1000);
  else if (key == "max_retries") o.max_retries = checked_int(key, value, 0, 100);
  else if (key == "max_queued_tasks") o.max_queued_tasks = checked_int(key, value, 1, 4000000);
  else if (key == "runs_per_task") o.runs_per_task = checked_int(key, value, 1, 256);
  else if (key == "extra") {
    check_extra_option(value);
    o.extra.push_back(value);
  } else {
    throw InputError(fmt::format("slurm.{}: unknown option", key));
  }
}

void check_cpus_cover_runs_per_task(int64_t cpus_per_task, int64_t runs_per_task) {
  if (cpus_per_task < runs_per_task)
    throw InputError(fmt::format("slurm.cpus_per_task: {} CPUs cannot give each of slurm.runs_per_task: {} runs a thread "
                                 "of its own (each gets cpus_per_task / runs_per_task); ask for at least {} CPUs or "
                                 "pack fewer runs",
                                 cpus_per_task, runs_per_task, runs_per_task));
}

int64_t time_limit_seconds(const std::string& time) {
  if (time.empty() || time == "UNLIMITED" || time == "INFINITE") return -1;
  int64_t days = 0;
  std::string rest = time;
  size_t dash = time.find('-');
  if (dash != std::string::npos) {
    days = std::stoll(time.substr(0, dash));
    rest = time.substr(dash + 1);
  }
  std::vector<int64_t> parts;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t colon = rest.find(':', start);
    if (colon == std::string::npos) colon = rest.size();
    parts.push_back(std::stoll(rest.substr(start, colon - start)));
    start = colon + 1;
  }
  int64_t seconds = 0;
  if (dash != std::string::npos) {  // D-H, D-H:M, D-H:M:S
    int64_t unit[] = {3600, 60, 1};
    for (size_t i = 0; i < parts.size(); ++i) seconds += parts[i] * unit[i];
  } else if (parts.size() == 1) {  // M
    seconds = parts[0] * 60;
  } else if (parts.size() == 2) {  // M:S
    seconds = parts[0] * 60 + parts[1];
  } else {  // H:M:S
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2];
  }
  return days * 86400 + seconds;
}

void check_time_covers_signal_lead(const std::string& time, int64_t signal_lead) {
  const int64_t limit = time_limit_seconds(time);
  if (limit >= 0 && limit < 3 * signal_lead)
    throw InputError(fmt::format("slurm.time: \"{}\" ({} s) is shorter than three signal leads (3 x slurm.signal_lead "
                                 "= {} s): the warning before the time limit would come before training does; "
                                 "give more time or a shorter signal_lead",
                                 time, limit, 3 * signal_lead));
}

}  // namespace rs::slurm
