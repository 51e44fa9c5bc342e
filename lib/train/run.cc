#include "train/run.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "energy/energy_meter.h"
#include "train/bitflip.h"
#include "train/checkpoint.h"
#include "train/dataset.h"
#include "train/determinism.h"
#include "train/device.h"
#include "train/distributed.h"
#include "train/environment.h"
#include "train/init.h"
#include "train/models.h"
#include "train/precision.h"
#include "contract/ranks_config.h"
#include "train/seeds.h"
#include "train/tensors.h"
#include "train/train_loop.h"
#include "util/files.h"
#include "util/text.h"

namespace rs::train {
namespace {

void log_line(std::FILE* log, const std::string& line) {
  if (log != nullptr) fmt::print(log, "{}\n", line);
}

// The GPU whose energy this process measures: its CUDA device (NVML does not number GPUs as
// CUDA_VISIBLE_DEVICES does: by the UUID CUDA gives it), else the one kEnergyGpuVariable names.
std::string energy_gpu(const c10::Device& device) {
  if (device.is_cuda()) return cuda_device_uuid(device);
  const char* named = std::getenv(kEnergyGpuVariable);
  return named != nullptr ? named : "";
}

// Adds one meter's joules to the run's, every rank's: each rank's meter reads its own GPU.
void add_energy(const energy::EnergyResult& part, Ranks* ranks, RunSoFar* so_far) {
  const std::vector<double> mine = {part.gpu_j, part.cpu_j};
  const std::vector<std::vector<double>> all = gather(ranks, mine);
  so_far->rank_gpu_j.resize(all.size(), 0.0);
  so_far->rank_cpu_j.resize(all.size(), 0.0);
  for (size_t r = 0; r < all.size(); ++r) {
    so_far->rank_gpu_j[r] += all[r][0];
    so_far->rank_cpu_j[r] += all[r][1];
  }
  so_far->gpu_j = sum_over_ranks(so_far->rank_gpu_j);
  so_far->cpu_j = sum_over_ranks(so_far->rank_cpu_j);
  so_far->energy_s += part.seconds;
}

}  // namespace

std::optional<runfile::RunRecord> run_training(const contract::PlanEntry& entry, const contract::TrainConfig& config,
                                               std::FILE* log, const Checkpointing& checkpointing) {
  const auto start = std::chrono::steady_clock::now();
  auto seconds_here = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  runfile::RunRecord record;
  record.started_at = utc_now_iso8601();
  const std::string params_json = entry.params.dump();

  record.settings = apply_settings(config);
  const int64_t threads = set_thread_count();
  const DeviceChoice choice = choose_device(config.device);
  const c10::Device device = choice.device;
  // The other ranks of a distributed run; only rank 0 logs, evaluates and writes checkpoints.
  std::unique_ptr<Ranks> ranks;
  const contract::RanksConfig placement = contract::parse_ranks_config(entry.params);
  int64_t local_rank = 0;
  if (placement.world_size > 1) {
    const Rendezvous where = rendezvous_from_slurm(placement.world_size);
    local_rank = where.local_rank;
    ranks = Ranks::join(where, device, config.mode == contract::Mode::kD);
  }
  const bool rank_zero = ranks == nullptr || ranks->rank() == 0;
  if (!rank_zero) log = nullptr;
  record.settings.emplace_back("device", device.str());
  if (!choice.note.empty()) record.settings.emplace_back("device_note", choice.note);
  record.settings.emplace_back("cpu_threads", std::to_string(threads));
  for (auto& setting : precision_settings(config)) record.settings.push_back(std::move(setting));
  record.settings.emplace_back("world_size", std::to_string(placement.world_size));
  record.settings.emplace_back("nodes", std::to_string(placement.nodes));
  record.settings.emplace_back("dist_backend", ranks != nullptr ? ranks->backend() : "none");
  if (ranks != nullptr) {
    record.settings.emplace_back("rank_hosts", fmt::format("{}", fmt::join(ranks->hosts(), ",")));
    for (const auto& setting : ranks->settings()) record.settings.push_back(setting);
  }

  Dataset loaded = load_dataset(config.dataset, device);
  loaded.test_x = in_memory_format(loaded.test_x, config);  // evaluation slices keep the format
  const Dataset& data = loaded;
  // The model as initialised (and bit-flipped), on the device, with a trainer at epoch 0. Built
  // again when a checkpoint fails half-way through loading, which leaves both unusable.
  std::shared_ptr<Model> model;
  std::unique_ptr<Trainer> trainer;
  auto start_from_scratch = [&] {
    model = build_model(config, data.sample_shape, data.n_classes);
    init_parameters(*model, config.seeds[contract::NoiseSource::kInit]);
    const int64_t bitflip_seed = config.seeds[contract::NoiseSource::kBitflip];
    if (bitflip_seed >= 0) {
      BitFlip flip = flip_one_weight(*model, bitflip_seed);
      if (trainer == nullptr)  // the first time only
        record.settings.emplace_back(
            "bitflip", fmt::format("weight {} {:.9g} -> {:.9g} ({})", flip.index, flip.old_value,
                                   flip.new_value, flip.up ? "+1 ULP" : "-1 ULP"));
    }
    model->to(device);
    apply_memory_format(*model, config);
    trainer = std::make_unique<Trainer>(*model, data, config, log, ranks.get());
  };
  start_from_scratch();
  std::string settings;
  for (const auto& [name, value] : record.settings) settings += fmt::format(" {}={}", name, value);
  log_line(log, "settings:" + settings);

  RunSoFar so_far;
  so_far.started_at = record.started_at;
  const std::string& path = checkpointing.path;
  bool resumed = false;
  if (!path.empty() && path_exists(path)) {
    std::string why;
    if (read_checkpoint(path, entry.run_id, params_json, device, &so_far, trainer.get(), &why)) {
      resumed = true;
      const std::string where = fmt::format("epoch {} batch {}", trainer->epochs_done() + 1, trainer->batches_done());
      so_far.resumes += (so_far.resumes.empty() ? "" : "; ") + where;
      log_line(log, fmt::format("checkpoint: resuming from epoch {} (batch {}) of {}", trainer->epochs_done() + 1,
                                trainer->batches_done(), path));
    } else {
      log_line(log, fmt::format("checkpoint: ignoring {}: {}; starting from scratch", path, why));
      start_from_scratch();
    }
  }
  // Every rank read rank 0's checkpoint, or none did: a part of them resuming would train on.
  if (ranks != nullptr && ranks->any(resumed) && ranks->any(!resumed))
    throw std::runtime_error(fmt::format("checkpoint: some ranks resumed from {} and others could not", path));
  const double wall_before_s = so_far.wall_s;
  const double so_far_train_s = trainer->result().train_s;  // earlier processes' part

  // Each meter covers training and evaluation only: data loading, set-up and writing
  // checkpoints are not the configuration's cost. A new one takes over after each checkpoint,
  // so that the checkpoint holds the exact GPU and CPU joules so far.
  // Each rank measures its own GPU. RAPL reads all CPU packages of a node, so only a node's first
  // rank reads them: the ranks' sum counts each node's once.
  const std::string gpu = energy_gpu(device);
  const std::string powercap_dir = local_rank == 0 ? energy::kPowercapDir : "";
  auto meter = std::make_unique<energy::EnergyMeter>(gpu, powercap_dir);
  meter->start();
  const int64_t every = path.empty() ? 0 : config.checkpoint_every;
  const std::function<bool()> no_stop;
  Trainer::Status status;
  while ((status = trainer->run(path.empty() ? no_stop : checkpointing.stop, every, meter.get())) !=
         Trainer::Status::kDone) {
    add_energy(meter->stop(), ranks.get(), &so_far);
    so_far.wall_s = wall_before_s + seconds_here();
    const auto write_start = std::chrono::steady_clock::now();
    if (status == Trainer::Status::kStopped) {
      if (rank_zero) write_checkpoint(path, entry.run_id, params_json, so_far, *trainer);
      log_line(log, fmt::format("checkpoint: stopped in epoch {} after batch {}; wrote {}", trainer->epochs_done() + 1,
                                trainer->batches_done(), path));
      return std::nullopt;
    }
    try {
      if (rank_zero) write_checkpoint(path, entry.run_id, params_json, so_far, *trainer);
      log_line(log, fmt::format("checkpoint: wrote {} after epoch {} ({:.2f} s)", path, trainer->epochs_done(),
                                std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count()));
    } catch (const std::exception& e) {
      log_line(log, fmt::format("checkpoint: cannot write {}: {}; going on without", path, e.what()));
    }
    meter = std::make_unique<energy::EnergyMeter>(gpu, powercap_dir);
    meter->start();
  }
  const energy::EnergyResult last = meter->stop();
  add_energy(last, ranks.get(), &so_far);
  record.energy.gpu_j = so_far.gpu_j;
  record.energy.cpu_j = so_far.cpu_j;
  record.energy.avg_gpu_w = so_far.energy_s > 0 ? record.energy.gpu_j / so_far.energy_s : 0;
  record.energy.method = last.method;
  if (!last.gpu.empty()) record.settings.emplace_back("energy_gpu", last.gpu);
  if (!last.note.empty()) record.settings.emplace_back("energy_note", last.note);
  if (!so_far.resumes.empty()) record.settings.emplace_back("resumed", so_far.resumes);

  TrainResult& result = trainer->result();
  if (ranks != nullptr)
    log_line(log, fmt::format("distributed: {:.2f} s of this process's {:.2f} s of training in the all-reduce ({:.1f} %)",
                              ranks->sum_seconds(), result.train_s - so_far_train_s,
                              100.0 * ranks->sum_seconds() / std::max(1e-9, result.train_s - so_far_train_s)));
  record.run_id = entry.run_id;
  record.group_id = entry.group_id;
  record.sweep_name = entry.sweep;
  record.params_json = params_json;
  record.mode = contract::mode_name(config.mode);
  record.replica = config.replica;
  record.seeds = seeds_used(config);
  record.env = collect_env(device);
  if (!last.device_uuid.empty()) record.env.gpu_uuid = last.device_uuid;  // MIG-... on a MIG slice
  record.metrics = std::move(result.metrics);
  record.n_test = data.test_x.size(0);
  record.n_classes = data.n_classes;
  record.logits = std::move(result.test_logits);
  record.logits_tta = std::move(result.test_logits_tta);
  record.labels = to_int64s(data.test_y);
  record.groups = data.test_groups;
  record.weights_flat = flat_parameters(*model);
  record.last_layer_rows = config.epochs + 1;
  record.last_layer_cols = result.last_layer_cols;
  record.last_layer = std::move(result.last_layer);
  record.timing.train_s = result.train_s;
  record.timing.eval_s = result.eval_s;
  std::vector<double> rank_gpu_s;
  for (double measured : result.rank_gpu_s)
    rank_gpu_s.push_back(!device.is_cuda() ? -1.0 : measured >= 0 ? measured : result.train_s + result.eval_s);
  record.timing.gpu_s = !device.is_cuda() ? -1.0 : sum_over_ranks(rank_gpu_s);
  if (ranks != nullptr) {
    record.ranks.gpu_j = so_far.rank_gpu_j;
    record.ranks.cpu_j = so_far.rank_cpu_j;
    record.ranks.gpu_s = rank_gpu_s;
    for (const std::vector<double>& series : result.rank_energy_j)
      record.ranks.energy_j.insert(record.ranks.energy_j.end(), series.begin(), series.end());
  }
  if (device.is_cuda()) record.settings.emplace_back("gpu_timing", result.gpu_s >= 0 ? "cuda_events" : "wall");
  record.started_at = so_far.started_at;
  record.timing.wall_s = wall_before_s + seconds_here();
  record.finished_at = utc_now_iso8601();
  return record;
}

}  // namespace rs::train
