// Catch checks that two run records hold the same values in every field.
#pragma once

#include <catch2/catch.hpp>

#include "runfile/run_file.h"

namespace rs::runfile::testing {

inline void require_same(const RunRecord& a, const RunRecord& b) {
  CHECK(a.run_id == b.run_id);
  CHECK(a.group_id == b.group_id);
  CHECK(a.sweep_name == b.sweep_name);
  CHECK(a.params_json == b.params_json);
  CHECK(a.mode == b.mode);
  CHECK(a.replica == b.replica);
  CHECK(a.started_at == b.started_at);
  CHECK(a.finished_at == b.finished_at);

  CHECK(a.seeds.by_source == b.seeds.by_source);

  CHECK(a.env.hostname == b.env.hostname);
  CHECK(a.env.user == b.env.user);
  CHECK(a.env.cpu_model == b.env.cpu_model);
  CHECK(a.env.gpu_name == b.env.gpu_name);
  CHECK(a.env.gpu_uuid == b.env.gpu_uuid);
  CHECK(a.env.driver_version == b.env.driver_version);
  CHECK(a.env.cuda_version == b.env.cuda_version);
  CHECK(a.env.cudnn_version == b.env.cudnn_version);
  CHECK(a.env.torch_version == b.env.torch_version);
  CHECK(a.env.compiler == b.env.compiler);
  CHECK(a.env.git_commit == b.env.git_commit);
  CHECK(a.env.slurm_job_id == b.env.slurm_job_id);
  CHECK(a.env.slurm_array_job_id == b.env.slurm_array_job_id);
  CHECK(a.env.slurm_array_task_id == b.env.slurm_array_task_id);
  CHECK(a.env.slurm_partition == b.env.slurm_partition);
  CHECK(a.env.slurm_account == b.env.slurm_account);

  CHECK(a.metrics.epoch == b.metrics.epoch);
  CHECK(a.metrics.lr == b.metrics.lr);
  CHECK(a.metrics.train_loss == b.metrics.train_loss);
  CHECK(a.metrics.train_acc == b.metrics.train_acc);
  CHECK(a.metrics.test_loss == b.metrics.test_loss);
  CHECK(a.metrics.test_acc == b.metrics.test_acc);
  CHECK(a.metrics.seconds == b.metrics.seconds);
  CHECK(a.metrics.energy_j == b.metrics.energy_j);

  CHECK(a.n_test == b.n_test);
  CHECK(a.n_classes == b.n_classes);
  CHECK(a.logits == b.logits);
  CHECK(a.logits_tta == b.logits_tta);
  CHECK(a.labels == b.labels);
  CHECK(a.groups == b.groups);

  CHECK(a.weights_flat == b.weights_flat);
  CHECK(a.last_layer_rows == b.last_layer_rows);
  CHECK(a.last_layer_cols == b.last_layer_cols);
  CHECK(a.last_layer == b.last_layer);

  CHECK(a.timing.wall_s == b.timing.wall_s);
  CHECK(a.timing.train_s == b.timing.train_s);
  CHECK(a.timing.eval_s == b.timing.eval_s);
  CHECK(a.timing.gpu_s == b.timing.gpu_s);

  CHECK(a.energy.gpu_j == b.energy.gpu_j);
  CHECK(a.energy.cpu_j == b.energy.cpu_j);
  CHECK(a.energy.avg_gpu_w == b.energy.avg_gpu_w);
  CHECK(a.energy.method == b.energy.method);
  CHECK(a.ranks.gpu_j == b.ranks.gpu_j);
  CHECK(a.ranks.cpu_j == b.ranks.cpu_j);
  CHECK(a.ranks.gpu_s == b.ranks.gpu_s);
  CHECK(a.ranks.energy_j == b.ranks.energy_j);
  CHECK(a.settings == b.settings);
}

}  // namespace rs::runfile::testing
