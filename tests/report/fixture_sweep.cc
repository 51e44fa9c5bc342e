#include "fixture_sweep.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

#include "contract/layout.h"
#include "run_record.h"
#include "runfile/run_file.h"
#include "util/files.h"
#include "util/hash.h"

namespace rs::report::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct RunSpec {
  std::string mode;
  int64_t replica = 0;
  int correct = 0;        // test samples predicted right
  uint64_t noise = 0;     // random stream of the logits and weights; equal -> identical runs
  int64_t seed = 0;       // every one of the run's five source seeds
  int tta_correct = -1;   // test samples right with test-time augmentation; -1: no TTA logits
  std::string environment = "";  // the grid's environment (/env environment); "" = none
  std::string torch_version = "";
};

struct GroupSpec {
  json params;  // without mode, replica and seeds
  int64_t n_test = kFixtureTestSamples;
  int64_t n_classes = 3;
  bool subgroups = false;
  bool gpu_measured = false;
  bool energy_measured = true;
  std::vector<RunSpec> runs;
};

json group_params(const std::string& dataset, const std::string& optimizer, int64_t seed,
                  const json& noise) {
  return {{"dataset", {{"name", dataset}}}, {"model", "mlp"}, {"optimizer", optimizer},
          {"lr", 0.05}, {"epochs", 3}, {"noise", noise}, {"seed", seed}};
}

std::vector<RunSpec> runs_of(const std::string& mode, const std::vector<int>& correct,
                             uint64_t first_noise, int64_t seed) {
  std::vector<RunSpec> runs;
  for (size_t r = 0; r < correct.size(); ++r) {
    runs.push_back({mode, static_cast<int64_t>(r), correct[r], first_noise + r, seed});
  }
  return runs;
}

// Gives runs[r] TTA logits with tta_correct[r] samples right.
void add_tta(const std::vector<int>& tta_correct, std::vector<RunSpec>* runs) {
  for (size_t r = 0; r < tta_correct.size(); ++r) (*runs)[r].tta_correct = tta_correct[r];
}

std::vector<GroupSpec> fixture_groups() {
  json fixed = json::array();
  std::vector<GroupSpec> groups(10);
  groups[0].params = group_params("digits", "adam", 0, fixed);
  groups[0].runs = runs_of("nd", {18, 17, 19, 18, 16}, 101, 0);
  add_tta({18, 18, 19, 18, 17}, &groups[0].runs);
  groups[0].runs.push_back({"d", 0, 18, 110, 0});
  groups[0].runs.push_back({"d", 1, 18, 110, 0});

  groups[1].params = group_params("digits", "sgd", 0, fixed);
  groups[1].runs = runs_of("nd", {17, 18, 19}, 201, 0);
  add_tta({18}, &groups[1].runs);
  groups[1].runs.push_back({"d", 0, 18, 210, 0});
  groups[1].runs.push_back({"d", 1, 18, 211, 0});

  groups[2].params = group_params("digits", "sgd", 1, "algo");
  groups[2].runs = runs_of("d", {15, 16, 17, 18}, 301, 0);
  for (auto& run : groups[2].runs) run.seed = 1000 + run.replica;
  groups[2].runs[0].tta_correct = 17;
  groups[2].runs[2].tta_correct = 17;

  groups[3].params = group_params("digits", "adam", 1, fixed);
  groups[3].runs = runs_of("nd", {18, 18, 18}, 401, 1);
  add_tta({18, 17, 18}, &groups[3].runs);
  groups[3].runs.push_back({"d", 0, 18, 410, 1, 5});  // not a stability run: TTA not counted

  groups[4].params = group_params("digits", "adam", 2, fixed);
  groups[4].runs = runs_of("nd", {18, 18, 18}, 501, 2);
  groups[4].runs.push_back({"d", 0, 17, 510, 2});

  groups[5].params = group_params("digits", "adam", 3, fixed);
  groups[5].runs = runs_of("nd", {12}, 601, 3);
  groups[5].energy_measured = false;

  groups[6].params = group_params("digits", "sgd", 2, fixed);
  groups[6].runs = runs_of("nd", {10, 12, 14}, 701, 2);
  groups[6].runs.push_back({"d", 0, 0, 710, 2});

  groups[7].params = group_params("breast_cancer", "adam", 0, fixed);
  groups[7].n_classes = 2;
  groups[7].subgroups = true;
  groups[7].gpu_measured = true;
  groups[7].runs = runs_of("nd", {15, 16, 17, 18}, 801, 0);
  groups[7].runs.push_back({"d", 0, 16, 810, 0});

  // Large enough for the collector's blocks of 256 test samples to matter.
  groups[8].params = group_params("digits", "adam", 4, fixed);
  groups[8].n_test = kLargeTestSamples;
  for (int64_t r = 0; r < 5; ++r) groups[8].runs.push_back({"nd", r, 240, 901, 4});
  for (int64_t r = 0; r < 3; ++r) groups[8].runs.push_back({"d", r, 240, 901, 4});

  groups[9].params = group_params("digits", "sgd", 5, json::array({"shuffle"}));
  groups[9].n_test = kLargeTestSamples;
  groups[9].n_classes = 10;
  groups[9].runs = runs_of("nd", {250, 244, 256, 247, 253}, 1001, 5);
  add_tta({252, 249, 255, 250, 251}, &groups[9].runs);
  for (int64_t r = 0; r < 3; ++r) {
    groups[9].runs.push_back({"d", r, std::vector<int>{240, 249, 245}[r], static_cast<uint64_t>(1010 + r), 2000 + r});
  }
  return groups;
}

