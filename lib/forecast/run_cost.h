// What decides how long a run trains, from its params: a cost key (the parameters that change
// the work per sample and its speed) and the work itself, samples x epochs. Runs with the same
// key are taken to train at the same rate per sample-epoch (docs/forecast.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rs::forecast {

struct RunCost {
  // Canonical JSON of the data set (name, path, subset or all), model and its size (model,
  // batchnorm, width, kernel_size), batch_size, augment, tta, precision, channels_last, tf32,
  // cudnn_benchmark, mode and world_size. Not the optimizer, lr, seeds or noise: they do not
  // change the work.
  std::string key;
  // epochs x training samples, where the params say how many (max_train, or synthetic's
  // n_train); epochs alone for a whole data set, whose size is then part of the key.
  double work = 0;
};

// Throws contract::ParamError (an rs::InputError) for params the trainer would refuse.
RunCost run_cost(const nlohmann::json& params);

}  // namespace rs::forecast
