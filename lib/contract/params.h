// The params schema: what one run trains, as resolved by the planner (docs/trainer.md,
// "Parameters").
//
// A run's params (plan.jsonl, and params_json in its run file) are a JSON object holding the
// grid's `base` keys, the point's axis values and the planner's bookkeeping (mode, noise, seed,
// replica, seeds, resources). parse_train_config() turns it into a TrainConfig and rejects
// whatever the trainer would refuse without reading data: unknown keys, wrong types, values out
// of range, parameters that contradict each other or the data set (a CNN, `augment` or `tta` on
// tabular data, a test_fraction that leaves no training data). It is plain C++ (no LibTorch) so
// that `sweep plan` refuses on the login node what every array task would refuse. Whether the
// data set's files exist and read well, the trainer finds out when it loads them.
//
// A parameter that belongs to another model, optimizer or schedule than the chosen one (e.g.
// `momentum` with adam, `kernel_size` with resnet18, `step_size` with cosine) is ignored, so
// that one grid can sweep models, optimizers or schedules over a shared `base`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/mode.h"
#include "contract/noise_source.h"
#include "util/error.h"

namespace rs::contract {

// The random images of dataset `synthetic` (for speed tests); CIFAR-10's shape by default.
struct SyntheticConfig {
  int64_t n_train = 50000, n_test = 10000;
  int64_t classes = 10, channels = 3, size = 32;  // images channels x size x size
};

struct DatasetConfig {
  std::string name;           // digits | breast_cancer | cifar10 | cifar100 | hdf5 | synthetic
  std::string path;           // file or folder; "" = the default location (sklearn sets only)
  double test_fraction = 0.2; // sklearn sets only: every round(1/f)-th sample is test data
  SyntheticConfig synthetic;  // synthetic only
  // Sets read from files: only the first n_train training and n_test test samples (all of a
  // part that has fewer), e.g. for short runs (`sweep preflight`); 0 = all. synthetic makes
  // its synthetic.n_train and n_test instead.
  int64_t max_train = 0, max_test = 0;
};

struct TrainConfig {
  DatasetConfig dataset;

  // Model.
  std::string model = "small_cnn";  // mlp | small_cnn | medium_cnn | resnet14 | resnet18 |
                                    // resnet34 | preact_resnet18 | mobilenet_v2
  bool batchnorm = false;           // small_cnn, medium_cnn
  bool sync_batchnorm = false;      // BatchNorm's statistics over all ranks (world_size > 1)
  int64_t width = 32;               // channels of the last conv (small_cnn, medium_cnn) or
                                    // hidden units (mlp)
  int64_t kernel_size = 3;          // medium_cnn: 1 | 3 | 5 | 7
  double dropout = 0.0;             // probability of dropping a classifier input, in [0, 1)

  // Data.
  int64_t epochs = 10;
  int64_t batch_size = 64;
  bool augment = false;             // random crop (padding 4) and horizontal flip; images only
  std::string tta = "none";         // test-time augmentation: none | flip | flip_crops

  // Optimisation.
  std::string optimizer = "sgd";    // sgd | adam | adamw
  double lr = 0.05;
  double momentum = 0.9;            // sgd
  bool nesterov = false;            // sgd; needs momentum > 0
  double weight_decay = 0.0;        // L2 term (sgd, adam), decoupled decay (adamw)
  double label_smoothing = 0.0;     // in [0, 1)
  std::string schedule = "constant";  // constant | step | cosine
  int64_t warmup_epochs = 0;        // linear warm-up before the schedule; < epochs
  int64_t step_size = 30;           // step: epochs between decays
  double gamma = 0.1;               // step: the decay factor
  int64_t snapshot_cycles = 1;      // cosine: restarts (snapshot ensembles); divides the
                                    // epochs after warm-up

  std::string device = "auto";      // auto | cpu | cuda
  std::string precision = "fp32";   // fp32 | bf16 (autocast of forward passes; precision.h)
  bool channels_last = false;       // NHWC memory format for images and conv weights
  std::string tf32 = "default";     // default | off | on: TF32 for float32 matmuls and
                                    // convolutions on CUDA, in both modes (determinism.h)
  bool cudnn_benchmark = false;     // cuDNN picks convolution algorithms by timing them
  int64_t checkpoint_every = 10;    // epochs between checkpoints (checkpoint.h); 0 = only on a
                                    // signal
  Mode mode = Mode::kNd;

  int64_t seed = 0;
  int64_t replica = 0;
  // The seed of each noise source: the params' `seeds` (resolved by the planner), else `seed`;
  // bitflip's else -1, no bit flip.
  SourceSeeds seeds;
};

// A bad run parameter. The message starts with the key ("lr: expected a number >= 0, got -1");
// `key` is that key alone, dotted below the top level ("dataset.test_fraction", "seeds.init"),
// so that `sweep plan` can say where the grid set it.
class ParamError : public InputError {
 public:
  ParamError(const std::string& key, const std::string& problem)
      : InputError(key + ": " + problem), key(key) {}

  std::string key;
};

// Every key a run's params may hold at top level.
const std::vector<std::string>& train_config_keys();

// Throws ParamError on an unknown key, a bad value or values that do not fit together.
TrainConfig parse_train_config(const nlohmann::json& params);


}  // namespace rs::contract
