// Expansion: points, runs, order, ids, replicas, include/exclude, resources, chunking.
#include <catch2/catch.hpp>

#include <set>

#include "grid/noise.h"
#include "util/hash.h"
#include "grid_test_util.h"

using rs::grid::testing::plan;
using rs::grid::testing::plan_error;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// Seed 000's design: every source fixed, ND replicas against one D run.
const std::string kSeed000 = R"(name: seed000
base: {dataset: digits, epochs: 2}
grid:
  optimizer: [sgd, adam]
  seed: [0, 42]
  mode: [nd, d]
noise: []
repeat: 5
repeat_when:
  - {match: {mode: d}, repeat: 1}
)";

json params_of(const rs::grid::Plan& p, size_t run) { return rs::grid::run_params(p, p.runs[run]); }

}  // namespace

TEST_CASE("cartesian grid with repeat_when: points, runs and their order") {
  auto p = plan(kSeed000);
  REQUIRE(p.points.size() == 8);
  REQUIRE(p.runs.size() == 4 * (5 + 1));
  // First axis slowest, replicas innermost.
  REQUIRE(params_of(p, 0)["optimizer"] == "sgd");
  REQUIRE(params_of(p, 0)["seed"] == 0);
  REQUIRE(params_of(p, 0)["mode"] == "nd");
  REQUIRE(params_of(p, 4)["replica"] == 4);
  REQUIRE(params_of(p, 5)["mode"] == "d");
  REQUIRE(params_of(p, 5)["replica"] == 0);
  REQUIRE(params_of(p, 6)["seed"] == 42);
  REQUIRE(params_of(p, 12)["optimizer"] == "adam");
  for (size_t i = 0; i < p.runs.size(); ++i) REQUIRE(p.runs[i].index == static_cast<int64_t>(i));
}

TEST_CASE("nd and d points of one configuration share a group; others do not") {
  auto p = plan(kSeed000);
  REQUIRE(p.points[0].group_id == p.points[1].group_id);  // sgd seed 0: nd, d
  REQUIRE(p.points[0].group_id != p.points[2].group_id);  // sgd seed 42
  std::set<std::string> groups;
  for (const auto& point : p.points) groups.insert(point.group_id);
  REQUIRE(groups.size() == 4);
}

TEST_CASE("with noise [] every replica has the same seeds; run ids still differ") {
  auto p = plan(kSeed000);
  std::set<std::string> run_ids;
  for (size_t r = 0; r < 5; ++r) {
    json seeds = params_of(p, r)["seeds"];
    REQUIRE(seeds == json{{"init", 0}, {"shuffle", 0}, {"augment", 0}, {"dropout", 0}, {"bitflip", -1}});
    run_ids.insert(p.runs[r].run_id);
  }
  REQUIRE(run_ids.size() == 5);
}

TEST_CASE("varying sources get derived seeds, fixed ones the base seed") {
  auto p = plan("name: t\nbase: {dataset: digits, seed: 7}\nnoise: [shuffle, bitflip]\nrepeat: 3\n");
  std::set<int64_t> shuffles, bitflips;
  for (size_t r = 0; r < 3; ++r) {
    json seeds = params_of(p, r)["seeds"];
    REQUIRE(seeds["init"] == 7);
    REQUIRE(seeds["augment"] == 7);
    REQUIRE(seeds["shuffle"] == rs::grid::derive_seed(7, rs::contract::NoiseSource::kShuffle, static_cast<int64_t>(r)));
    REQUIRE(seeds["bitflip"] == rs::grid::derive_seed(7, rs::contract::NoiseSource::kBitflip, static_cast<int64_t>(r)));
    shuffles.insert(seeds["shuffle"].get<int64_t>());
    bitflips.insert(seeds["bitflip"].get<int64_t>());
  }
  REQUIRE(shuffles.size() == 3);
  REQUIRE(bitflips.size() == 3);
  REQUIRE(params_of(p, 0)["noise"] == json{"shuffle", "bitflip"});
}

TEST_CASE("presets fix the mode and which sources vary") {
  auto p = plan("name: t\nbase: {dataset: digits}\ngrid: {noise: [algo+impl, algo, impl, control]}\n");
  REQUIRE(p.points.size() == 4);
  REQUIRE(p.points[0].params["mode"] == "nd");
  REQUIRE(p.points[1].params["mode"] == "d");
  REQUIRE(p.points[2].params["mode"] == "nd");
  REQUIRE(p.points[3].params["mode"] == "d");
  json algo = params_of(p, 1)["seeds"];
  REQUIRE(algo["init"] != 0);
  REQUIRE(algo["dropout"] != 0);
  REQUIRE(algo["bitflip"] == -1);
  REQUIRE(params_of(p, 3)["seeds"]["init"] == 0);
  // The noise setting is part of the group: four groups.
  std::set<std::string> groups;
  for (const auto& point : p.points) groups.insert(point.group_id);
  REQUIRE(groups.size() == 4);
}

