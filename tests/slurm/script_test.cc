// The generated scripts: #SBATCH lines, offsets, quoting.
#include <regex>

#include <catch2/catch.hpp>

#include "slurm/script.h"
#include "util/error.h"

using Catch::Matchers::Contains;

namespace {

rs::slurm::ArrayScript example_array() {
  rs::slurm::ArrayScript a;
  a.sweep_name = "demo";
  a.number = 2;
  a.offset = 2000;
  a.count = 500;
  a.options.partition = "gpu";
  a.options.time = "04:00:00";
  a.options.mem = "32G";
  a.options.cpus_per_task = 8;
  a.options.max_parallel = 50;
  a.options.gpus_per_task = 1;
  a.options.extra = {"--mail-type=FAIL"};
  return a;
}

const rs::slurm::ScriptPaths kPaths{"/scratch/sweeps/demo", "/opt/rs/bin/trainer", "/opt/rs/bin/sweep"};

}  // namespace

TEST_CASE("array script: indices from 0, offset inside, throttle, logs, signal, requeue") {
  std::string s = rs::slurm::render_array_script(example_array(), kPaths);
  REQUIRE_THAT(s, Contains("#SBATCH --array=0-499%50\n"));
  REQUIRE_THAT(s, Contains("runs_per_task=1\nfirst=$((2000 + runs_per_task * SLURM_ARRAY_TASK_ID))"));
  REQUIRE_THAT(s, Contains("[ \"$last\" -le 2499 ] || last=2499"));
  REQUIRE_THAT(s, Contains("#SBATCH --job-name=demo-002\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --output=/scratch/sweeps/demo/logs/%A_%a.out\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --partition=gpu\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --time=04:00:00\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --mem=32G\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --cpus-per-task=8\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --gres=gpu:1\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --signal=B:USR2@120\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --requeue\n"));
  // Status 3 after USR2: the trainer checkpointed; the task requeues itself, by SLURM's ids only.
  REQUIRE_THAT(s, Contains("scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\""));
  REQUIRE_THAT(s, Contains("#SBATCH --mail-type=FAIL\n"));
  REQUIRE_THAT(s, Contains("export CUDA_DEVICE_ORDER=PCI_BUS_ID"));
  REQUIRE_THAT(s, Contains("trainer='/opt/rs/bin/trainer'"));
  REQUIRE_THAT(s, Contains("sweep_dir='/scratch/sweeps/demo'"));
  REQUIRE_FALSE(std::regex_search(s, std::regex("@[A-Z_]+@")));  // every placeholder replaced
  // One rank: the trainer runs on its own, without srun.
  REQUIRE_THAT(s, Contains("#SBATCH --ntasks=1\n"));
  REQUIRE_THAT(s, Contains("ranks=1\n"));
  REQUIRE(s.find("--nodes") == std::string::npos);
}

TEST_CASE("distributed runs: world_size ranks on nodes, a GPU per rank, started by srun or by the script") {
  auto a = example_array();
  a.world_size = 4;
  a.nodes = 2;
  std::string s = rs::slurm::render_array_script(a, kPaths);
  REQUIRE_THAT(s, Contains("#SBATCH --ntasks=4\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --nodes=2\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --cpus-per-task=8\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --gpus-per-task=1\n"));
  REQUIRE(s.find("--gres") == std::string::npos);
  REQUIRE_THAT(s, Contains("ranks=4\n"));
  REQUIRE_THAT(s, Contains("launch=(srun --ntasks=\"$ranks\""));
  REQUIRE_THAT(s, Contains("SLURM_PROCID=$r SLURM_LOCALID=$r"));
  a.options.gpus_per_task = 0;
  REQUIRE(rs::slurm::render_array_script(a, kPaths).find("--gpus-per-task") == std::string::npos);
}

TEST_CASE("CPU-only runs ask for no GPU; no throttle without max_parallel") {
  auto a = example_array();
  a.options.gpus_per_task = 0;
  a.options.max_parallel = 0;
  std::string s = rs::slurm::render_array_script(a, kPaths);
  REQUIRE(s.find("--gres") == std::string::npos);
  REQUIRE_THAT(s, Contains("#SBATCH --array=0-499\n"));
  // Whatever CUDA_VISIBLE_DEVICES the submitting shell passed on, the task sees no GPU.
  REQUIRE_THAT(s, Contains("\nexport CUDA_VISIBLE_DEVICES=  #"));
  REQUIRE(rs::slurm::render_array_script(example_array(), kPaths).find("export CUDA_VISIBLE_DEVICES") ==
          std::string::npos);
}

