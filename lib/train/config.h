// The trainer's parameters: what one run trains, as resolved by the planner.
//
// A run's params (plan.jsonl, and params_json in its run file) are a JSON object holding the
// grid's `base` keys, the point's axis values and the planner's bookkeeping (mode, noise, seed,
// replica, seeds, resources). parse_train_config() turns it into a TrainConfig and rejects
// unknown keys and wrong types, naming the key. It is plain C++ (no LibTorch) so that
// `sweep plan` validates every point on the login node, before anything is submitted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rs::train {

struct DatasetConfig {
  std::string name;           // digits | breast_cancer | cifar10
  std::string path;           // file or folder; "" = the default location for `name`
  double test_fraction = 0.2; // sklearn sets only: every round(1/f)-th sample is test data
};

struct TrainConfig {
  DatasetConfig dataset;
  std::string model = "small_cnn";  // small_cnn | mlp
  bool batchnorm = false;           // small_cnn only
  int64_t width = 32;               // channels of the CNN's last conv / hidden units of the MLP
  int64_t epochs = 10;
  int64_t batch_size = 64;
  std::string optimizer = "sgd";    // sgd | adam
  double lr = 0.05;
  double momentum = 0.9;            // sgd only
  double weight_decay = 0.0;
  std::string device = "auto";      // auto | cpu | cuda
  std::string mode = "nd";          // nd | d

  // Seeds per noise source, resolved by the planner (-1 = not set: the source uses `seed`).
  int64_t seed = 0;
  int64_t replica = 0;
  int64_t seed_init = -1, seed_shuffle = -1, seed_augment = -1, seed_dropout = -1;
  int64_t seed_bitflip = -1;  // -1 = no bit flip
};

// Every key a run's params may hold at top level.
const std::vector<std::string>& train_config_keys();

// Throws rs::InputError("<key>: expected ..., got ...") on an unknown key or a bad value.
TrainConfig parse_train_config(const nlohmann::json& params);

}  // namespace rs::train
