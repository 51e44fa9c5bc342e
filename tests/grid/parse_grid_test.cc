// Grid file errors: each names file:line:col, the key and what was expected.
#include <catch2/catch.hpp>

#include "grid_test_util.h"

using rs::grid::testing::plan_error;
using Catch::Matchers::Contains;

namespace {
const std::string kBase = "name: t\nbase: {dataset: digits}\n";
}

TEST_CASE("unknown keys are errors with location and nearest valid key") {
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits}\nrepet: 3\n"),
               Contains("g.yaml:3:1") && Contains("unknown top-level key 'repet'") &&
                   Contains("did you mean 'repeat'"));
  REQUIRE_THAT(plan_error("name: t\nbase:\n  dataset: digits\n  optimiser: sgd\n"),
               Contains("g.yaml:4:3") && Contains("'optimiser'") && Contains("'optimizer'"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {partiton: gpu}\n"), Contains("did you mean 'partition'"));
}

TEST_CASE("YAML syntax errors carry the parser's location") {
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits\n"), Contains("g.yaml:"));
}

TEST_CASE("bytes that are not UTF-8 are an error at their place, in a value or a comment") {
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits, model: \"cn\xff\"}\n"),
               Contains("g.yaml:2:35") && Contains("byte 0xff is not UTF-8"));
  REQUIRE_THAT(plan_error("# caf\xc3\n" + kBase), Contains("g.yaml:1:6") && Contains("byte 0xc3 is not UTF-8"));
}

TEST_CASE("name must be a safe identifier") {
  REQUIRE_THAT(plan_error("name: \"x$(touch /tmp/owned)\"\nbase: {dataset: digits}\n"),
               Contains("g.yaml:1:7") && Contains("name: expected"));
  REQUIRE_THAT(plan_error("base: {dataset: digits}\n"), Contains("missing required key 'name'"));
  REQUIRE(plan_error("name: ok_name-1.2\nbase: {dataset: digits}\n").empty());
}

TEST_CASE("a key may be defined in one place only") {
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits, lr: 0.1}\ngrid: {lr: [0.1, 0.2]}\n"),
               Contains("g.yaml:3:8") && Contains("'lr'") && Contains("already defined at g.yaml:2:25"));
  REQUIRE_THAT(plan_error(kBase + "noise: []\ngrid: {noise: [[init]]}\n"), Contains("'noise'"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {partition: a}\nresources: {partition: [b, c]}\n"),
               Contains("both slurm and resources"));
}

TEST_CASE("duplicate keys inside one map are errors") {
  REQUIRE_THAT(plan_error("name: t\nbase:\n  dataset: digits\n  lr: 0.1\n  lr: 0.2\n"),
               Contains("g.yaml:5:3") && Contains("duplicate key 'lr'"));
}

TEST_CASE("axis values must be non-empty lists") {
  REQUIRE_THAT(plan_error(kBase + "grid: {optimizer: sgd}\n"), Contains("expected a list of values"));
  REQUIRE_THAT(plan_error(kBase + "grid: {optimizer: []}\n"), Contains("empty axis"));
}

TEST_CASE("zip lists must be equally long") {
  REQUIRE_THAT(plan_error(kBase + "zip:\n  - {lr: [0.1, 0.01], weight_decay: [0.0005]}\n"),
               Contains("g.yaml:4") && Contains("'weight_decay' has 1 values but 'lr' has 2"));
}

TEST_CASE("trainer values are checked at plan time, at the key's location") {
  REQUIRE_THAT(plan_error(kBase + "grid: {optimizer: [sgd, rmsprop]}\n"),
               Contains("g.yaml:3:8") && Contains("optimizer: expected one of sgd | adam | adamw") &&
                   Contains("\"rmsprop\""));
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: digits, epochs: two}\n"),
               Contains("epochs: expected an integer"));
}

TEST_CASE("what every run would refuse is refused at plan time, at the key's location or on the command line") {
  REQUIRE_THAT(plan_error("name: t\nbase: {dataset: breast_cancer}\ngrid: {model: [mlp, small_cnn]}\n"),
               Contains("g.yaml:3:8") && Contains("model: small_cnn needs image data; breast_cancer is tabular"));
  REQUIRE_THAT(plan_error("name: t\nbase:\n  dataset: {name: digits, test_fraction: 0.7}\n"),
               Contains("g.yaml:3:3") && Contains("dataset.test_fraction: 0.7 makes every sample test data"));
  auto spec = rs::grid::testing::parse("name: t\nbase: {dataset: digits}\ngrid: {seed: [0, 1]}\n");
  rs::grid::apply_override(spec, "dataset.test_fraction=0.9");
  REQUIRE_THROWS_WITH(rs::grid::expand_grid(spec, 1001),
                      Catch::StartsWith("--set dataset.test_fraction=0.9: dataset.test_fraction: 0.9 makes"));
}

