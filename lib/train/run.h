// One training run, from a plan entry to the record its run file stores.
//
// In this order: apply the mode, TF32 and cuDNN benchmark settings (before anything touches
// CUDA: determinism.h), set the thread count and choose the device (device.h), load the data
// (dataset.h), build the model, initialise it from the init seed on the CPU (init.h), flip one
// weight when the bitflip seed is >= 0 (bitflip.h), move it to the device, train (train_loop.h)
// and collect the results, the seeds and the environment into a RunRecord. `config` is as
// contract::parse_train_config() accepts it (so it fits the data set).
//
// Timing: wall_s covers all of the above; train_s and eval_s sum the epochs' phases; gpu_s is
// the CUDA-event time of those phases (gpu_timer.h), else, with a LibTorch without event
// timing, train_s + eval_s on CUDA (each phase ends by reading its results from the device,
// which waits for its queued work, so this bounds the GPU's time from above); -1 on the CPU.
// Energy: the meter of energy/energy_meter.h from the first epoch to the last evaluation.
//
// Checkpoints (checkpoint.h): with a checkpoint path, a matching checkpoint found there is
// resumed from, one that does not match or cannot be read is ignored (with a log line) and
// the run starts from scratch; a checkpoint is written after every config.checkpoint_every
// epochs (before the last) and when `stop` answers true. Over resumes, wall_s, train_s,
// eval_s and the energy add up the processes' shares (a process killed without warning loses
// what it did after its last checkpoint), started_at is the first process's, and the setting
// `resumed` lists where each resume began. Removing the checkpoint once the run file is
// written is the caller's part.
//
// world_size > 1: this process is one rank (rendezvous.h, distributed.h) and trains its part of
// each batch (train_loop.h). Only rank 0 logs, evaluates and writes checkpoints; its record is
// the run's (the other ranks' records lack the test results: the caller writes rank 0's only).
// /settings gains world_size, nodes, dist_backend (gloo | nccl | none) and, with several ranks,
// rank_hosts (each rank's host name, by rank, comma-separated). Every rank measures its own GPU
// (and a node's first rank its CPU packages): the record's energy, epoch energies and gpu_s are
// the ranks' sums, and with several ranks RunRecord::ranks holds each rank's figures.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include "contract/params.h"
#include "runfile/run_file.h"
#include "contract/plan_file.h"

namespace rs::train {

// The GPU (as NVML names it, GPU-...) whose energy a run on the CPU measures: for tests of the
// trainer with the fake NVML (tests/energy/fake_nvml.c), where no process has a GPU of its own.
// A run on CUDA measures its own GPU.
inline constexpr char kEnergyGpuVariable[] = "REPROSWEEP_ENERGY_GPU";

struct Checkpointing {
  std::string path;            // the run's checkpoint; "" = none, neither read nor written
  std::function<bool()> stop;  // asked after every training batch; true = checkpoint and stop
};

// `config` is contract::parse_train_config(entry.params). Logs the settings, the bit flip and one line
// per epoch to `log` unless it is nullptr. Returns the record of the finished run, or nullopt
// when it stopped on `stop` after writing its checkpoint. A failure to write a periodic
// checkpoint is logged and training goes on; a failure to write the one on `stop` throws.
std::optional<runfile::RunRecord> run_training(const contract::PlanEntry& entry, const contract::TrainConfig& config,
                                               std::FILE* log, const Checkpointing& checkpointing = {});

}  // namespace rs::train
