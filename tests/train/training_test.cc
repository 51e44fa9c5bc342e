#include "catch_torch.h"  // first: see there

#include <cstring>

#include "train/run.h"
#include "train_test_util.h"

namespace rs::train {
namespace {

using nlohmann::json;
using testing::digits_params;
using testing::plan_entry;

runfile::RunRecord run(const json& params) {
  return run_training(plan_entry(params), parse_train_config(params), nullptr);
}

// Row `row` of the record's /weights/last_layer: the classifier weight after `row` epochs.
std::vector<float> last_layer_row(const runfile::RunRecord& r, int64_t row) {
  auto first = r.last_layer.begin() + row * r.last_layer_cols;
  return std::vector<float>(first, first + r.last_layer_cols);
}

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST_CASE("a run's record has every field in its documented shape") {
  runfile::RunRecord r = run(digits_params());
  CHECK(r.run_id == "0123456789abcdef");
  CHECK(r.mode == "d");
  CHECK(r.params_json == digits_params().dump());
  CHECK(r.metrics.epoch == std::vector<int64_t>{1, 2});
  for (double acc : r.metrics.test_acc) CHECK((acc >= 0 && acc <= 1));
  CHECK(r.metrics.energy_j == std::vector<double>{0, 0});
  CHECK(r.n_test == 360);
  CHECK(r.n_classes == 10);
  CHECK(r.logits.size() == 360 * 10);
  CHECK(r.labels.size() == 360);
  CHECK(r.last_layer_rows == 3);
  CHECK(r.last_layer_cols == 10 * 8);
  CHECK(r.last_layer.size() == 3 * 80);
  CHECK(r.seeds.init == 7);
  CHECK(r.seeds.shuffle == 7);
  CHECK(r.seeds.augment == -1);
  CHECK(r.seeds.dropout == -1);
  CHECK(r.seeds.bitflip == -1);
  CHECK(r.timing.gpu_s == -1);
  CHECK(r.timing.wall_s >= r.timing.train_s + r.timing.eval_s);
  CHECK(r.energy.method == "none");
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

TEST_CASE("the shuffle seed changes training but not the initial weights") {
  json params = digits_params();
  runfile::RunRecord base = run(params);
  params["seeds"] = {{"shuffle", 8}};
  runfile::RunRecord shuffled = run(params);
  CHECK(shuffled.seeds.init == 7);
  CHECK(shuffled.seeds.shuffle == 8);
  CHECK(same_bytes(last_layer_row(base, 0), last_layer_row(shuffled, 0)));
  CHECK_FALSE(same_bytes(base.weights_flat, shuffled.weights_flat));
}

TEST_CASE("the init seed changes the initial weights") {
  json params = digits_params();
  runfile::RunRecord base = run(params);
  params["seeds"] = {{"init", 8}};
  runfile::RunRecord reinitialised = run(params);
  CHECK(reinitialised.seeds.init == 8);
  CHECK(reinitialised.seeds.shuffle == 7);
  CHECK_FALSE(same_bytes(last_layer_row(base, 0), last_layer_row(reinitialised, 0)));
}

TEST_CASE("a bit flip is recorded and changes the run") {
  json params = digits_params();
  runfile::RunRecord base = run(params);
  params["seeds"] = {{"bitflip", 3}};
  runfile::RunRecord flipped = run(params);
  CHECK(flipped.seeds.bitflip == 3);
  CHECK_FALSE(same_bytes(base.weights_flat, flipped.weights_flat));
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