TEST_CASE("mode defaults to nd and seed to 0") {
  auto p = plan("name: t\nbase: {dataset: digits}\n");
  REQUIRE(p.runs.size() == 1);
  REQUIRE(params_of(p, 0)["mode"] == "nd");
  REQUIRE(params_of(p, 0)["seed"] == 0);
  REQUIRE(params_of(p, 0)["noise"] == json::array());
}

TEST_CASE("noise as an axis: one source at a time") {
  auto p = plan("name: t\nbase: {dataset: digits, mode: d}\ngrid: {noise: [[init], [shuffle], [bitflip], []]}\n"
                "repeat: 2\n");
  REQUIRE(p.points.size() == 4);
  REQUIRE(params_of(p, 0)["seeds"]["init"] != params_of(p, 1)["seeds"]["init"]);
  REQUIRE(params_of(p, 0)["seeds"]["shuffle"] == params_of(p, 1)["seeds"]["shuffle"]);
  REQUIRE(params_of(p, 2)["seeds"]["shuffle"] != params_of(p, 3)["seeds"]["shuffle"]);
  REQUIRE(params_of(p, 4)["seeds"]["bitflip"] >= 0);
  REQUIRE(params_of(p, 6)["seeds"]["bitflip"] == -1);
}

TEST_CASE("include adds points, lists expand; exclude drops matching grid points") {
  auto p = plan(R"(name: t
base: {dataset: digits}
grid: {optimizer: [sgd, adam], seed: [0, 1]}
exclude:
  - {optimizer: adam, seed: 0}
include:
  - {optimizer: sgd, seed: [7, 8], mode: d}
)");
  REQUIRE(p.points.size() == 3 + 2);
  REQUIRE(p.points[3].params["seed"] == 7);
  REQUIRE(p.points[3].params["mode"] == "d");
  REQUIRE(p.points[4].params["seed"] == 8);
  for (const auto& point : p.points) REQUIRE_FALSE((point.params["optimizer"] == "adam" && point.params["seed"] == 0));
  REQUIRE(p.warnings.empty());
}

TEST_CASE("an exclude that matches nothing is a warning") {
  auto p = plan("name: t\nbase: {dataset: digits}\ngrid: {seed: [0, 1]}\nexclude:\n  - {seed: 5}\n");
  REQUIRE(p.warnings.size() == 1);
  REQUIRE_THAT(p.warnings[0], Contains("g.yaml:5:5") && Contains("matches no point"));
}

TEST_CASE("a dataset.path that does not exist here is a warning, once per path") {
  auto p = plan("name: t\nbase: {dataset: {name: cifar10, path: /nonexistent/cifar}}\ngrid: {seed: [0, 1]}\n");
  REQUIRE(p.runs.size() == 2);
  REQUIRE(p.warnings.size() == 1);
  REQUIRE_THAT(p.warnings[0], Contains("g.yaml:2:8") && Contains("dataset.path /nonexistent/cifar does not exist here"));
  REQUIRE(plan("name: t\nbase: {dataset: {name: hdf5, path: " RS_SOURCE_DIR "}}\n").warnings.empty());
}

TEST_CASE("duplicate points after include are errors") {
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits}\ngrid: {seed: [0, 1]}\ninclude:\n  - {seed: 1}\n"),
               Contains("g.yaml:5:5") && Contains("duplicate point"));
}

TEST_CASE("run ids depend on parameters, not on position") {
  auto before = plan(kSeed000);
  auto again = plan(kSeed000);
  for (size_t i = 0; i < before.runs.size(); ++i) REQUIRE(before.runs[i].run_id == again.runs[i].run_id);
  // Adding a seed value moves later runs but keeps every old run's id.
  std::string edited = kSeed000;
  edited.replace(edited.find("[0, 42]"), 7, "[0, 1, 42]");
  auto after = plan(edited);
  std::set<std::string> new_ids;
  for (const auto& r : after.runs) new_ids.insert(r.run_id);
  for (const auto& r : before.runs) REQUIRE(new_ids.count(r.run_id) == 1);
  REQUIRE(after.runs.size() == 36);
}

