#include "train/schedule.h"

#include <cmath>

namespace rs::train {

double learning_rate(const contract::TrainConfig& config, int64_t epoch) {
  const int64_t warmup = config.warmup_epochs;
  if (epoch <= warmup) return config.lr * static_cast<double>(epoch) / static_cast<double>(warmup);
  const int64_t t = epoch - warmup - 1;
  if (config.schedule == "step")
    return config.lr * std::pow(config.gamma, static_cast<double>(t / config.step_size));
  if (config.schedule == "cosine") {
    const int64_t cycle = (config.epochs - warmup) / config.snapshot_cycles;
    const double pi = std::acos(-1.0);
    const double phase = static_cast<double>(t % cycle) / static_cast<double>(cycle);
    return config.lr * (1.0 + std::cos(pi * phase)) / 2.0;
  }
  return config.lr;
}

}  // namespace rs::train
