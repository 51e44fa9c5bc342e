#include "energy/slurm_check.h"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "energy/run_energy.h"
#include "util/process.h"

namespace rs::energy {
namespace {

bool is_local(const runfile::RunRecord& run, const std::set<std::string>& local_array_job_ids) {
  return local_array_job_ids.count(run.env.slurm_array_job_id) > 0;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, separator);) fields.push_back(field);
  if (!line.empty() && line.back() == separator) fields.emplace_back();
  return fields;
}

// A number sacct printed; nullopt for "" or anything else that is not one.
std::optional<double> number(const std::string& text) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return std::nullopt;
  return value;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string note_for(const SacctJob& job) {
  if (!job.consumed_j) return "SLURM recorded no energy";
  if (*job.consumed_j == 0) return "SLURM: 0 J (no energy plugin, or NVIDIA GPUs, which it records as 0)";
  return "SLURM: node-level, whole node(s) " + job.nodes + ", other jobs included unless exclusive";
}

}  // namespace

std::set<std::string> slurm_job_ids(const std::vector<runfile::RunRecord>& runs,
                                    const std::set<std::string>& local_array_job_ids) {
  std::set<std::string> ids;
  for (const runfile::RunRecord& run : runs)
    if (!run.env.slurm_job_id.empty() && !is_local(run, local_array_job_ids)) ids.insert(run.env.slurm_job_id);
  return ids;
}

SacctAnswer ask_sacct(const std::set<std::string>& job_ids) {
  SacctAnswer answer;
  if (job_ids.empty()) {
    answer.why_not = "no run names a SLURM job";
    return answer;
  }
  if (!program_in_path("sacct")) {
    answer.why_not = "sacct not found";
    return answer;
  }
  std::string list;
  for (const std::string& id : job_ids) list += (list.empty() ? "" : ",") + id;
  try {
    ProcessResult r = run_capture({"sacct", "--noheader", "--parsable2", "--allocations", "--jobs=" + list,
                                   "--format=JobIDRaw,ElapsedRaw,AllocTRES,ConsumedEnergyRaw,NodeList"});
    if (r.exit_code != 0) {
      answer.why_not = "sacct failed (no accounting on this cluster?): " + first_line(r.err.empty() ? r.out : r.err);
      return answer;
    }
    answer.reachable = true;
    answer.jobs = parse_sacct(r.out);
  } catch (const std::runtime_error& e) {
    answer.why_not = e.what();
  }
  return answer;
}

std::map<std::string, SacctJob> parse_sacct(const std::string& output) {
  std::map<std::string, SacctJob> jobs;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f = split(line, '|');
    if (f.size() < 5 || f[0].empty()) continue;
    SacctJob job;
    job.elapsed_s = number(f[1]).value_or(0);
    job.alloc_tres = f[2];
    job.consumed_j = number(f[3]);
    job.nodes = f[4];
    jobs[f[0]] = job;
  }
  return jobs;
}

SlurmCheck compare_with_slurm(const std::vector<runfile::RunRecord>& runs,
                              const std::set<std::string>& local_array_job_ids, const SacctAnswer& answer) {
  SlurmCheck check;
  std::map<std::string, JobComparison> jobs;
  for (const runfile::RunRecord& run : runs) {
    if (run.env.slurm_job_id.empty()) {
      ++check.runs_without_job;
    } else if (is_local(run, local_array_job_ids)) {
      ++check.local_runs;
    } else {
      JobComparison& job = jobs[run.env.slurm_job_id];
      RunEnergy e = run_energy(run);
      job.job_id = run.env.slurm_job_id;
      ++job.runs;
      job.wall_s += run.timing.wall_s;
      job.measured_j += e.gpu_j + e.cpu_j;
    }
  }
  if (!answer.reachable) {
    check.summary = "SLURM cross-check skipped: " + answer.why_not;
    return check;
  }
  check.done = true;
  int64_t found = 0;
  for (auto& [id, job] : jobs) {
    auto slurm = answer.jobs.find(id);
    if (slurm == answer.jobs.end()) {
      job.note = "not in SLURM's accounting";
    } else {
      job.slurm = slurm->second;
      job.note = note_for(slurm->second);
      ++found;
    }
    check.jobs.push_back(job);
  }
  check.summary = fmt::format("SLURM cross-check: {} job{} asked, {} in sacct's accounting", jobs.size(),
                              jobs.size() == 1 ? "" : "s", found);
  return check;
}

}  // namespace rs::energy
