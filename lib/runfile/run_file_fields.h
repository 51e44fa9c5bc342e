// The fields of the run file's attribute groups, each listed once, in file order, for every
// piece of code that goes through them: the writer and the reader (run_file.cc), the
// attribute digests (attrs_xxh3) and the record's bytes (record_bytes.cc). Internal to
// lib/runfile.
#pragma once

#include "runfile/epoch_metrics.h"
#include "runfile/run_file.h"

namespace rs::runfile {

// Each visit_* function below lists the fields of one part of the layout once, in file order,
// for the writer and the reader alike, so the two cannot drift apart. `Record` is
// `const RunRecord` when writing and `RunRecord` when reading; `visit(name, field)` is called
// for every field.

template <class Record, class Visit>
void visit_root_attrs(Record& r, Visit visit) {
  visit("run_id", r.run_id);
  visit("group_id", r.group_id);
  visit("sweep_name", r.sweep_name);
  visit("params_json", r.params_json);
  visit("mode", r.mode);
  visit("replica", r.replica);
  visit("started_at", r.started_at);
  visit("finished_at", r.finished_at);
}

template <class Record, class Visit>
void visit_seeds(Record& r, Visit visit) {
  for (contract::NoiseSource source : contract::kNoiseSources)
    visit(contract::noise_source_name(source), r.seeds[source]);
}

template <class Record, class Visit>
void visit_env(Record& r, Visit visit) {
  visit("hostname", r.env.hostname);
  visit("user", r.env.user);
  visit("cpu_model", r.env.cpu_model);
  visit("gpu_name", r.env.gpu_name);
  visit("gpu_uuid", r.env.gpu_uuid);
  visit("driver_version", r.env.driver_version);
  visit("cuda_version", r.env.cuda_version);
  visit("cudnn_version", r.env.cudnn_version);
  visit("torch_version", r.env.torch_version);
  visit("compiler", r.env.compiler);
  visit("git_commit", r.env.git_commit);
  visit("slurm_job_id", r.env.slurm_job_id);
  visit("slurm_array_job_id", r.env.slurm_array_job_id);
  visit("slurm_array_task_id", r.env.slurm_array_task_id);
  visit("slurm_partition", r.env.slurm_partition);
  visit("slurm_account", r.env.slurm_account);
}

template <class Record, class Visit>
void visit_metrics(Record& r, Visit visit) {
  visit_epoch_metrics(r.metrics, visit);
}

template <class Record, class Visit>
void visit_timing(Record& r, Visit visit) {
  visit("wall_s", r.timing.wall_s);
  visit("train_s", r.timing.train_s);
  visit("eval_s", r.timing.eval_s);
  visit("gpu_s", r.timing.gpu_s);
}

template <class Record, class Visit>
void visit_energy(Record& r, Visit visit) {
  visit("gpu_j", r.energy.gpu_j);
  visit("cpu_j", r.energy.cpu_j);
  visit("method", r.energy.method);
  visit("avg_gpu_w", r.energy.avg_gpu_w);
}

// /ranks's vectors of one entry per rank; its energy_j, a matrix, is written and read beside them.
template <class Record, class Visit>
void visit_ranks(Record& r, Visit visit) {
  visit("gpu_j", r.ranks.gpu_j);
  visit("cpu_j", r.ranks.cpu_j);
  visit("gpu_s", r.ranks.gpu_s);
}

}  // namespace rs::runfile