TEST_CASE("preflight script: one task on the array's resources, trains its lines, then checks them") {
  auto a = example_array();
  const std::string array = rs::slurm::render_array_script(a, kPaths);
  const std::vector<std::string> options = rs::slurm::resource_options(array);
  REQUIRE(options == std::vector<std::string>{"--ntasks=1", "--cpus-per-task=8", "--gres=gpu:1", "--partition=gpu",
                                              "--time=04:00:00", "--mem=32G", "--mail-type=FAIL"});
  rs::slurm::PreflightScript p{"demo", 3, {9, 10, 11}, options, 1, {}};
  std::string s = rs::slurm::render_preflight_script(p, kPaths);
  REQUIRE_THAT(s, Contains("#SBATCH --job-name=demo-preflight-003\n#SBATCH --array=0\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --output=/scratch/sweeps/demo/preflight/logs/%A_%a.out\n"));
  for (const auto& option : options) REQUIRE_THAT(s, Contains("#SBATCH " + option + "\n"));
  REQUIRE_THAT(s, Contains("for index in 9 10 11; do"));
  REQUIRE_THAT(s, Contains("exec \"$sweep\" preflight \"$sweep_dir\" --check 3"));
  REQUIRE_THAT(s, Contains("sweep='/opt/rs/bin/sweep'"));
  REQUIRE(s.find("export CUDA_VISIBLE_DEVICES") == std::string::npos);
  REQUIRE(s.find("@") == std::string::npos);  // every placeholder replaced
  p.gpus_per_task = 0;
  REQUIRE_THAT(rs::slurm::render_preflight_script(p, kPaths), Contains("\nexport CUDA_VISIBLE_DEVICES=  #"));
}

TEST_CASE("collector script asks for no GPU and runs sweep collect") {
  std::string s = rs::slurm::render_collect_script("demo", example_array().options, kPaths);
  REQUIRE(s.find("--gres") == std::string::npos);
  REQUIRE_THAT(s, Contains("#SBATCH --job-name=demo-collect\n"));
  REQUIRE_THAT(s, Contains("exec '/opt/rs/bin/sweep' collect '/scratch/sweeps/demo'"));
}

TEST_CASE("paths that cannot go into #SBATCH lines are rejected") {
  auto paths = kPaths;
  paths.sweep_dir = "/scratch/my sweeps/demo";
  REQUIRE_THROWS_AS(rs::slurm::render_array_script(example_array(), paths), rs::InputError);
  paths.sweep_dir = "/scratch/$(id)";
  REQUIRE_THROWS_AS(rs::slurm::render_collect_script("demo", {}, paths), rs::InputError);
}

TEST_CASE("an environment's modules are loaded and its container runs the trainer, single-quoted") {
  rs::slurm::ArrayScript a = example_array();
  a.options.gpu_type = "a100";
  a.software.modules = {"CUDA/12.1.1", "PyTorch/2.1.2-foss-2023a"};
  a.software.container = "/images/torch+cu121.sif";
  std::string s = rs::slurm::render_array_script(a, kPaths);
  REQUIRE_THAT(s, Contains("#SBATCH --gres=gpu:a100:1\n"));
  REQUIRE_THAT(s, Contains("module load 'CUDA/12.1.1' 'PyTorch/2.1.2-foss-2023a' ||"));
  REQUIRE_THAT(s, Contains("\"${launch[@]}\" apptainer exec --nv --bind \"$sweep_dir\" '/images/torch+cu121.sif' \"$trainer\" --plan"));
  // The modules are loaded before the trainer starts.
  REQUIRE(s.find("module load") < s.find("apptainer exec"));

  std::string plain = rs::slurm::render_array_script(example_array(), kPaths);
  REQUIRE_THAT(plain, !Contains("module load") && !Contains("apptainer"));
  REQUIRE_THAT(plain, Contains("\n  \"${launch[@]}\" \"$trainer\" --plan"));

  rs::slurm::PreflightScript p{"demo", 1, {3, 4, 5}, {"--partition=gpu"}, 1, a.software};
  std::string preflight = rs::slurm::render_preflight_script(p, kPaths);
  REQUIRE_THAT(preflight, Contains("module load 'CUDA/12.1.1' 'PyTorch/2.1.2-foss-2023a' ||"));
  REQUIRE_THAT(preflight, Contains("  apptainer exec --nv --bind \"$sweep_dir\" '/images/torch+cu121.sif' \"$trainer\" --plan"));
}

