#include "contract/params.h"

#include <cmath>

#include <fmt/format.h>

#include "contract/ranks_config.h"
#include "util/text.h"

namespace rs::contract {
namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  if (v.is_string()) return fmt::format("\"{}\"", v.get<std::string>());
  return v.dump();
}

[[noreturn]] void bad(const std::string& key, const std::string& expected, const json& got) {
  throw ParamError(key, fmt::format("expected {}, got {}", expected, type_name(got)));
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

// A probability-like value in [0, 1).
double get_fraction(const json& v, const std::string& key) {
  if (!v.is_number() || v.get<double>() < 0.0 || v.get<double>() >= 1.0)
    bad(key, "a number in [0, 1)", v);
  return v.get<double>();
}

bool get_bool(const json& v, const std::string& key) {
  if (!v.is_boolean()) bad(key, "true or false", v);
  return v.get<bool>();
}

void check_known(const json& object, const std::string& where, const std::vector<std::string>& keys) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const auto& k : keys) known = known || k == key;
    if (known) continue;
    std::string hint = nearest_word(key, keys);
    throw ParamError(where + key, fmt::format("unknown key{}", hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
}

SyntheticConfig parse_synthetic(const json& v) {
  SyntheticConfig s;
  for (const auto& [key, value] : v.items()) {
    const std::string name = "dataset." + key;
    if (key == "n_train") s.n_train = get_int(value, name, 1);
    else if (key == "n_test") s.n_test = get_int(value, name, 1);
    else if (key == "classes") s.classes = get_int(value, name, 2);
    else if (key == "channels") s.channels = get_int(value, name, 1);
    else if (key == "size") s.size = get_int(value, name, 1);
  }
  return s;
}

DatasetConfig parse_dataset(const json& v) {
  static const std::vector<std::string> names = {"digits", "breast_cancer", "cifar10",
                                                 "cifar100", "hdf5", "synthetic"};
  static const std::vector<std::string> synthetic_keys = {"n_train", "n_test", "classes",
                                                          "channels", "size"};
  DatasetConfig d;
  if (v.is_string()) {
    d.name = get_choice(v, "dataset", names);
  } else {
    if (!v.is_object()) bad("dataset", "a name or a map {name, path, ...}", v);
    std::vector<std::string> keys = {"name", "path", "test_fraction"};
    keys.insert(keys.end(), synthetic_keys.begin(), synthetic_keys.end());
    check_known(v, "dataset.", keys);
    if (!v.contains("name")) throw ParamError("dataset.name", "missing");
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
    for (const auto& key : synthetic_keys)
      if (v.contains(key) && d.name != "synthetic" && key != "n_train" && key != "n_test")
        throw ParamError("dataset." + key, "only dataset synthetic has it");
    if (d.name == "synthetic") {
      if (!d.path.empty()) throw ParamError("dataset.path", "dataset synthetic has no files");
      d.synthetic = parse_synthetic(v);
    } else {
      if (v.contains("n_train")) d.max_train = get_int(v["n_train"], "dataset.n_train", 1);
      if (v.contains("n_test")) d.max_test = get_int(v["n_test"], "dataset.n_test", 1);
    }
  }
  if (d.name == "cifar10" && d.path.empty())
    throw ParamError("dataset.path", "cifar10 needs the folder of its binary files (cifar-10-batches-bin)");
  if (d.name == "cifar100" && d.path.empty())
    throw ParamError("dataset.path", "cifar100 needs the folder of its binary files (cifar-100-binary)");
  if (d.name == "hdf5" && d.path.empty()) throw ParamError("dataset.path", "hdf5 needs the file");
  // The sklearn sets' split (dataset.h): sample i is test data iff i % round(1 / f) == 0.
  if ((d.name == "digits" || d.name == "breast_cancer") && std::lround(1.0 / d.test_fraction) < 2)
    throw ParamError("dataset.test_fraction",
                     fmt::format("{} makes every sample test data (k = round(1 / test_fraction) must be 2 or more)",
                                 d.test_fraction));
  return d;
}

// Every data set holds images (channels x height x width; an hdf5 file's are N x C x H x W)
// except breast_cancer, a table. Convolutions, crops and flips need images.
void check_fits_samples(const TrainConfig& c) {
  if (c.dataset.name != "breast_cancer") return;
  if (c.augment) throw ParamError("augment", fmt::format("needs image data; {} is tabular", c.dataset.name));
  if (c.tta != "none") throw ParamError("tta", fmt::format("needs image data; {} is tabular", c.dataset.name));
  if (c.model != "mlp")
    throw ParamError("model", fmt::format("{} needs image data; {} is tabular (use model: mlp)", c.model, c.dataset.name));
}

// The rules that tie one parameter to another.
void check_combinations(const TrainConfig& c) {
  if (c.optimizer == "sgd" && c.nesterov && c.momentum <= 0.0)
    throw ParamError("nesterov", fmt::format("needs momentum > 0, got momentum {}", c.momentum));
  if (c.warmup_epochs >= c.epochs)
    throw ParamError("warmup_epochs", fmt::format("expected fewer than the {} epochs, got {}", c.epochs, c.warmup_epochs));
  const int64_t scheduled = c.epochs - c.warmup_epochs;
  if (c.schedule == "cosine" && scheduled % c.snapshot_cycles != 0)
    throw ParamError("snapshot_cycles",
                     fmt::format("{} does not divide the {} epochs after warm-up", c.snapshot_cycles, scheduled));
}

}  // namespace