TEST_CASE("slurm values are validated and injection attempts rejected") {
  for (const std::string bad : {"\"gpu\\\"x\"", "\"gpu\\nx\"", "\"gpu;rm\"", "\"$(id)\"", "\"`id`\"",
                                "\"a b\""}) {
    INFO(bad);
    REQUIRE_THAT(plan_error(kBase + "slurm: {partition: " + bad + "}\n"),
                 Contains("g.yaml:3:20") && Contains("slurm.partition: expected"));
  }
  REQUIRE_THAT(plan_error(kBase + "slurm: {extra: [\"--wrap=id\"]}\n"), Contains("--wrap"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {extra: [\"--mail-type=FAIL; id\"]}\n"), Contains("slurm.extra"));
  // The review's abbreviations, each at its place in the file (sbatch takes them as --signal,
  // --requeue's opposite and --output).
  REQUIRE_THAT(plan_error(kBase + "slurm:\n  extra: [\"--mail-type=FAIL\", \"--sig=B:USR1@5\"]\n"),
               Contains("g.yaml:4:31") && Contains("--sig (sbatch reads it as --signal)"));
  REQUIRE_THAT(plan_error(kBase + "slurm:\n  extra:\n    - --no-requeue\n"),
               Contains("g.yaml:5:7") && Contains("--no-requeue is set by"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {extra: [\"--outp=/tmp/x\"]}\n"),
               Contains("g.yaml:3:17") && Contains("--outp (sbatch reads it as --output)"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {time: \"4h\"}\n"), Contains("slurm.time: expected a SLURM time"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {mem: \"32GB\"}\n"), Contains("slurm.mem"));
  REQUIRE(plan_error(kBase + "slurm: {partition: gpu, time: \"1-12:00:00\", mem: 32G, cpus_per_task: 8,"
                             " gpus_per_task: 1, max_parallel: 50, constraint: \"a100|h100\","
                             " extra: [\"--mail-type=FAIL\"]}\n")
              .empty());
}

TEST_CASE("time limits are checked against the signal lead, in slurm and in resources") {
  REQUIRE_THAT(plan_error(kBase + "slurm: {time: \"2\"}\n"),
               Contains("g.yaml:3:15") && Contains("shorter than three signal leads"));
  REQUIRE_THAT(plan_error(kBase + "slurm:\n  time: \"00:10:00\"\n  signal_lead: 300\n"),
               Contains("g.yaml:4:9") && Contains("(600 s) is shorter than three signal leads (3 x slurm.signal_lead = 900 s)"));
  REQUIRE(plan_error(kBase + "slurm: {time: \"2\", signal_lead: 30, max_requeues: 5}\n").empty());
  REQUIRE_THAT(plan_error(kBase + "resources: {time: [\"04:00:00\", \"5\"]}\n"),
               Contains("g.yaml:3:19") && Contains("slurm.time: \"5\" (300 s)"));
  REQUIRE_THAT(plan_error(kBase + "resources: {signal_lead: [60, 120]}\n"),
               Contains("resources.signal_lead: not allowed here; set it under slurm"));
}

TEST_CASE("retries and the queue window are checked, under slurm only") {
  REQUIRE(plan_error(kBase + "slurm: {max_retries: 2, max_queued_tasks: 5000}\n").empty());
  REQUIRE_THAT(plan_error(kBase + "slurm:\n  max_retries: -1\n"),
               Contains("g.yaml:4:16") && Contains("slurm.max_retries: expected an integer in [0, 100], got \"-1\""));
  REQUIRE_THAT(plan_error(kBase + "slurm: {max_queued_tasks: 0}\n"),
               Contains("g.yaml:3:27") && Contains("slurm.max_queued_tasks: expected an integer in [1, 4000000]"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {max_queued_tasks: \"3; rm -rf /\"}\n"),
               Contains("g.yaml:3:27") && Contains("slurm.max_queued_tasks: expected an integer"));
  REQUIRE_THAT(plan_error(kBase + "resources: {max_retries: [1, 2]}\n"),
               Contains("g.yaml:3:13") && Contains("resources.max_retries: not allowed here; set it under slurm"));
}

TEST_CASE("noise settings are checked, with a hint for axes") {
  REQUIRE_THAT(plan_error(kBase + "noise: algo+imp\n"), Contains("noise: expected a preset"));
  REQUIRE_THAT(plan_error(kBase + "noise: [init, init]\n"), Contains("listed twice"));
  REQUIRE_THAT(plan_error(kBase + "grid: {noise: [init, shuffle]}\n"), Contains("write [[init]]"));
}

TEST_CASE("a preset fixes the mode; giving mode as well is an error") {
  REQUIRE_THAT(plan_error(kBase + "noise: algo\ngrid: {mode: [nd, d]}\n"),
               Contains("g.yaml:4:8") && Contains("noise preset 'algo' fixes the mode"));
}

TEST_CASE("overrides (--set) change base values, not axes") {
  auto spec = rs::grid::testing::parse("name: t\nbase: {dataset: digits, lr: 0.1}\ngrid: {seed: [0, 1]}\n");
  rs::grid::apply_override(spec, "lr=0.5");
  rs::grid::apply_override(spec, "dataset.path=/scratch/digits.csv.gz");
  rs::grid::apply_override(spec, "noise=[shuffle]");
  REQUIRE(spec.base["lr"] == 0.5);
  REQUIRE(spec.base["dataset"] == nlohmann::json{{"name", "digits"}, {"path", "/scratch/digits.csv.gz"}});
  REQUIRE(*spec.noise == nlohmann::json{"shuffle"});
  REQUIRE(spec.overrides.size() == 3);
  REQUIRE_THROWS_WITH(rs::grid::apply_override(spec, "seed=3"), Contains("an axis (defined at g.yaml:3:8)"));
  REQUIRE_THROWS_WITH(rs::grid::apply_override(spec, "lrate=3"), Contains("unknown key 'lrate'"));
  REQUIRE_THROWS_WITH(rs::grid::apply_override(spec, "lr"), Contains("expected KEY=VALUE"));
  REQUIRE_THROWS_WITH(rs::grid::apply_override(spec, "optimizer=sg\xe9"), Contains("not UTF-8 text"));
  REQUIRE_THROWS_WITH(rs::grid::apply_override(spec, "noise=algo+imp"), Contains("noise"));
}

TEST_CASE("tf32 and cudnn_benchmark are checked at plan time, in base and as axes") {
  REQUIRE_THAT(plan_error("name: t\nbase:\n  dataset: digits\n  tf32: sometimes\n"),
               Contains("g.yaml:4:3") && Contains("tf32: expected one of default | off | on, got \"sometimes\""));
  REQUIRE_THAT(plan_error(kBase + "grid: {tf32: [off, sometimes]}\n"),
               Contains("g.yaml:3:8") && Contains("tf32: expected one of default | off | on"));
  REQUIRE_THAT(plan_error(kBase + "grid: {cudnn_benchmark: [false, maybe]}\n"),
               Contains("g.yaml:3:8") && Contains("cudnn_benchmark: expected true or false"));
  REQUIRE(plan_error(kBase + "grid: {tf32: [default, off, on], cudnn_benchmark: [false, true]}\n").empty());
}

TEST_CASE("environments: every value is checked, with its place in the file") {
  auto env = [](const std::string& entry) { return plan_error(kBase + "environments:\n  - " + entry + "\n"); };
  REQUIRE(env("{name: ok, modules: [CUDA/12.1.1], threads: 2, expect: {torch_version: 2.1.0}}").empty());
  REQUIRE_THAT(env("{modules: [gcc]}"), Contains("g.yaml:4:5") && Contains("missing required key 'name'"));
  REQUIRE_THAT(env("{name: \"a b\"}"), Contains("g.yaml:4:12") && Contains("environments.name: expected"));
  REQUIRE_THAT(env("{name: a, modul: [gcc]}"), Contains("g.yaml:4:15") && Contains("did you mean 'modules'"));
  REQUIRE_THAT(env("{name: a, modules: [\"gcc; rm -rf /\"]}"),
               Contains("g.yaml:4:25") && Contains("environments.a.modules: expected a module name"));
  REQUIRE_THAT(env("{name: a, modules: [\"-f\"]}"), Contains("expected a module name"));
  REQUIRE_THAT(env("{name: a, container: \"/img/x.sif'$(id)\"}"),
               Contains("g.yaml:4:26") && Contains("environments.a.container: expected an Apptainer image"));
  REQUIRE(env("{name: a, container: \"docker://pytorch/pytorch:2.1.0\"}").empty());
  REQUIRE_THAT(env("{name: a, trainer: \"bin/trainer x\"}"), Contains("environments.a.trainer: expected a path"));
  REQUIRE_THAT(env("{name: a, container: /x.sif, trainer: bin/trainer}"), Contains("absolute path inside the image"));
  REQUIRE_THAT(env("{name: a, slurm: {partition: \"gpu\\\"; x\"}}"), Contains("g.yaml:4:34") && Contains("slurm.partition"));
  REQUIRE_THAT(env("{name: a, slurm: {max_parallel: 2}}"), Contains("not allowed here"));
  REQUIRE_THAT(env("{name: a, slurm: {gpu_type: \"a100:2\"}}"), Contains("slurm.gpu_type: expected"));
  REQUIRE_THAT(env("{name: a, threads: 0}"), Contains("threads: expected an integer >= 1"));
  REQUIRE_THAT(env("{name: a, threads: 2, slurm: {cpus_per_task: 2}}"), Contains("threads or slurm.cpus_per_task"));
  REQUIRE_THAT(env("{name: a, expect: {torch: 2.1}}"), Contains("unknown /env field 'torch'"));
  REQUIRE_THAT(plan_error(kBase + "environments:\n  - {name: a}\n  - {name: a}\n"),
               Contains("g.yaml:5:12") && Contains("'a' is already the name of the environment at g.yaml:4:5"));
  REQUIRE_THAT(plan_error(kBase + "environments: []\n"), Contains("environments: empty list"));
  REQUIRE_THAT(plan_error(kBase + "resources: {partition: [a, b]}\nenvironments:\n  - {name: e, slurm: {partition: c}}\n"),
               Contains("g.yaml:5:23") && Contains("is a resources axis"));
  REQUIRE_THAT(plan_error(kBase + "grid: {environment: [a]}\n"), Contains("unknown trainer parameter 'environment'"));
}

TEST_CASE("runs_per_task: at least one CPU thread per packed run, under slurm only") {
  REQUIRE(plan_error(kBase + "slurm: {runs_per_task: 4, cpus_per_task: 8}\n").empty());
  REQUIRE_THAT(plan_error(kBase + "slurm:\n  runs_per_task: 0\n"),
               Contains("g.yaml:4:18") && Contains("slurm.runs_per_task: expected an integer in [1, 256], got \"0\""));
  REQUIRE_THAT(plan_error(kBase + "slurm:\n  cpus_per_task: 2\n  runs_per_task: 4\n"),
               Contains("g.yaml:4:18") && Contains("slurm.cpus_per_task: 2 CPUs cannot give each of slurm.runs_per_task: 4 "
                                                   "runs a thread of its own"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {runs_per_task: 2}\n"), Contains("g.yaml:3:24") && Contains("1 CPUs"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {runs_per_task: 2}\nresources: {cpus_per_task: [4, 1]}\n"),
               Contains("g.yaml:4:28") && Contains("slurm.cpus_per_task: 1 CPUs"));
  REQUIRE(plan_error(kBase + "slurm: {runs_per_task: 2}\nresources: {cpus_per_task: [4, 2]}\n").empty());
  REQUIRE_THAT(plan_error(kBase + "resources: {runs_per_task: [1, 2]}\n"),
               Contains("g.yaml:3:13") && Contains("resources.runs_per_task: not allowed here; set it under slurm"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {runs_per_task: 2, cpus_per_task: 2}\nenvironments:\n  - name: e\n"
                                  "    slurm: {cpus_per_task: 1}\n"),
               Contains("g.yaml:6:28") && Contains("slurm.cpus_per_task: 1 CPUs"));
  REQUIRE_THAT(plan_error(kBase + "slurm: {runs_per_task: 2, cpus_per_task: 2}\n"
                                  "repeat: {min: 2, max: 6, until: {acc_sd_ci_halfwidth: 0.5}}\n"),
               Contains("g.yaml:4:9") && Contains("repeat: adaptive replicas with slurm.runs_per_task 2"));
  REQUIRE_THAT(plan_error(kBase + "environments:\n  - name: e\n    slurm: {runs_per_task: 2}\n"),
               Contains("g.yaml:5:13") && Contains("environments.e.slurm.runs_per_task: not allowed here"));
}