json run_params(const GroupSpec& group, const RunSpec& run) {
  json params = group.params;
  params["mode"] = run.mode;
  params["replica"] = run.replica;
  params["seeds"] = {{"init", run.seed},    {"shuffle", run.seed}, {"augment", run.seed},
                     {"dropout", run.seed}, {"bitflip", -1}};
  if (!run.environment.empty()) params["environment"] = run.environment;
  return params;
}

// Logits where exactly the first `correct` samples have their label as the unique argmax and
// every other sample has label + 1 (mod n_classes) as the unique argmax.
std::vector<float> logits_with_accuracy(const std::vector<int64_t>& labels, int64_t n_classes,
                                        int correct, std::mt19937_64& rng) {
  std::uniform_real_distribution<float> noise(-1, 1);
  std::vector<float> logits(labels.size() * n_classes);
  for (size_t i = 0; i < labels.size(); ++i) {
    float* row = &logits[i * n_classes];
    for (int64_t c = 0; c < n_classes; ++c) row[c] = noise(rng);
    int64_t winner = static_cast<int>(i) < correct ? labels[i] : (labels[i] + 1) % n_classes;
    row[winner] = 1.5f + noise(rng) / 4;
  }
  return logits;
}

std::vector<float> random_values(size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<float> value(-1, 1);
  std::vector<float> values(n);
  for (auto& v : values) v = value(rng);
  return values;
}

