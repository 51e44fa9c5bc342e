#include "train/config.h"

#include <fmt/format.h>

#include "util/error.h"
#include "util/text.h"

namespace rs::train {
namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  if (v.is_string()) return fmt::format("\"{}\"", v.get<std::string>());
  return v.dump();
}

[[noreturn]] void bad(const std::string& key, const std::string& expected, const json& got) {
  throw InputError(fmt::format("{}: expected {}, got {}", key, expected, type_name(got)));
}

std::string get_choice(const json& v, const std::string& key, const std::vector<std::string>& allowed) {
  std::string choices;
  for (const auto& a : allowed) choices += (choices.empty() ? "" : " | ") + a;
  if (!v.is_string()) bad(key, "one of " + choices, v);
  std::string s = v.get<std::string>();
  for (const auto& a : allowed)
    if (s == a) return s;
  bad(key, "one of " + choices, v);
}

int64_t get_int(const json& v, const std::string& key, int64_t min_value) {
  if (!v.is_number_integer() || v.get<int64_t>() < min_value)
    bad(key, fmt::format("an integer >= {}", min_value), v);
  return v.get<int64_t>();
}

double get_number(const json& v, const std::string& key, double min_value) {
  if (!v.is_number() || v.get<double>() < min_value) bad(key, fmt::format("a number >= {}", min_value), v);
  return v.get<double>();
}

void check_known(const json& object, const std::string& where, const std::vector<std::string>& keys) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const auto& k : keys) known = known || k == key;
    if (known) continue;
    std::string hint = nearest_word(key, keys);
    throw InputError(fmt::format("{}{}: unknown key{}", where, key,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
}

DatasetConfig parse_dataset(const json& v) {
  static const std::vector<std::string> names = {"digits", "breast_cancer", "cifar10"};
  DatasetConfig d;
  if (v.is_string()) {
    d.name = get_choice(v, "dataset", names);
    return d;
  }
  if (!v.is_object()) bad("dataset", "a name or a map {name, path, test_fraction}", v);
  check_known(v, "dataset.", {"name", "path", "test_fraction"});
  if (!v.contains("name")) throw InputError("dataset.name: missing");
  d.name = get_choice(v["name"], "dataset.name", names);
  if (v.contains("path")) {
    if (!v["path"].is_string()) bad("dataset.path", "a path", v["path"]);
    d.path = v["path"].get<std::string>();
  }
  if (v.contains("test_fraction")) {
    d.test_fraction = get_number(v["test_fraction"], "dataset.test_fraction", 0.0);
    if (d.test_fraction <= 0.0 || d.test_fraction >= 1.0)
      bad("dataset.test_fraction", "a number in (0, 1)", v["test_fraction"]);
  }
  return d;
}

}  // namespace

const std::vector<std::string>& train_config_keys() {
  static const std::vector<std::string> keys = {
      "dataset", "model",    "batchnorm", "width",  "epochs",  "batch_size", "optimizer",
      "lr",      "momentum", "weight_decay", "device", "mode", "seed",       "replica",
      "seeds",   "noise",    "resources"};
  return keys;
}

TrainConfig parse_train_config(const json& params) {
  if (!params.is_object()) bad("params", "a map", params);
  check_known(params, "", train_config_keys());
  TrainConfig c;
  if (!params.contains("dataset")) throw InputError("dataset: missing (e.g. dataset: digits)");
  c.dataset = parse_dataset(params["dataset"]);
  for (const auto& [key, v] : params.items()) {
    if (key == "model") c.model = get_choice(v, key, {"small_cnn", "mlp"});
    else if (key == "batchnorm") {
      if (!v.is_boolean()) bad(key, "true or false", v);
      c.batchnorm = v.get<bool>();
    }
    else if (key == "width") c.width = get_int(v, key, 1);
    else if (key == "epochs") c.epochs = get_int(v, key, 1);
    else if (key == "batch_size") c.batch_size = get_int(v, key, 1);
    else if (key == "optimizer") c.optimizer = get_choice(v, key, {"sgd", "adam"});
    else if (key == "lr") c.lr = get_number(v, key, 0.0);
    else if (key == "momentum") c.momentum = get_number(v, key, 0.0);
    else if (key == "weight_decay") c.weight_decay = get_number(v, key, 0.0);
    else if (key == "device") c.device = get_choice(v, key, {"auto", "cpu", "cuda"});
    else if (key == "mode") c.mode = get_choice(v, key, {"nd", "d"});
    else if (key == "seed") c.seed = get_int(v, key, 0);
    else if (key == "replica") c.replica = get_int(v, key, 0);
  }
  c.seed_init = c.seed_shuffle = c.seed_augment = c.seed_dropout = c.seed;
  if (params.contains("seeds")) {
    const json& s = params["seeds"];
    if (!s.is_object()) bad("seeds", "a map of source -> seed", s);
    check_known(s, "seeds.", {"init", "shuffle", "augment", "dropout", "bitflip"});
    auto seed_of = [&](const char* name, int64_t fallback) {
      return s.contains(name) ? get_int(s[name], std::string("seeds.") + name, -1) : fallback;
    };
    c.seed_init = seed_of("init", c.seed);
    c.seed_shuffle = seed_of("shuffle", c.seed);
    c.seed_augment = seed_of("augment", c.seed);
    c.seed_dropout = seed_of("dropout", c.seed);
    c.seed_bitflip = seed_of("bitflip", -1);
  }
  return c;
}

}  // namespace rs::train
