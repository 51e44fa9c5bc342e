// Runs set beside what sacct says about their jobs.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "energy/slurm_check.h"
#include "energy_runs.h"

using rs::energy::testing::energy_run;

namespace {

rs::runfile::RunRecord job_run(const std::string& job_id, const std::string& array_job_id, double gpu_j) {
  auto run = energy_run("r" + job_id, "nvml-counter", gpu_j, 0, "NVIDIA H100 PCIe", 100);
  run.env.slurm_job_id = job_id;
  run.env.slurm_array_job_id = array_job_id;
  return run;
}

}  // namespace

TEST_CASE("sacct's parsable output is read field by field") {
  auto jobs = rs::energy::parse_sacct(
      "101|3600|billing=1,cpu=4,gres/gpu=1,mem=16G,node=1|0|gpu01\n"
      "102|60|cpu=1,node=1||gpu02\n"
      "103|7200|cpu=64,gres/gpu=8,node=1|5400000|gpu[03-04]\n"
      "garbage\n");
  REQUIRE(jobs.size() == 3);
  REQUIRE(jobs.at("101").elapsed_s == 3600);
  REQUIRE(jobs.at("101").alloc_tres == "billing=1,cpu=4,gres/gpu=1,mem=16G,node=1");
  REQUIRE(*jobs.at("101").consumed_j == 0);
  REQUIRE_FALSE(jobs.at("102").consumed_j);
  REQUIRE(*jobs.at("103").consumed_j == 5400000);
  REQUIRE(jobs.at("103").nodes == "gpu[03-04]");
}

TEST_CASE("only real SLURM jobs are asked about") {
  std::vector<rs::runfile::RunRecord> runs = {job_run("101", "100", 1), job_run("201", "200", 1),
                                              energy_run("x", "none", 0, 0, "", 1)};
  auto ids = rs::energy::slurm_job_ids(runs, {"200"});  // array job 200 ran under `sweep run`
  REQUIRE(ids == std::set<std::string>{"101"});
  rs::energy::SacctAnswer none = rs::energy::ask_sacct({});
  REQUIRE_FALSE(none.reachable);
  REQUIRE(none.why_not == "no run names a SLURM job");
}

TEST_CASE("each job gets ours and SLURM's numbers and a note on reading SLURM's") {
  std::vector<rs::runfile::RunRecord> runs = {job_run("101", "100", 3.6e6), job_run("101", "100", 3.6e6),
                                              job_run("102", "100", 0), job_run("103", "100", 0),
                                              job_run("104", "100", 0), job_run("201", "200", 0),
                                              energy_run("x", "none", 0, 0, "", 1)};
  rs::energy::SacctAnswer answer;
  answer.reachable = true;
  answer.jobs = rs::energy::parse_sacct("101|250|gres/gpu=1|0|gpu01\n102|60|cpu=1||gpu02\n103|90|cpu=1|1800|gpu03\n");

  rs::energy::SlurmCheck check = rs::energy::compare_with_slurm(runs, {"200"}, answer);
  REQUIRE(check.done);
  REQUIRE(check.summary == "SLURM cross-check: 4 jobs asked, 3 in sacct's accounting");
  REQUIRE(check.local_runs == 1);
  REQUIRE(check.runs_without_job == 1);
  REQUIRE(check.jobs.size() == 4);
  REQUIRE(check.jobs[0].job_id == "101");
  REQUIRE(check.jobs[0].runs == 2);
  REQUIRE(check.jobs[0].wall_s == 200);
  REQUIRE(check.jobs[0].measured_j == 7.2e6);
  REQUIRE(check.jobs[0].slurm->elapsed_s == 250);
  REQUIRE(check.jobs[0].note.find("0 J") != std::string::npos);
  REQUIRE(check.jobs[1].note == "SLURM recorded no energy");
  REQUIRE(check.jobs[2].note.find("node-level") != std::string::npos);
  REQUIRE_FALSE(check.jobs[3].slurm);
  REQUIRE(check.jobs[3].note == "not in SLURM's accounting");
}

TEST_CASE("without accounting the check says why and compares nothing") {
  rs::energy::SacctAnswer answer;
  answer.why_not = "sacct not found";
  rs::energy::SlurmCheck check = rs::energy::compare_with_slurm({job_run("101", "100", 1)}, {}, answer);
  REQUIRE_FALSE(check.done);
  REQUIRE(check.summary == "SLURM cross-check skipped: sacct not found");
  REQUIRE(check.jobs.empty());
}