runfile::RunRecord make_record(const GroupSpec& group, const RunSpec& run) {
  const std::string params_json = run_params(group, run).dump();
  runfile::RunRecord r =
      rs::testing::finished_run_record(short_hash(params_json), "fixture", short_hash(group.params.dump()));
  r.params_json = params_json;
  r.mode = run.mode;
  r.replica = run.replica;
  r.seeds = {run.seed, run.seed, run.seed, run.seed, -1};
  r.metrics.epoch = {1, 2, 3};
  r.metrics.lr = {0.05, 0.05, 0.05};
  r.metrics.train_loss = {1.0, 0.7, 0.5};
  r.metrics.train_acc = {0.6, 0.8, 0.9};
  r.metrics.test_loss = {1.1, 0.8, 0.6};
  r.metrics.test_acc = {0.55, 0.75, 0.85};
  r.metrics.seconds = {3, 3, 3};
  r.metrics.energy_j = {10, 10, 10};

  std::mt19937_64 rng(run.noise);
  r.n_test = group.n_test;
  r.n_classes = group.n_classes;
  for (int64_t i = 0; i < r.n_test; ++i) {
    r.labels.push_back(i % group.n_classes);
    if (group.subgroups) r.groups.push_back((i / 2) % 2);
  }
  r.logits = logits_with_accuracy(r.labels, r.n_classes, run.correct, rng);
  r.weights_flat = random_values(30, rng);
  r.last_layer_rows = 4;  // after init and after each of 3 epochs
  r.last_layer_cols = 6;
  r.last_layer = random_values(4 * 6, rng);
  if (run.tta_correct >= 0) {
    r.logits_tta = logits_with_accuracy(r.labels, r.n_classes, run.tta_correct, rng);
  }

  r.env.cpu_model = "Fixture CPU";
  r.env.torch_version = run.torch_version;
  r.settings = {{"cpu_threads", "1"}};
  if (group.gpu_measured) {  // replicas 0 and 1 on one GPU model, the others on another
    bool first = run.replica < 2;
    r.env.gpu_name = first ? "NVIDIA A100-SXM4-40GB" : "Tesla V100-SXM2-16GB";
    r.env.driver_version = "535.104.05";
    r.env.cuda_version = first ? "12.2" : "11.8";
    r.env.torch_version = "2.1.0";
  }

  double slower = run.mode == "d" ? 1.25 : 1.0;
  r.timing.train_s = slower * (10 + 0.5 * static_cast<double>(run.replica));
  r.timing.wall_s = r.timing.train_s + 2;
  r.timing.eval_s = 1;
  r.timing.gpu_s = group.gpu_measured ? 0.75 * r.timing.train_s : -1;
  if (group.energy_measured) {
    r.energy.gpu_j = 1000.0 * static_cast<double>(run.replica + 1);
    r.energy.cpu_j = 200;
    r.energy.method = "nvml-counter";
  }
  return r;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The runs of one environment of the environment fixture: D runs with seeds 1, 2, 3.
std::vector<RunSpec> environment_runs(const std::string& environment, const std::string& torch,
                                      const std::vector<int>& correct, const std::vector<uint64_t>& noise) {
  std::vector<RunSpec> runs;
  for (size_t r = 0; r < correct.size(); ++r) {
    runs.push_back({"d", static_cast<int64_t>(r), correct[r], noise[r], static_cast<int64_t>(r) + 1, -1,
                    environment, torch});
  }
  return runs;
}

}  // namespace

// Writes the groups' runs and plan.jsonl into `dir`, which is emptied first; returns the group ids.
std::vector<std::string> write_groups(const std::string& dir, const std::vector<GroupSpec>& groups) {
  fs::remove_all(dir);
  const std::string runs_dir = contract::runs_dir(dir);
  make_dirs(runs_dir);
  std::string plan;
  std::vector<std::string> group_ids;
  int64_t index = 0;
  for (const auto& group : groups) {
    group_ids.push_back(short_hash(group.params.dump()));
    for (const auto& run : group.runs) {
      const runfile::RunRecord record = make_record(group, run);
      runfile::write_run_file(runs_dir, record);
      plan += json{{"index", index++}, {"run_id", record.run_id}, {"group_id", record.group_id},
                   {"sweep", "fixture"}, {"params", json::parse(record.params_json)}}.dump() + "\n";
    }
  }
  write_text(contract::plan_path(dir), plan);
  return group_ids;
}

std::vector<std::string> write_environment_fixture(const std::string& dir) {
  std::vector<GroupSpec> groups(2);
  // #1: seed 1 gives the same model in both builds (same noise), seeds 2 and 3 do not.
  groups[0].params = group_params("digits", "sgd", 0, json::array({"init", "shuffle"}));
  groups[0].runs = environment_runs("wheel", "2.11.0", {17, 18, 16}, {1101, 1102, 1103});
  for (auto& run : environment_runs("debian", "1.13.0", {17, 15, 18}, {1101, 1122, 1123})) groups[0].runs.push_back(run);
  // #2: one debian run saw torch 2.11.0, not the 1.13.0 its environment promised.
  groups[1].params = group_params("digits", "adam", 0, json::array({"init", "shuffle"}));
  groups[1].runs = environment_runs("wheel", "2.11.0", {18, 19}, {1201, 1202});
  for (auto& run : environment_runs("debian", "1.13.0", {16, 19}, {1221, 1202})) groups[1].runs.push_back(run);
  groups[1].runs.back().torch_version = "2.11.0";

  const std::vector<std::string> group_ids = write_groups(dir, groups);
  const json environments = json::array(
      {{{"name", "wheel"}, {"threads", 1}, {"expect", {{"torch_version", "2.11.0"}}}},
       {{"name", "debian"}, {"threads", 1}, {"expect", {{"torch_version", "1.13.0"}}}}});
  write_text(contract::summary_path(dir), json{{"name", "fixture"}, {"environments", environments}}.dump(2) + "\n");
  return group_ids;
}