TEST_CASE("plan lines hold index, run_id, group_id, sweep and params") {
  auto p = plan(kSeed000);
  json line = json::parse(rs::grid::plan_line(p, p.runs[7]));
  REQUIRE(line["index"] == 7);
  REQUIRE(line["run_id"] == p.runs[7].run_id);
  REQUIRE(line["group_id"] == p.points[p.runs[7].point].group_id);
  REQUIRE(line["sweep"] == "seed000");
  REQUIRE(line["params"]["dataset"] == "digits");
  REQUIRE(line["params"]["seeds"].size() == 5);
  REQUIRE(line["run_id"].get<std::string>().size() == 16);
}

TEST_CASE("the fast canonical text equals nlohmann's dump, keys between replica and seeds included") {
  // "resources" and "seed" sort between "replica" and "seeds"; "width" after both.
  auto p = plan(R"(name: "t"
base: {dataset: {name: digits, test_fraction: 0.25}, width: 8, lr: 0.5}
grid: {seed: [3, 4]}
noise: [shuffle, bitflip]
resources: {partition: [a, b]}
repeat: 3
)");
  REQUIRE(p.runs.size() == 12);
  for (const auto& run : p.runs) {
    REQUIRE(rs::grid::run_params_text(p, run) == rs::grid::run_params(p, run).dump());
    json line = {{"index", run.index},
                 {"run_id", run.run_id},
                 {"group_id", p.points[run.point].group_id},
                 {"sweep", p.name},
                 {"params", rs::grid::run_params(p, run)}};
    REQUIRE(rs::grid::plan_line(p, run) == line.dump());
    REQUIRE(run.run_id == rs::short_hash(rs::grid::run_params(p, run).dump()));
  }
}

TEST_CASE("arrays are chunked at max_array_size with offsets") {
  auto p = plan("name: t\nbase: {dataset: digits}\nrepeat: 2500\n", 1000);
  REQUIRE(p.arrays.size() == 3);
  REQUIRE(p.arrays[0].offset == 0);
  REQUIRE(p.arrays[0].count == 1000);
  REQUIRE(p.arrays[1].offset == 1000);
  REQUIRE(p.arrays[2].offset == 2000);
  REQUIRE(p.arrays[2].count == 500);
  REQUIRE(p.arrays[2].script == "array-002.sbatch");
}

TEST_CASE("resources split runs into one array per value") {
  auto p = plan(R"(name: t
base: {dataset: digits}
grid: {seed: [0, 1, 2]}
slurm: {time: "00:10:00"}
resources: {partition: [a100, v100]}
include:
  - {seed: 9, partition: v100}
)");
  REQUIRE(p.points.size() == 7);
  REQUIRE(p.arrays.size() == 2);
  REQUIRE(p.arrays[0].slurm.partition == "a100");
  REQUIRE(p.arrays[0].count == 3);
  REQUIRE(p.arrays[1].slurm.partition == "v100");
  REQUIRE(p.arrays[1].offset == 3);
  REQUIRE(p.arrays[1].count == 4);
  REQUIRE(p.arrays[1].slurm.time == "00:10:00");
  REQUIRE(p.points[0].params["resources"] == json{{"partition", "a100"}});
  REQUIRE(p.points[0].group_id != p.points[3].group_id);
}

TEST_CASE("repeat_when: first match wins") {
  auto p = plan(R"(name: t
base: {dataset: digits}
grid: {optimizer: [sgd, adam], mode: [nd, d]}
repeat: 4
repeat_when:
  - {match: {optimizer: adam, mode: d}, repeat: 2}
  - {match: {mode: d}, repeat: 1}
)");
  REQUIRE(p.points[0].replicas == 4);
  REQUIRE(p.points[1].replicas == 1);
  REQUIRE(p.points[2].replicas == 4);
  REQUIRE(p.points[3].replicas == 2);
}

TEST_CASE("tf32 and cudnn_benchmark are factors: an axis of each is a grid axis; absent, they stay out of params") {
  auto p = plan("name: t\nbase: {dataset: digits, tf32: off}\ngrid: {cudnn_benchmark: [false, true], mode: [nd, d]}\n");
  REQUIRE(p.points.size() == 4);
  REQUIRE(params_of(p, 0)["cudnn_benchmark"] == false);
  REQUIRE(params_of(p, 2)["cudnn_benchmark"] == true);
  for (size_t run = 0; run < 4; ++run) REQUIRE(params_of(p, run)["tf32"] == "off");
  // nd and d of one benchmark setting are one group; the two settings are two groups.
  REQUIRE(p.points[0].group_id == p.points[1].group_id);
  REQUIRE(p.points[0].group_id != p.points[2].group_id);
  auto without = plan(kSeed000);
  REQUIRE_FALSE(params_of(without, 0).contains("tf32"));
  REQUIRE_FALSE(params_of(without, 0).contains("cudnn_benchmark"));
}

