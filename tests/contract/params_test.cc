#include <catch2/catch.hpp>

#include "contract/params.h"
#include "contract/ranks_config.h"
#include "util/error.h"

namespace rs::contract {
namespace {

using nlohmann::json;

json base() { return {{"dataset", "digits"}}; }

json with(json params, const std::string& key, const json& value) {
  params[key] = value;
  return params;
}

// The message parse_train_config() throws for `params`, or "" when it accepts them.
std::string error_of(const json& params) {
  try {
    parse_train_config(params);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The key of the ParamError parse_train_config() throws for `params`, or "" when it accepts them.
std::string key_of(const json& params) {
  try {
    parse_train_config(params);
  } catch (const ParamError& e) {
    return e.key;
  }
  return "";
}

TEST_CASE("config: defaults of the new parameters") {
  TrainConfig c = parse_train_config(base());
  CHECK(c.kernel_size == 3);
  CHECK(c.dropout == 0.0);
  CHECK_FALSE(c.augment);
  CHECK(c.tta == "none");
  CHECK_FALSE(c.nesterov);
  CHECK(c.schedule == "constant");
  CHECK(c.warmup_epochs == 0);
  CHECK(c.snapshot_cycles == 1);
  CHECK(c.label_smoothing == 0.0);
  CHECK(c.checkpoint_every == 10);
  CHECK(parse_train_config(with(base(), "checkpoint_every", 0)).checkpoint_every == 0);
  CHECK(parse_train_config(with(base(), "checkpoint_every", 3)).checkpoint_every == 3);
}

TEST_CASE("config: every new parameter is read") {
  json params = {{"dataset", "digits"}, {"model", "medium_cnn"},   {"kernel_size", 5},
                 {"dropout", 0.25},     {"augment", true},         {"tta", "flip_crops"},
                 {"optimizer", "adamw"}, {"nesterov", true},       {"label_smoothing", 0.1},
                 {"schedule", "cosine"}, {"warmup_epochs", 2},     {"epochs", 12},
                 {"snapshot_cycles", 5}, {"step_size", 3},         {"gamma", 0.5}};
  TrainConfig c = parse_train_config(params);
  CHECK(c.model == "medium_cnn");
  CHECK(c.kernel_size == 5);
  CHECK(c.dropout == 0.25);
  CHECK(c.augment);
  CHECK(c.tta == "flip_crops");
  CHECK(c.optimizer == "adamw");
  CHECK(c.nesterov);
  CHECK(c.label_smoothing == 0.1);
  CHECK(c.schedule == "cosine");
  CHECK(c.warmup_epochs == 2);
  CHECK(c.snapshot_cycles == 5);
  CHECK(c.step_size == 3);
  CHECK(c.gamma == 0.5);
  for (const char* model : {"mlp", "small_cnn", "medium_cnn", "resnet14", "resnet18", "resnet34",
                            "preact_resnet18", "mobilenet_v2"})
    CHECK(parse_train_config(with(base(), "model", model)).model == model);
}

TEST_CASE("config: bad values name the key and what was expected") {
  CHECK(error_of(with(base(), "kernel_size", 4)) == "kernel_size: expected one of 1 | 3 | 5 | 7, got 4");
  CHECK(error_of(with(base(), "kernel_size", 9)) == "kernel_size: expected one of 1 | 3 | 5 | 7, got 9");
  CHECK(error_of(with(base(), "dropout", 1.0)) == "dropout: expected a number in [0, 1), got 1.0");
  CHECK(error_of(with(base(), "label_smoothing", -0.1)) ==
        "label_smoothing: expected a number in [0, 1), got -0.1");
  CHECK(error_of(with(base(), "augment", "yes")) == "augment: expected true or false, got \"yes\"");
  CHECK(error_of(with(base(), "tta", "crops")) ==
        "tta: expected one of none | flip | flip_crops, got \"crops\"");
  CHECK(error_of(with(base(), "optimizer", "rmsprop")) ==
        "optimizer: expected one of sgd | adam | adamw, got \"rmsprop\"");
  CHECK(error_of(with(base(), "schedule", "linear")) ==
        "schedule: expected one of constant | step | cosine, got \"linear\"");
  CHECK(error_of(with(base(), "gamma", 0)) == "gamma: expected a number > 0, got 0");
  CHECK(error_of(with(base(), "step_size", 0)) == "step_size: expected an integer >= 1, got 0");
  CHECK(error_of(with(base(), "warmup_epochs", -1)) == "warmup_epochs: expected an integer >= 0, got -1");
  CHECK(error_of(with(base(), "checkpoint_every", -1)) == "checkpoint_every: expected an integer >= 0, got -1");
  CHECK(error_of(with(base(), "checkpoint_every", 1.5)) ==
        "checkpoint_every: expected an integer >= 0, got 1.5");
  CHECK(error_of(with(base(), "model", "vgg16")).rfind("model: expected one of mlp | small_cnn", 0) == 0);
  CHECK(error_of(with(base(), "nestrov", true)) == "nestrov: unknown key (did you mean 'nesterov'?)");
}

TEST_CASE("config: parameters that depend on each other") {
  json sgd = with(base(), "nesterov", true);
  CHECK(error_of(with(sgd, "momentum", 0)) == "nesterov: needs momentum > 0, got momentum 0");
  CHECK(error_of(with(with(sgd, "momentum", 0), "optimizer", "adam")).empty());  // adam ignores both

  json warm = with(with(base(), "epochs", 5), "warmup_epochs", 5);
  CHECK(error_of(warm) == "warmup_epochs: expected fewer than the 5 epochs, got 5");

  json cosine = with(with(with(base(), "epochs", 10), "schedule", "cosine"), "snapshot_cycles", 3);
  CHECK(error_of(cosine) == "snapshot_cycles: 3 does not divide the 10 epochs after warm-up");
  CHECK(error_of(with(cosine, "warmup_epochs", 1)).empty());                // 9 epochs, 3 cycles
  CHECK(error_of(with(cosine, "schedule", "step")).empty());                // step ignores cycles
}

TEST_CASE("config: the new data sets") {
  json synthetic = {{"name", "synthetic"}, {"n_train", 64}, {"n_test", 16}, {"classes", 4},
                    {"channels", 1},       {"size", 12}};
  DatasetConfig d = parse_train_config({{"dataset", synthetic}}).dataset;
  CHECK(d.name == "synthetic");
  CHECK(d.synthetic.n_train == 64);
  CHECK(d.synthetic.n_test == 16);
  CHECK(d.synthetic.classes == 4);
  CHECK(d.synthetic.channels == 1);
  CHECK(d.synthetic.size == 12);

  SyntheticConfig defaults = parse_train_config({{"dataset", "synthetic"}}).dataset.synthetic;
  CHECK(defaults.n_train == 50000);
  CHECK(defaults.size == 32);

  CHECK(error_of({{"dataset", {{"name", "synthetic"}, {"classes", 1}}}}) ==
        "dataset.classes: expected an integer >= 2, got 1");
  CHECK(error_of({{"dataset", {{"name", "digits"}, {"classes", 10}}}}) ==
        "dataset.classes: only dataset synthetic has it");
  // Sets read from files take n_train and n_test as caps.
  const DatasetConfig capped = parse_train_config({{"dataset", {{"name", "digits"}, {"n_train", 100}, {"n_test", 20}}}}).dataset;
  CHECK(capped.max_train == 100);
  CHECK(capped.max_test == 20);
  CHECK(parse_train_config(base()).dataset.max_train == 0);
  CHECK(error_of({{"dataset", {{"name", "digits"}, {"n_test", 0}}}}) == "dataset.n_test: expected an integer >= 1, got 0");
  CHECK(error_of({{"dataset", {{"name", "synthetic"}, {"path", "/x"}}}}) ==
        "dataset.path: dataset synthetic has no files");
  CHECK(error_of({{"dataset", "cifar100"}}).rfind("dataset.path: cifar100 needs", 0) == 0);
  CHECK(error_of({{"dataset", "cifar10"}}).rfind("dataset.path: cifar10 needs", 0) == 0);
  CHECK(error_of({{"dataset", "hdf5"}}) == "dataset.path: hdf5 needs the file");
  CHECK(parse_train_config({{"dataset", {{"name", "hdf5"}, {"path", "/data/x.h5"}}}}).dataset.path ==
        "/data/x.h5");
}

TEST_CASE("params: every error carries its key, dotted below the top level") {
  CHECK(key_of(with(base(), "lr", -1)) == "lr");
  CHECK(key_of(with(base(), "nestrov", true)) == "nestrov");
  CHECK(key_of(with(with(base(), "nesterov", true), "momentum", 0)) == "nesterov");
  CHECK(key_of({{"dataset", {{"name", "digits"}, {"test_fraction", 1.5}}}}) == "dataset.test_fraction");
  CHECK(key_of({{"dataset", {{"name", "digits"}, {"colour", true}}}}) == "dataset.colour");
  CHECK(key_of(with(base(), "seeds", {{"init", -2}})) == "seeds.init");
  CHECK(key_of(with(base(), "seeds", {{"weights", 1}})) == "seeds.weights");
  CHECK(key_of(json::object()) == "dataset");
  CHECK(key_of(json::array()) == "params");
  CHECK(key_of(base()).empty());
}

TEST_CASE("params: what every run would refuse once it read its data is refused from the params") {
  // breast_cancer is a table: no convolutions, crops or flips.
  const json table = {{"dataset", "breast_cancer"}, {"model", "mlp"}};
  CHECK(error_of(table).empty());
  CHECK(error_of(with(table, "model", "small_cnn")) ==
        "model: small_cnn needs image data; breast_cancer is tabular (use model: mlp)");
  CHECK(error_of(with(table, "augment", true)) == "augment: needs image data; breast_cancer is tabular");
  CHECK(error_of(with(table, "tta", "flip")) == "tta: needs image data; breast_cancer is tabular");
  CHECK(key_of(with(table, "tta", "flip_crops")) == "tta");
  // Every other set holds images: every model, augment and tta fit.
  CHECK(error_of(with(with(base(), "augment", true), "tta", "flip")).empty());
  CHECK(error_of({{"dataset", {{"name", "hdf5"}, {"path", "/data/x.h5"}}}, {"augment", true}}).empty());

  // The sklearn sets' split needs k = round(1 / test_fraction) >= 2; the others ignore it.
  CHECK(error_of({{"dataset", {{"name", "digits"}, {"test_fraction", 0.5}}}}).empty());
  CHECK(error_of({{"dataset", {{"name", "digits"}, {"test_fraction", 0.7}}}}) ==
        "dataset.test_fraction: 0.7 makes every sample test data (k = round(1 / test_fraction) must be 2 or more)");
  CHECK(error_of({{"dataset", {{"name", "synthetic"}, {"test_fraction", 0.7}}}}).empty());
}

}  // namespace
TEST_CASE("world_size and nodes: one rank on one node by default, read, checked") {
  RanksConfig r = parse_ranks_config(base());
  CHECK(r.world_size == 1);
  CHECK(r.nodes == 1);
  json two = with(with(base(), "world_size", 4), "nodes", 2);
  CHECK(parse_ranks_config(two).world_size == 4);
  CHECK(parse_ranks_config(two).nodes == 2);
  CHECK(error_of(two) == "");
  // parse_train_config() checks them too, so that the planner rejects a bad value.
  CHECK(error_of(with(base(), "world_size", 0)) == "world_size: expected an integer >= 1, got 0");
  CHECK(error_of(with(base(), "nodes", "2")) == "nodes: expected an integer >= 1, got \"2\"");
  CHECK(error_of(with(base(), "nodes", 2)) == "nodes: expected at most world_size (1) nodes, got 2");
}

TEST_CASE("sync_batchnorm: off by default, read, checked") {
  CHECK_FALSE(parse_train_config(base()).sync_batchnorm);
  CHECK(parse_train_config(with(base(), "sync_batchnorm", true)).sync_batchnorm);
  CHECK(error_of(with(base(), "sync_batchnorm", 1)) == "sync_batchnorm: expected true or false, got 1");
}

}  // namespace rs::contract

TEST_CASE("precision and channels_last: parsed, and a bad value names the key") {
  rs::contract::TrainConfig c = rs::contract::parse_train_config(
      {{"dataset", "digits"}, {"precision", "bf16"}, {"channels_last", true}});
  CHECK(c.precision == "bf16");
  CHECK(c.channels_last);
  CHECK(rs::contract::parse_train_config({{"dataset", "digits"}}).precision == "fp32");
  CHECK_THROWS_WITH(rs::contract::parse_train_config({{"dataset", "digits"}, {"precision", "fp16"}}),
                    Catch::Contains("precision") && Catch::Contains("bf16"));
  CHECK_THROWS_WITH(rs::contract::parse_train_config({{"dataset", "digits"}, {"channels_last", "yes"}}),
                    Catch::Contains("channels_last"));
}

TEST_CASE("tf32 and cudnn_benchmark: defaults as PyTorch's, parsed, and a bad value names the key") {
  using rs::contract::parse_train_config;
  rs::contract::TrainConfig c = parse_train_config({{"dataset", "digits"}});
  CHECK(c.tf32 == "default");
  CHECK_FALSE(c.cudnn_benchmark);
  for (const char* tf32 : {"default", "off", "on"})
    CHECK(parse_train_config({{"dataset", "digits"}, {"tf32", tf32}}).tf32 == tf32);
  CHECK(parse_train_config({{"dataset", "digits"}, {"cudnn_benchmark", true}}).cudnn_benchmark);
  CHECK_THROWS_WITH(parse_train_config({{"dataset", "digits"}, {"tf32", "sometimes"}}),
                    Catch::Contains("tf32: expected one of default | off | on, got \"sometimes\""));
  CHECK_THROWS_WITH(parse_train_config({{"dataset", "digits"}, {"cudnn_benchmark", "on"}}),
                    Catch::Contains("cudnn_benchmark: expected true or false"));
}
