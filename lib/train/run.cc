#include "train/run.h"

#include <chrono>

#include <fmt/format.h>

#include "energy/energy_meter.h"
#include "train/bitflip.h"
#include "train/dataset.h"
#include "train/determinism.h"
#include "train/device.h"
#include "train/environment.h"
#include "train/init.h"
#include "train/models.h"
#include "train/seeds.h"
#include "train/tensors.h"
#include "train/train_loop.h"
#include "util/error.h"
#include "util/text.h"

namespace rs::train {
namespace {

void log_line(std::FILE* log, const std::string& line) {
  if (log != nullptr) fmt::print(log, "{}\n", line);
}

// Augmentation crops and flips images; tables have nothing to crop.
void check_fits_data(const TrainConfig& config, const Dataset& data) {
  if (data.is_image()) return;
  if (config.augment)
    throw InputError(fmt::format("augment: needs image data; {} is tabular", config.dataset.name));
  if (config.tta != "none")
    throw InputError(fmt::format("tta: needs image data; {} is tabular", config.dataset.name));
}

}  // namespace

runfile::RunRecord run_training(const sweep::PlanEntry& entry, const TrainConfig& config, std::FILE* log) {
  const auto start = std::chrono::steady_clock::now();
  runfile::RunRecord record;
  record.started_at = utc_now_iso8601();

  record.settings = apply_mode(config.mode);
  const int64_t threads = set_thread_count();
  const c10::Device device = choose_device(config.device);
  record.settings.emplace_back("device", device.str());
  record.settings.emplace_back("cpu_threads", std::to_string(threads));

  const Dataset data = load_dataset(config.dataset, device);
  check_fits_data(config, data);
  std::shared_ptr<Model> model = build_model(config, data.sample_shape, data.n_classes);
  init_parameters(*model, config.seed_init);
  if (config.seed_bitflip >= 0) {
    BitFlip flip = flip_one_weight(*model, config.seed_bitflip);
    record.settings.emplace_back(
        "bitflip", fmt::format("weight {} {:.9g} -> {:.9g} ({})", flip.index, flip.old_value,
                               flip.new_value, flip.up ? "+1 ULP" : "-1 ULP"));
  }
  std::string settings;
  for (const auto& [name, value] : record.settings) settings += fmt::format(" {}={}", name, value);
  log_line(log, "settings:" + settings);
  model->to(device);

  // The meter covers training and evaluation only: data loading and set-up are not the
  // configuration's cost.
  energy::EnergyMeter meter(device.is_cuda() ? energy::visible_gpu(device.index()) : "");
  meter.start();
  TrainResult result = train(*model, data, config, log, &meter);
  const energy::EnergyResult energy = meter.stop();
  record.energy = {energy.gpu_j, energy.cpu_j, energy.avg_gpu_w, energy.method};
  if (!energy.gpu.empty()) record.settings.emplace_back("energy_gpu", energy.gpu);
  if (!energy.note.empty()) record.settings.emplace_back("energy_note", energy.note);

  record.run_id = entry.run_id;
  record.group_id = entry.group_id;
  record.sweep_name = entry.sweep;
  record.params_json = entry.params.dump();
  record.mode = config.mode;
  record.replica = config.replica;
  record.seeds = seeds_used(config);
  record.env = collect_env(device);
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
  record.timing.gpu_s = device.is_cuda() ? result.train_s + result.eval_s : -1.0;
  record.timing.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  record.finished_at = utc_now_iso8601();
  return record;
}

}  // namespace rs::train