namespace {
const char* const kTwoEnvironments = R"(name: t
base: {dataset: digits, mode: d}
grid: {optimizer: [sgd, adam]}
noise: [init, shuffle]
repeat: 3
slurm: {time: "00:10:00", partition: main, cpus_per_task: 4}
environments:
  - name: wheel
    threads: 1
  - name: debian
    slurm: {partition: other, gpu_type: a100}
    trainer: /opt/torch-1.13/bin/trainer
    modules: [CUDA/12.1.1]
    container: /images/torch.sif
    expect: {torch_version: 1.13.1}
)";
}  // namespace

TEST_CASE("environments: the name enters run ids, not group ids; each environment gets arrays of its own") {
  auto p = plan(kTwoEnvironments);
  REQUIRE(p.points.size() == 4);
  REQUIRE(p.runs.size() == 12);
  // Environment slowest: wheel's sgd and adam points, then debian's.
  REQUIRE(p.points[0].params["environment"] == "wheel");
  REQUIRE(p.points[2].params["environment"] == "debian");
  REQUIRE(p.points[0].params["optimizer"] == p.points[2].params["optimizer"]);
  // One configuration, one group, in both environments; run ids differ by the name alone.
  REQUIRE(p.points[0].group_id == p.points[2].group_id);
  REQUIRE(p.points[0].group_id != p.points[1].group_id);
  std::set<std::string> ids;
  for (const auto& run : p.runs) ids.insert(run.run_id);
  REQUIRE(ids.size() == 12);
  REQUIRE(p.runs[0].seeds == p.runs[6].seeds);  // the same seeds in both environments
  REQUIRE(rs::grid::run_params(p, p.runs[0])["environment"] == "wheel");
  for (const auto& run : p.runs) REQUIRE(rs::grid::run_params_text(p, run) == rs::grid::run_params(p, run).dump());

  REQUIRE(p.arrays.size() == 2);
  REQUIRE(p.arrays[0].environment == "wheel");
  REQUIRE(p.arrays[0].slurm.partition == "main");
  REQUIRE(p.arrays[0].slurm.cpus_per_task == 1);  // threads
  REQUIRE(p.arrays[0].trainer.empty());
  REQUIRE(p.arrays[1].environment == "debian");
  REQUIRE(p.arrays[1].offset == 6);
  REQUIRE(p.arrays[1].slurm.partition == "other");
  REQUIRE(p.arrays[1].slurm.gpu_type == "a100");
  REQUIRE(p.arrays[1].slurm.cpus_per_task == 4);
  REQUIRE(p.arrays[1].slurm.time == "00:10:00");
  REQUIRE(p.arrays[1].trainer == "/opt/torch-1.13/bin/trainer");
  REQUIRE(p.arrays[1].software.modules == std::vector<std::string>{"CUDA/12.1.1"});
  REQUIRE(p.arrays[1].software.container == "/images/torch.sif");
}

TEST_CASE("a grid without environments keeps its run ids, group ids and params") {
  // Run ids and group ids of this grid as planned before environments existed (main at
  // 9a510fe): an environment-less grid must not change a single id.
  auto p = plan("name: t\nbase: {dataset: digits}\ngrid: {mode: [nd, d]}\nnoise: [shuffle]\n");
  REQUIRE(p.runs.size() == 2);
  REQUIRE_FALSE(p.points[0].params.contains("environment"));
  REQUIRE(p.runs[0].run_id == rs::short_hash(rs::grid::run_params(p, p.runs[0]).dump()));
  json without_mode = p.points[0].params;
  without_mode.erase("mode");
  REQUIRE(p.points[0].group_id == rs::short_hash(without_mode.dump()));
  REQUIRE(p.arrays[0].environment.empty());
}