TEST_CASE("module names and images are checked against strict patterns") {
  for (const char* ok : {"gcc", "CUDA/12.1.1", "PyTorch/2.1.2-foss-2023a-CUDA-12.1.1", "a+b/1_2"})
    REQUIRE_NOTHROW(rs::slurm::check_module_name(ok));
  for (const char* bad : {"", "-f", "gcc;id", "gcc 12", "a/", "/a", "gcc'", "$(id)", "gcc\n"})
    REQUIRE_THROWS_AS(rs::slurm::check_module_name(bad), rs::InputError);
  for (const char* ok : {"/images/x.sif", "x.sif", "docker://pytorch/pytorch:2.1.0-cuda12.1", "oras://r.io/a/b@sha256:12"})
    REQUIRE_NOTHROW(rs::slurm::check_container_image(ok));
  for (const char* bad : {"", "-x.sif", "/a b.sif", "/a'.sif", "/a;id", "$HOME/x.sif"})
    REQUIRE_THROWS_AS(rs::slurm::check_container_image(bad), rs::InputError);
}

TEST_CASE("folder paths with SLURM's file name patterns or the templates' @ are rejected") {
  auto paths = kPaths;
  for (const char* dir : {"/scratch/run%j", "/scratch/100%", "/x/d@TRAINER@x", "/scratch/a\\b"}) {
    INFO(dir);
    paths.sweep_dir = dir;
    REQUIRE_THROWS_AS(rs::slurm::render_array_script(example_array(), paths), rs::InputError);
    REQUIRE_THROWS_AS(rs::slurm::render_collect_script("demo", {}, paths), rs::InputError);
    REQUIRE_THROWS_AS(rs::slurm::render_preflight_script({"demo", 0, {0}, {}, 0, {}}, paths), rs::InputError);
  }
}

TEST_CASE("templates are filled in one pass: a value that holds a placeholder stays text") {
  // Filled one placeholder after another, a trainer path holding @OFFSET@ or @SWEEP_DIR@ had
  // those filled in too, inside its quotes, which a value could then close.
  auto paths = kPaths;
  paths.trainer = "/t/@SWEEP_DIR@@OFFSET@@PLAN_FILE@';touch PWNED;#";
  paths.sweep = "/s/@SWEEP_DIR@@TRAINER@";
  const std::string quoted_trainer = "'/t/@SWEEP_DIR@@OFFSET@@PLAN_FILE@'\\'';touch PWNED;#'";
  const std::string array = rs::slurm::render_array_script(example_array(), paths);
  REQUIRE_THAT(array, Contains("\ntrainer=" + quoted_trainer + "\n"));
  REQUIRE_THAT(array, Contains("\nsweep_dir='/scratch/sweeps/demo'\n"));
  const std::string preflight = rs::slurm::render_preflight_script({"demo", 0, {0}, {}, 0, {}}, paths);
  REQUIRE_THAT(preflight, Contains("\ntrainer=" + quoted_trainer + "\n"));
  REQUIRE_THAT(preflight, Contains("\nsweep='/s/@SWEEP_DIR@@TRAINER@'\n"));
  REQUIRE_THAT(rs::slurm::render_collect_script("demo", {}, paths),
               Contains("exec '/s/@SWEEP_DIR@@TRAINER@' collect '/scratch/sweeps/demo'"));
}

TEST_CASE("with max_retries the array script ends each run's log with its status; without, it does not") {
  auto a = example_array();
  REQUIRE(rs::slurm::render_array_script(a, kPaths).find("ended with status") == std::string::npos);
  a.options.max_retries = 1;
  REQUIRE_THAT(rs::slurm::render_array_script(a, kPaths),
               Contains("  echo \"reprosweep: run $index ended with status $s\" >&\"${outs[$i]}\"\n"));
}

TEST_CASE("follow-up script: one CPU where the collector runs, sweep follow-up, its own log") {
  const std::string s = rs::slurm::render_follow_up_script("demo", example_array().options, kPaths);
  REQUIRE(s.find("--gres") == std::string::npos);
  REQUIRE_THAT(s, Contains("#SBATCH --job-name=demo-follow-up\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --output=/scratch/sweeps/demo/logs/follow-up_%j.out\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --partition=gpu\n#SBATCH --time=04:00:00\n"));
  REQUIRE_THAT(s, Contains("exec '/opt/rs/bin/sweep' follow-up '/scratch/sweeps/demo'\n"));
}

TEST_CASE("the signal lead and the requeue cap reach the array script") {
  auto a = example_array();
  a.options.signal_lead = 300;
  a.options.max_requeues = 5;
  const std::string s = rs::slurm::render_array_script(a, kPaths);
  REQUIRE_THAT(s, Contains("#SBATCH --signal=B:USR2@300\n"));
  REQUIRE_THAT(s, Contains("if [ \"${SLURM_RESTART_COUNT:-0}\" -ge 5 ]; then"));
  REQUIRE_THAT(rs::slurm::render_array_script(example_array(), kPaths),
               Contains("if [ \"${SLURM_RESTART_COUNT:-0}\" -ge 3 ]; then"));
}
