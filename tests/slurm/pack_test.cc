// slurm.runs_per_task: an array script that packs several runs into each task, rendered and
// then run by bash with a stand-in trainer (a shell script), as SLURM would run it: which runs a
// task starts, their threads and logs, the signals passed on to each, and the task's status.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "slurm/script.h"
#include "temp_dir.h"
#include "util/files.h"
#include "util/process.h"

using Catch::Matchers::Contains;
using rs::testing::TempDir;

namespace {

// Runs 2000..2009 (ten) in tasks of four: tasks 0-2, the last one runs 2008 and 2009 only.
rs::slurm::ArrayScript packed_array() {
  rs::slurm::ArrayScript a;
  a.sweep_name = "demo";
  a.offset = 2000;
  a.count = 10;
  a.options.cpus_per_task = 8;
  a.options.gpus_per_task = 1;
  a.options.runs_per_task = 4;
  a.options.max_retries = 1;
  return a;
}

// A sweep folder holding the rendered script and a stand-in trainer with body `trainer_body`
// (bash; $index is its --index), which first records the threads it was given.
struct PackedTask {
  TempDir dir;
  std::string script;
  explicit PackedTask(const std::string& trainer_body) {
    rs::make_dirs(dir.path() + "/logs");
    rs::make_dirs(dir.path() + "/runs");
    const std::string trainer = dir.path() + "/trainer";
    std::ofstream(trainer) << "#!/bin/bash\n"
                           << "index=$(sed -n 's/.*--index \\([0-9]*\\).*/\\1/p' <<<\"$*\")\n"
                           << "echo \"$SLURM_CPUS_PER_TASK $OMP_NUM_THREADS\" >" << dir.path() << "/runs/$index.threads\n"
                           << trainer_body << "\n";
    rs::run_capture({"chmod", "+x", trainer});
    script = dir.path() + "/array-000.sbatch";
    std::ofstream(script) << rs::slurm::render_array_script(packed_array(), {dir.path(), trainer, "/bin/false"});
  }
  // bash runs the script as array task `task` of job 77 with 8 CPUs; `then` (bash, $task_pid is
  // the script's) runs beside it. The script's exit status.
  int run(int task, const std::string& then = "") const {
    const std::string line = "SLURM_ARRAY_JOB_ID=77 SLURM_ARRAY_TASK_ID=" + std::to_string(task) +
                             " SLURM_CPUS_PER_TASK=8 bash '" + script + "' >>'" + task_log(task) + "' 2>&1 & task_pid=$!\n" +
                             then + "\nwait $task_pid";
    return rs::run_capture({"bash", "-c", line}, 60).exit_code;
  }
  std::string task_log(int task) const { return dir.path() + "/logs/77_" + std::to_string(task) + ".out"; }
  std::string run_log(int task, int index) const {
    return dir.path() + "/logs/77_" + std::to_string(task) + ".run" + std::to_string(index) + ".out";
  }
  std::string read(const std::string& path) const { return rs::path_exists(path) ? rs::read_file(path) : ""; }
};

}  // namespace

TEST_CASE("packed array script: ceil(runs / K) tasks, the task's CPUs in its #SBATCH lines") {
  const std::string s = rs::slurm::render_array_script(packed_array(), {"/scratch/demo", "/t", "/s"});
  REQUIRE_THAT(s, Contains("#SBATCH --array=0-2\n"));
  REQUIRE_THAT(s, Contains("#SBATCH --cpus-per-task=8\n"));  // shared: 2 threads per run
  REQUIRE_THAT(s, Contains("#SBATCH --gres=gpu:1\n"));       // one GPU for the four
  REQUIRE_THAT(s, Contains("runs_per_task=4\n"));
}

TEST_CASE("a packed task trains its runs side by side, each with its share of the CPUs and a log of its own") {
  PackedTask task("echo \"trainer of run $index\"; [ \"$index\" = 2001 ] && exit 1; exit 0");
  CHECK(task.run(0) == 1);  // a run failed
  for (int index = 2000; index < 2004; ++index) {
    INFO(index);
    CHECK(task.read(task.dir.path() + "/runs/" + std::to_string(index) + ".threads") == "2 2\n");
    CHECK_THAT(task.read(task.run_log(0, index)), Contains("trainer of run " + std::to_string(index) + "\n"));
    CHECK_THAT(task.read(task.run_log(0, index)),
               Contains("reprosweep: run " + std::to_string(index) + " ended with status " +
                        (index == 2001 ? "1" : "0")));
  }
  CHECK_FALSE(rs::path_exists(task.dir.path() + "/runs/2004.threads"));
  CHECK_THAT(task.read(task.task_log(0)), Contains("reprosweep: runs 2000-2003 on "));

  // The last task holds what is left: runs 2008 and 2009, and nothing beyond the array.
  CHECK(task.run(2) == 0);
  CHECK(rs::path_exists(task.run_log(2, 2009)));
  CHECK_FALSE(rs::path_exists(task.dir.path() + "/runs/2010.threads"));
}

TEST_CASE("a packed task passes USR2 on to every trainer; a failure outranks a checkpoint") {
  // Each trainer checkpoints (exits 3) on USR2; run 2001 fails at once, when asked to.
  const std::string body = "[ \"$index\" = 2001 ] && [ -e \"$(dirname \"$0\")/fail\" ] && exit 1\n"
                           "trap 'echo checkpointed; exit 3' USR2\n"
                           "touch \"$(dirname \"$0\")/runs/$index.started\"\n"
                           "while :; do sleep 0.05; done";
  PackedTask task(body);
  const std::string warn_when_started =
      "for i in $(seq 600); do [ $(ls '" + task.dir.path() + "'/runs/*.started 2>/dev/null | wc -l) -ge $1 ] && break; "
      "sleep 0.05; done; kill -USR2 $task_pid";
  CHECK(task.run(0, "set -- 4; " + warn_when_started) == 3);
  for (int index = 2000; index < 2004; ++index)
    CHECK_THAT(task.read(task.run_log(0, index)), Contains("checkpointed\nreprosweep: run " + std::to_string(index) +
                                                           " ended with status 3"));

  std::ofstream(task.dir.path() + "/fail").put('\n');
  rs::run_capture({"bash", "-c", "rm -f '" + task.dir.path() + "'/runs/*.started"});
  CHECK(task.run(0, "set -- 3; " + warn_when_started) == 1);
  CHECK_THAT(task.read(task.run_log(0, 2000)), Contains("ended with status 3"));
}