TEST_CASE("include, exclude and repeat_when may name an environment") {
  auto p = plan(R"(name: t
base: {dataset: digits}
grid: {optimizer: [sgd, adam]}
environments: [{name: a}, {name: b}]
exclude: [{optimizer: adam, environment: a}]
include: [{optimizer: adamw, environment: b}]
repeat_when: [{match: {environment: b}, repeat: 2}]
)");
  REQUIRE(p.points.size() == 4);  // a: sgd; b: sgd, adam, adamw
  REQUIRE(p.points[0].params["environment"] == "a");
  REQUIRE(p.points[3].params["optimizer"] == "adamw");
  REQUIRE(p.points[3].params["environment"] == "b");
  REQUIRE(p.runs.size() == 7);
  REQUIRE_THAT(plan_error(R"(name: t
base: {dataset: digits}
environments: [{name: a}]
include: [{optimizer: adam, environment: c}]
)"),
               Contains("g.yaml:4:11") && Contains("environment=\"c\" is not the name of one of the environments"));
}

TEST_CASE("world_size and nodes: absent, they stay out of params; as an axis, one array per world size") {
  auto without = plan(kSeed000);
  REQUIRE_FALSE(params_of(without, 0).contains("world_size"));
  REQUIRE_FALSE(params_of(without, 0).contains("nodes"));
  REQUIRE(without.arrays.size() == 1);
  REQUIRE(without.arrays[0].world_size == 1);

  // world_size is the fastest axis here, yet the runs of each world size come together, in the
  // points' order, and never share an array.
  auto p = plan("name: t\nbase: {dataset: digits}\ngrid: {seed: [0, 1], world_size: [2, 1, 4]}\n"
                "include:\n  - {seed: 5, world_size: 4, nodes: 2}\n");
  REQUIRE(p.points.size() == 7);
  std::vector<std::pair<int64_t, int64_t>> order;
  for (size_t run = 0; run < p.runs.size(); ++run) {
    json params = params_of(p, run);
    order.emplace_back(params["world_size"].get<int64_t>(), params["seed"].get<int64_t>());
  }
  REQUIRE(order == std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {1, 1}, {2, 0}, {2, 1}, {4, 0}, {4, 1}, {4, 5}});
  REQUIRE(p.arrays.size() == 4);
  REQUIRE(p.arrays[0].world_size == 1);
  REQUIRE(p.arrays[1].world_size == 2);
  REQUIRE(p.arrays[1].offset == 2);
  REQUIRE(p.arrays[2].world_size == 4);
  REQUIRE(p.arrays[2].nodes == 1);
  REQUIRE(p.arrays[2].count == 2);
  REQUIRE(p.arrays[3].nodes == 2);
  // A world size is a factor: world sizes 1 and 2 of one point are two groups.
  REQUIRE(p.points[0].group_id != p.points[2].group_id);
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits, world_size: 2, nodes: 3}\n"),
               Contains("nodes: expected at most world_size (2) nodes, got 3"));
}

TEST_CASE("runs_per_task: max_array_size counts tasks of K runs; run ids stay those of the unpacked plan") {
  const std::string grid = "name: t\nbase: {dataset: digits}\nrepeat: 9\n";
  auto unpacked = plan(grid, 3);
  auto packed = plan(grid + "slurm: {runs_per_task: 2, cpus_per_task: 2}\n", 3);
  REQUIRE(unpacked.arrays.size() == 3);
  REQUIRE(packed.arrays.size() == 2);  // tasks 0-2 (runs 0-5) and 0-1 (runs 6-8)
  REQUIRE(packed.arrays[0].count == 6);
  REQUIRE(packed.arrays[1].offset == 6);
  REQUIRE(packed.arrays[1].count == 3);
  REQUIRE(packed.runs.size() == unpacked.runs.size());
  for (size_t r = 0; r < packed.runs.size(); ++r) {
    REQUIRE(packed.runs[r].run_id == unpacked.runs[r].run_id);
    REQUIRE_FALSE(params_of(packed, r).contains("runs_per_task"));
  }
}

TEST_CASE("runs_per_task: distributed runs are not packed; an environment's threads stay each run's") {
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits}\nslurm: {runs_per_task: 2, cpus_per_task: 2}\n"
                          "grid: {world_size: [1, 2]}\n"),
               Contains("g.yaml:4:8") && Contains("world_size 2 with slurm.runs_per_task 2"));
  auto p = plan(std::string(kTwoEnvironments).replace(std::string(kTwoEnvironments).find("cpus_per_task: 4"), 16,
                                                      "cpus_per_task: 4, runs_per_task: 2"));
  REQUIRE(p.arrays[0].environment == "wheel");
  REQUIRE(p.arrays[0].slurm.cpus_per_task == 2);  // threads: 1 for each of the task's two runs
  REQUIRE(p.arrays[1].slurm.cpus_per_task == 4);
}