const std::vector<std::string>& train_config_keys() {
  static const std::vector<std::string> keys = {
      "dataset",       "model",         "batchnorm",       "width",     "kernel_size",
      "dropout",       "epochs",        "batch_size",      "augment",   "tta",
      "optimizer",     "lr",            "momentum",        "nesterov",  "weight_decay",
      "label_smoothing", "schedule",    "warmup_epochs",   "step_size", "gamma",
      "snapshot_cycles", "device",      "mode",            "seed",      "replica",
      "seeds",         "noise",         "resources",       "checkpoint_every", "precision",
      "channels_last", "tf32",          "cudnn_benchmark", "world_size", "nodes",
      "sync_batchnorm", "environment"};
  return keys;
}

RanksConfig parse_ranks_config(const json& params) {
  RanksConfig r;
  if (params.contains("world_size")) r.world_size = get_int(params["world_size"], "world_size", 1);
  if (params.contains("nodes")) r.nodes = get_int(params["nodes"], "nodes", 1);
  if (r.nodes > r.world_size)
    throw InputError(fmt::format("nodes: expected at most world_size ({}) nodes, got {}", r.world_size, r.nodes));
  return r;
}

TrainConfig parse_train_config(const json& params) {
  if (!params.is_object()) bad("params", "a map", params);
  check_known(params, "", train_config_keys());
  TrainConfig c;
  if (!params.contains("dataset")) throw ParamError("dataset", "missing (e.g. dataset: digits)");
  c.dataset = parse_dataset(params["dataset"]);
  for (const auto& [key, v] : params.items()) {
    if (key == "model")
      c.model = get_choice(v, key, {"mlp", "small_cnn", "medium_cnn", "resnet14", "resnet18", "resnet34",
                                    "preact_resnet18", "mobilenet_v2"});
    else if (key == "batchnorm") c.batchnorm = get_bool(v, key);
    else if (key == "sync_batchnorm") c.sync_batchnorm = get_bool(v, key);
    else if (key == "width") c.width = get_int(v, key, 1);
    else if (key == "kernel_size") {
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 7 || v.get<int64_t>() % 2 == 0)
        bad(key, "one of 1 | 3 | 5 | 7", v);
      c.kernel_size = v.get<int64_t>();
    }
    else if (key == "dropout") c.dropout = get_fraction(v, key);
    else if (key == "epochs") c.epochs = get_int(v, key, 1);
    else if (key == "batch_size") c.batch_size = get_int(v, key, 1);
    else if (key == "augment") c.augment = get_bool(v, key);
    else if (key == "tta") c.tta = get_choice(v, key, {"none", "flip", "flip_crops"});
    else if (key == "optimizer") c.optimizer = get_choice(v, key, {"sgd", "adam", "adamw"});
    else if (key == "lr") c.lr = get_number(v, key, 0.0);
    else if (key == "momentum") c.momentum = get_number(v, key, 0.0);
    else if (key == "nesterov") c.nesterov = get_bool(v, key);
    else if (key == "weight_decay") c.weight_decay = get_number(v, key, 0.0);
    else if (key == "label_smoothing") c.label_smoothing = get_fraction(v, key);
    else if (key == "schedule") c.schedule = get_choice(v, key, {"constant", "step", "cosine"});
    else if (key == "warmup_epochs") c.warmup_epochs = get_int(v, key, 0);
    else if (key == "step_size") c.step_size = get_int(v, key, 1);
    else if (key == "gamma") {
      if (!v.is_number() || v.get<double>() <= 0.0) bad(key, "a number > 0", v);
      c.gamma = v.get<double>();
    }
    else if (key == "snapshot_cycles") c.snapshot_cycles = get_int(v, key, 1);
    else if (key == "checkpoint_every") c.checkpoint_every = get_int(v, key, 0);
    else if (key == "device") c.device = get_choice(v, key, {"auto", "cpu", "cuda"});
    else if (key == "precision") c.precision = get_choice(v, key, {"fp32", "bf16"});
    else if (key == "channels_last") c.channels_last = get_bool(v, key);
    else if (key == "tf32") c.tf32 = get_choice(v, key, {"default", "off", "on"});
    else if (key == "cudnn_benchmark") c.cudnn_benchmark = get_bool(v, key);
    else if (key == "mode")
      c.mode = *mode_named(get_choice(v, key, {mode_name(Mode::kNd), mode_name(Mode::kD)}));
    else if (key == "seed") c.seed = get_int(v, key, 0);
    else if (key == "replica") c.replica = get_int(v, key, 0);
    else if (key == "environment" && !v.is_string()) bad(key, "an environment's name", v);
  }
  check_combinations(c);
  parse_ranks_config(params);  // world_size and nodes are checked here, and read there
  static const json kNoSeeds = json::object();
  const json& seeds = params.contains("seeds") ? params["seeds"] : kNoSeeds;
  if (!seeds.is_object()) bad("seeds", "a map of source -> seed", seeds);
  std::vector<std::string> sources;
  for (NoiseSource source : kNoiseSources) sources.push_back(noise_source_name(source));
  check_known(seeds, "seeds.", sources);
  for (NoiseSource source : kNoiseSources) {
    const std::string name = noise_source_name(source);
    if (seeds.contains(name)) c.seeds[source] = get_int(seeds[name], "seeds." + name, -1);
    else c.seeds[source] = source == NoiseSource::kBitflip ? -1 : c.seed;
  }
  check_fits_samples(c);
  return c;
}

}  // namespace rs::contract
