#include "catch_torch.h"  // first: see there

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include <torch/cuda.h>

#include "train/run.h"
#include "train_test_util.h"

namespace rs::train {
namespace {

using contract::NoiseSource;
using nlohmann::json;
using testing::digits_params;
using testing::plan_entry;
using testing::same_bytes;
using testing::setting;

runfile::RunRecord run(const json& params) {
  return *run_training(plan_entry(params), contract::parse_train_config(params), nullptr);
}

// Row `row` of the record's /weights/last_layer: the classifier weight after `row` epochs.
std::vector<float> last_layer_row(const runfile::RunRecord& r, int64_t row) {
  auto first = r.last_layer.begin() + row * r.last_layer_cols;
  return std::vector<float>(first, first + r.last_layer_cols);
}

TEST_CASE("a run's record has every field in its documented shape") {
  runfile::RunRecord r = run(digits_params());
  CHECK(r.run_id == "0123456789abcdef");
  CHECK(r.mode == "d");
  CHECK(r.params_json == digits_params().dump());
  CHECK(r.metrics.epoch == std::vector<int64_t>{1, 2});
  for (double acc : r.metrics.test_acc) CHECK((acc >= 0 && acc <= 1));
  // On the CPU the meter reads RAPL where the machine exposes it, else nothing: either way the
  // epochs' energies add up to the run's.
  REQUIRE(r.metrics.energy_j.size() == 2);
  CHECK((r.energy.method == "rapl" || r.energy.method == "none"));
  CHECK(r.energy.gpu_j == 0);
  CHECK(r.metrics.energy_j[0] + r.metrics.energy_j[1] <= r.energy.cpu_j + 1e-9);
  if (r.energy.method == "none") CHECK(r.metrics.energy_j == std::vector<double>{0, 0});
  CHECK(r.n_test == 360);
  CHECK(r.n_classes == 10);
  CHECK(r.logits.size() == 360 * 10);
  CHECK(r.labels.size() == 360);
  CHECK(r.last_layer_rows == 3);
  CHECK(r.last_layer_cols == 10 * 8);
  CHECK(r.last_layer.size() == 3 * 80);
  CHECK(r.seeds[NoiseSource::kInit] == 7);
  CHECK(r.seeds[NoiseSource::kShuffle] == 7);
  CHECK(r.seeds[NoiseSource::kAugment] == -1);
  CHECK(r.seeds[NoiseSource::kDropout] == -1);
  CHECK(r.seeds[NoiseSource::kBitflip] == -1);
  CHECK(r.timing.gpu_s == -1);
  CHECK(r.timing.wall_s >= r.timing.train_s + r.timing.eval_s);
  CHECK_FALSE(r.env.torch_version.empty());
  CHECK(r.env.gpu_name.empty());
}

TEST_CASE("mode d: the same config gives bit-identical weights and logits") {
  runfile::RunRecord a = run(digits_params());
  runfile::RunRecord b = run(digits_params());
  CHECK(same_bytes(a.weights_flat, b.weights_flat));
  CHECK(same_bytes(a.logits, b.logits));
  CHECK(same_bytes(a.last_layer, b.last_layer));
}

TEST_CASE("precision bf16: recorded, bit-identical in mode d, not fp32's result, still learns") {
  json params = digits_params();
  params["precision"] = "bf16";
  runfile::RunRecord a = run(params), b = run(params), fp32 = run(digits_params());
  CHECK(setting(a, "precision") == "bf16");
  CHECK(setting(fp32, "precision") == "fp32");
  CHECK(same_bytes(a.weights_flat, b.weights_flat));
  CHECK(same_bytes(a.logits, b.logits));
  CHECK_FALSE(same_bytes(a.weights_flat, fp32.weights_flat));  // autocast did change the kernels
  CHECK(a.metrics.test_acc.back() > fp32.metrics.test_acc.back() - 0.1);
}

TEST_CASE("channels_last: recorded, bit-identical in mode d, the same function as NCHW") {
  json params = digits_params();
  params["channels_last"] = true;
  runfile::RunRecord a = run(params), b = run(params), nchw = run(digits_params());
  CHECK(setting(a, "channels_last") == "on");
  CHECK(setting(nchw, "channels_last") == "off");
  CHECK(same_bytes(a.weights_flat, b.weights_flat));
  CHECK(same_bytes(a.logits, b.logits));
  // Only the order of sums may differ: after two epochs the logits still agree closely.
  REQUIRE(a.logits.size() == nchw.logits.size());
  float largest_difference = 0;
  for (size_t i = 0; i < a.logits.size(); ++i)
    largest_difference = std::max(largest_difference, std::abs(a.logits[i] - nchw.logits[i]));
  CHECK(largest_difference < 1e-2f);
}

TEST_CASE("modes d and nd differ in determinism alone: TF32 and cuDNN benchmark settings are the same") {
  json params = digits_params();
  params["epochs"] = 1;
  for (const auto& [tf32, benchmark] : {std::pair<std::string, bool>{"default", false}, {"off", true}, {"on", false}}) {
    INFO(tf32 << " " << benchmark);
    params["tf32"] = tf32;
    params["cudnn_benchmark"] = benchmark;
    params["mode"] = "d";
    runfile::RunRecord d = run(params);
    params["mode"] = "nd";
    runfile::RunRecord nd = run(params);
    for (const char* name : {"tf32", "tf32_cublas", "tf32_cudnn", "cudnn_benchmark"})
      CHECK(setting(d, name) == setting(nd, name));
    CHECK(setting(d, "tf32") == tf32);
    CHECK(setting(d, "tf32_cublas") == (tf32 == "on" ? "on" : "off"));  // LibTorch's default: off
    CHECK(setting(d, "tf32_cudnn") == (tf32 == "off" ? "off" : "on"));  // LibTorch's default: on
    CHECK(setting(d, "cudnn_benchmark") == (benchmark ? "on" : "off"));
    CHECK(setting(d, "deterministic_algorithms") == "on");
    CHECK(setting(d, "cudnn_deterministic") == "on");
    CHECK(setting(nd, "deterministic_algorithms") == "off");
    CHECK(setting(nd, "cudnn_deterministic") == "off");
    CHECK(setting(d, "CUBLAS_WORKSPACE_CONFIG") == ":4096:8");
  }
  // Nothing carries over: a run after one with TF32 on and the benchmark on gets the defaults,
  // and an nd run after a d run the environment the process started with.
  params.erase("tf32");
  params.erase("cudnn_benchmark");
  runfile::RunRecord defaults = run(params);
  CHECK(setting(defaults, "tf32") == "default");
  CHECK(setting(defaults, "tf32_cublas") == "off");
  CHECK(setting(defaults, "tf32_cudnn") == "on");
  CHECK(setting(defaults, "cudnn_benchmark") == "off");
  const char* inherited = std::getenv("CUBLAS_WORKSPACE_CONFIG");
  CHECK(setting(defaults, "CUBLAS_WORKSPACE_CONFIG") == (inherited != nullptr ? inherited : "(unset)"));
}

TEST_CASE("the shuffle seed changes training but not the initial weights") {
  json params = digits_params();
  runfile::RunRecord base = run(params);
  params["seeds"] = {{"shuffle", 8}};
  runfile::RunRecord shuffled = run(params);
  CHECK(shuffled.seeds[NoiseSource::kInit] == 7);
  CHECK(shuffled.seeds[NoiseSource::kShuffle] == 8);
  CHECK(same_bytes(last_layer_row(base, 0), last_layer_row(shuffled, 0)));
  CHECK_FALSE(same_bytes(base.weights_flat, shuffled.weights_flat));
}

TEST_CASE("the init seed changes the initial weights") {
  json params = digits_params();
  runfile::RunRecord base = run(params);
  params["seeds"] = {{"init", 8}};
  runfile::RunRecord reinitialised = run(params);
  CHECK(reinitialised.seeds[NoiseSource::kInit] == 8);
  CHECK(reinitialised.seeds[NoiseSource::kShuffle] == 7);
  CHECK_FALSE(same_bytes(last_layer_row(base, 0), last_layer_row(reinitialised, 0)));
}

TEST_CASE("a bit flip is recorded and changes the run") {
  json params = digits_params();
  runfile::RunRecord base = run(params);
  params["seeds"] = {{"bitflip", 3}};
  runfile::RunRecord flipped = run(params);
  CHECK(flipped.seeds[NoiseSource::kBitflip] == 3);
  CHECK_FALSE(same_bytes(base.weights_flat, flipped.weights_flat));
}

// digits_params() with augmentation and dropout and every seed given, `seeds` replacing some.
json noisy_params(const json& seeds = json::object()) {
  json params = digits_params();
  params["augment"] = true;
  params["dropout"] = 0.3;
  params["seeds"] = {{"init", 1}, {"shuffle", 2}, {"augment", 3}, {"dropout", 4}};
  params["seeds"].update(seeds);
  return params;
}

TEST_CASE("augment and dropout seeds are recorded when used, -1 otherwise") {
  runfile::RunRecord r = run(noisy_params());
  CHECK(r.seeds[NoiseSource::kInit] == 1);
  CHECK(r.seeds[NoiseSource::kShuffle] == 2);
  CHECK(r.seeds[NoiseSource::kAugment] == 3);
  CHECK(r.seeds[NoiseSource::kDropout] == 4);
  json params = noisy_params();
  params["augment"] = false;
  params["dropout"] = 0;
  r = run(params);
  CHECK(r.seeds[NoiseSource::kAugment] == -1);
  CHECK(r.seeds[NoiseSource::kDropout] == -1);
}

TEST_CASE("each of the shuffle, augment and dropout seeds changes training, never the initial weights") {
  runfile::RunRecord base = run(noisy_params());
  for (const char* source : {"shuffle", "augment", "dropout"}) {
    INFO(source);
    runfile::RunRecord changed = run(noisy_params({{source, 99}}));
    CHECK(same_bytes(last_layer_row(base, 0), last_layer_row(changed, 0)));
    CHECK_FALSE(same_bytes(base.weights_flat, changed.weights_flat));
  }
  // And the same seeds give the same run.
  CHECK(same_bytes(base.weights_flat, run(noisy_params()).weights_flat));
}

TEST_CASE("test-time augmentation adds averaged logits beside the plain ones") {
  json params = digits_params();
  CHECK(run(params).logits_tta.empty());
  for (const char* tta : {"flip", "flip_crops"}) {
    params["tta"] = tta;
    runfile::RunRecord r = run(params);
    REQUIRE(r.logits_tta.size() == r.logits.size());
    CHECK_FALSE(same_bytes(r.logits_tta, r.logits));
  }
}

TEST_CASE("optimizers and schedules: the learning rate per epoch is recorded") {
  json params = digits_params();
  params["epochs"] = 4;
  params["optimizer"] = "sgd";
  params["nesterov"] = true;
  params["label_smoothing"] = 0.1;
  params["schedule"] = "step";
  params["step_size"] = 1;
  params["gamma"] = 0.5;
  params["warmup_epochs"] = 1;
  runfile::RunRecord r = run(params);
  CHECK(r.metrics.lr == std::vector<double>{0.05, 0.05, 0.025, 0.0125});
  CHECK(r.metrics.train_loss.back() < r.metrics.train_loss.front());

  params["optimizer"] = "adamw";
  params["lr"] = 0.01;
  params["weight_decay"] = 0.05;
  params["schedule"] = "cosine";
  params["snapshot_cycles"] = 3;
  r = run(params);
  CHECK(r.metrics.lr == std::vector<double>{0.01, 0.01, 0.01, 0.01});  // 3 cycles of 1 epoch
  CHECK(r.metrics.train_loss.back() < r.metrics.train_loss.front());
}

TEST_CASE("augment and tta need images") {
  json params = {{"dataset", "breast_cancer"}, {"model", "mlp"}, {"epochs", 1}, {"augment", true}};
  CHECK_THROWS_WITH(run(params), "augment: needs image data; breast_cancer is tabular");
  params.erase("augment");
  params["tta"] = "flip";
  CHECK_THROWS_WITH(run(params), "tta: needs image data; breast_cancer is tabular");
  params.erase("tta");
  params["model"] = "resnet14";
  CHECK_THROWS_WITH(run(params), Catch::StartsWith("model: resnet14 needs image data"));
}

TEST_CASE("on CUDA: mode d repeats with dropout and augmentation, no step waits, the GPU is recorded") {
  if (!torch::cuda::is_available()) {
    WARN("no CUDA device here: the CUDA run not exercised");
    return;
  }
  json params = noisy_params();
  params["device"] = "cuda";
  params["batchnorm"] = true;
  setenv("REPROSWEEP_SYNC_CHECK", "error", 1);  // a step that waits for the GPU throws
  runfile::RunRecord a = run(params), b = run(params);
  unsetenv("REPROSWEEP_SYNC_CHECK");
  CHECK(setting(a, "device") == "cuda:0");
  CHECK(same_bytes(a.weights_flat, b.weights_flat));
  CHECK(same_bytes(a.logits, b.logits));
  CHECK(a.timing.gpu_s >= 0);
  CHECK_FALSE(a.env.gpu_name.empty());
  CHECK((a.env.gpu_uuid.rfind("GPU-", 0) == 0 || a.env.gpu_uuid.rfind("MIG-", 0) == 0));
  CHECK_FALSE(a.env.cuda_version.empty());
}

TEST_CASE("mlp with Adam learns breast_cancer") {
  json params = {{"dataset", "breast_cancer"}, {"model", "mlp"}, {"width", 16}, {"epochs", 10},
                 {"optimizer", "adam"},        {"lr", 0.01},     {"mode", "nd"}};
  runfile::RunRecord r = run(params);
  CHECK(r.n_classes == 2);
  CHECK(r.n_test == 114);
  CHECK(r.metrics.test_acc.back() > 0.9);
}

}  // namespace
}  // namespace rs::train
