// Our numbers next to SLURM's, per job: the runs' wall time and measured energy against what
// `sacct` recorded for the jobs their run files name (/env slurm_job_id).
//
// SLURM's energy is rarely comparable: its NVIDIA GPU energy reading is a stub that records
// 0 J, and what an energy plugin does record (ConsumedEnergyRaw) covers whole nodes, other
// jobs on them included unless the allocation was exclusive. Many clusters keep no
// accounting at all, and then there is nothing to compare: the check says so and the report
// goes on without it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runfile/run_file.h"

namespace rs::energy {

// One allocation as sacct --parsable2 --allocations reports it.
struct SacctJob {
  double elapsed_s = 0;              // ElapsedRaw
  std::string alloc_tres;            // AllocTRES, e.g. "billing=1,cpu=1,gres/gpu=1,mem=4G,node=1"
  std::optional<double> consumed_j;  // ConsumedEnergyRaw; nullopt when sacct leaves it empty
  std::string nodes;                 // NodeList
};

// sacct's answer for a list of job ids, keyed by JobIDRaw.
struct SacctAnswer {
  bool reachable = false;
  std::string why_not;  // when not reachable: no job ids, sacct missing, or its error
  std::map<std::string, SacctJob> jobs;
};

// The SLURM job ids in `runs`' /env slurm_job_id, leaving out runs whose array job id is in
// `local_array_job_ids` (run_scan.h).
std::set<std::string> slurm_job_ids(const std::vector<runfile::RunRecord>& runs,
                                    const std::set<std::string>& local_array_job_ids);

// Asks sacct about `job_ids` (started without a shell).
SacctAnswer ask_sacct(const std::set<std::string>& job_ids);

// Parses `sacct --noheader --parsable2 --format=JobIDRaw,ElapsedRaw,AllocTRES,ConsumedEnergyRaw,NodeList`.
std::map<std::string, SacctJob> parse_sacct(const std::string& output);

struct JobComparison {
  std::string job_id;
  int64_t runs = 0;
  double wall_s = 0;      // sum of the runs' /timing/wall_s
  double measured_j = 0;  // their measured joules (run_energy.h)
  std::optional<SacctJob> slurm;  // nullopt when sacct does not know the job
  std::string note;       // how to read SLURM's numbers for this job
};

struct SlurmCheck {
  bool done = false;    // sacct answered
  std::string summary;  // one line: what was compared, or why nothing was
  std::vector<JobComparison> jobs;  // by job id; empty unless done
  int64_t runs_without_job = 0;     // no slurm_job_id in /env
  int64_t local_runs = 0;           // run by `sweep run`, whose job ids are made up
};

// Sets `runs` side by side with `answer`, one entry per SLURM job.
SlurmCheck compare_with_slurm(const std::vector<runfile::RunRecord>& runs,
                              const std::set<std::string>& local_array_job_ids, const SacctAnswer& answer);

}  // namespace rs::energy