std::vector<std::string> write_world_size_fixture(const std::string& dir) {
  std::vector<GroupSpec> groups(4);
  groups[0].params = group_params("digits", "adam", 0, json::array());  // world size 1: no key
  groups[0].runs = runs_of("nd", {18, 17, 19}, 1300, 0);
  groups[1].params = group_params("digits", "adam", 0, json::array());
  groups[1].params["world_size"] = 2;
  groups[1].runs = runs_of("nd", {16, 18, 17}, 1310, 0);
  groups[2].params = group_params("digits", "adam", 0, json::array());
  groups[2].params["world_size"] = 4;
  groups[2].params["nodes"] = 2;
  groups[2].runs = runs_of("nd", {17}, 1320, 0);
  groups[3].params = group_params("digits", "sgd", 0, json::array());
  groups[3].runs = runs_of("nd", {15, 16}, 1330, 0);
  return write_groups(dir, groups);
}

FixtureSweep write_fixture_sweep(const std::string& dir, bool wide) {
  fs::remove_all(dir);
  std::string runs_dir = contract::runs_dir(dir);
  make_dirs(runs_dir);
  FixtureSweep fixture;
  fixture.dir = dir;

  std::vector<GroupSpec> groups = fixture_groups();
  for (size_t g = 0; wide && g < groups.size(); ++g) {
    groups[g].params["weight_decay"] = 0.0001 * static_cast<double>(g + 1);
    groups[g].params["batch_size"] = 32 * static_cast<int64_t>(1 + g % 3);
    groups[g].params["width"] = 8 * static_cast<int64_t>(g + 1);
    groups[g].params["label_smoothing"] = 0.05 * static_cast<double>(g % 2);
  }
  // Runs that are planned but do not arrive whole, and one that arrives unplanned.
  RunSpec corrupt{"nd", 5, 18, 106, 0}, missing{"nd", 6, 18, 107, 0};
  RunSpec partial{"nd", 3, 18, 204, 0}, diverged{"nd", 3, 11, 704, 2};
  RunSpec nan_timing{"nd", 5, 250, 1006, 5};
  RunSpec unplanned{"nd", 99, 18, 199, 0};

  std::string plan;
  int64_t index = 0;
  auto plan_run = [&](const GroupSpec& group, const RunSpec& run) {
    json params = run_params(group, run);
    json line = {{"index", index++}, {"run_id", short_hash(params.dump())},
                 {"group_id", short_hash(group.params.dump())}, {"sweep", "fixture"},
                 {"params", params}};
    plan += line.dump() + "\n";
    return line["run_id"].get<std::string>();
  };
  for (size_t g = 0; g < groups.size(); ++g) {
    fixture.group_ids.push_back(short_hash(groups[g].params.dump()));
    for (const auto& run : groups[g].runs) {
      std::string path = runfile::write_run_file(runs_dir, make_record(groups[g], run));
      if (g == 0 && run.mode == "d" && run.replica == 0) fixture.identical_d_path = path;
      plan_run(groups[g], run);
    }
    if (g == 0) {
      fixture.corrupt_run_id = plan_run(groups[g], corrupt);
      fixture.missing_run_id = plan_run(groups[g], missing);
    }
    if (g == 1) fixture.partial_run_id = plan_run(groups[g], partial);
    if (g == 6) fixture.diverged_run_id = plan_run(groups[g], diverged);
    if (g == 9) fixture.nan_timing_run_id = plan_run(groups[g], nan_timing);
  }
  write_text(contract::plan_path(dir), plan);

  write_text(contract::run_file_path(runs_dir, fixture.corrupt_run_id), "not an HDF5 file\n");
  write_text(contract::partial_path(contract::run_file_path(runs_dir, fixture.partial_run_id), "node7.cluster 4242"),
             "half a file");
  runfile::RunRecord nan_record = make_record(groups[6], diverged);
  nan_record.logits[0] = std::numeric_limits<float>::quiet_NaN();
  runfile::write_run_file(runs_dir, nan_record);
  runfile::RunRecord nan_timing_record = make_record(groups[9], nan_timing);
  nan_timing_record.timing.train_s = std::numeric_limits<double>::quiet_NaN();
  runfile::write_run_file(runs_dir, nan_timing_record);
  runfile::RunRecord extra = make_record(groups[0], unplanned);
  fixture.unplanned_run_id = extra.run_id;
  runfile::write_run_file(runs_dir, extra);
  return fixture;
}

}  // namespace rs::report::testing
