// What each run counts for, and the per-group totals of `sweep energy`.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "energy/energy_report.h"
#include "energy/run_energy.h"
#include "energy_runs.h"
#include "util/error.h"

using rs::energy::testing::energy_run;

TEST_CASE("measured runs count their joules; GPU-hours count wall time on a GPU") {
  auto e = rs::energy::run_energy(energy_run("a", "nvml-counter", 3600, 360, "NVIDIA H100 PCIe", 7200));
  REQUIRE(e.method == "nvml-counter");
  REQUIRE(e.gpu_j == 3600);
  REQUIRE(e.cpu_j == 360);
  REQUIRE(e.estimated_j == 0);
  REQUIRE(e.gpu_hours == 2);

  auto power = rs::energy::run_energy(energy_run("b", "nvml-power", 100, 0, "Fake GPU", 36));
  REQUIRE(power.method == "nvml-power");
  REQUIRE(power.gpu_j == 100);
  REQUIRE(power.gpu_hours == Approx(0.01));
}

TEST_CASE("a run of several ranks counts their summed joules, and its GPU-hours and estimates per GPU") {
  auto run = energy_run("a", "nvml-counter", 3000, 300, "NVIDIA H100 PCIe", 7200);
  run.ranks.gpu_j = {1000, 2000};  // the file's /energy holds their sum
  run.ranks.cpu_j = {300, 0};
  run.ranks.gpu_s = {7000, 7000};
  run.ranks.energy_j = {1300, 2000};
  auto e = rs::energy::run_energy(run);
  REQUIRE(e.gpu_j == 3000);
  REQUIRE(e.cpu_j == 300);
  REQUIRE(e.gpu_hours == 4);

  run.energy.method = "none";
  auto estimated = rs::energy::run_energy(run);
  REQUIRE(estimated.method == "estimate");
  REQUIRE(estimated.estimated_j == 2 * 350 * 7200);
}

TEST_CASE("unmeasured GPU runs are estimated from the TDP table, apart from measurements") {
  auto e = rs::energy::run_energy(energy_run("a", "none", 999, 999, "NVIDIA H100 PCIe", 100));
  REQUIRE(e.method == "estimate");
  REQUIRE(e.estimated_j == 350 * 100);
  REQUIRE(e.gpu_j == 0);
  REQUIRE(e.cpu_j == 0);  // method none: the file's joules mean nothing

  auto rapl = rs::energy::run_energy(energy_run("b", "rapl", 0, 50, "Tesla T4", 10));
  REQUIRE(rapl.method == "estimate");
  REQUIRE(rapl.estimated_j == 700);
  REQUIRE(rapl.cpu_j == 50);  // measured, so counted as measured

  auto unknown = rs::energy::run_energy(energy_run("c", "none", 0, 0, "Fake GPU", 10));
  REQUIRE(unknown.method == "none");
  REQUIRE(unknown.unknown_gpu);
  REQUIRE(unknown.estimated_j == 0);
}

TEST_CASE("a run file's own estimate stays an estimate; CPU runs keep their method") {
  auto estimate = rs::energy::run_energy(energy_run("a", "estimate", 200, 20, "NVIDIA A100-SXM4-40GB", 10));
  REQUIRE(estimate.method == "estimate");
  REQUIRE(estimate.estimated_j == 220);
  REQUIRE(estimate.gpu_j + estimate.cpu_j == 0);

  auto cpu = rs::energy::run_energy(energy_run("b", "rapl", 0, 75, "", 30));
  REQUIRE(cpu.method == "rapl");
  REQUIRE(cpu.cpu_j == 75);
  REQUIRE(cpu.gpu_hours == 0);

  auto nothing = rs::energy::run_energy(energy_run("c", "none", 5, 5, "", 30));
  REQUIRE(nothing.method == "none");
  REQUIRE(nothing.gpu_j + nothing.cpu_j + nothing.estimated_j == 0);
  REQUIRE_FALSE(nothing.unknown_gpu);
}

TEST_CASE("runs are grouped by the chosen key and summed, with their method mix") {
  std::vector<rs::runfile::RunRecord> runs = {
      energy_run("a", "nvml-counter", 1000, 100, "NVIDIA H100 PCIe", 10),
      energy_run("b", "nvml-counter", 2000, 200, "NVIDIA H100 PCIe", 20),
      energy_run("c", "none", 0, 0, "NVIDIA H100 PCIe", 30),
      energy_run("d", "none", 0, 0, "Fake GPU", 40),
  };
  runs[0].env.user = runs[1].env.user = "ada";
  runs[2].env.user = "bob";
  runs[3].finished_at = "2026-11-26T00:00:01Z";

  rs::energy::EnergyReport by_user = rs::energy::summarize(runs, rs::energy::GroupBy::kUser);
  REQUIRE(by_user.groups.size() == 3);
  REQUIRE(by_user.groups[0].key == "");  // run d has no user: a group of its own
  REQUIRE(by_user.groups[1].key == "ada");
  REQUIRE(by_user.groups[1].runs == 2);
  REQUIRE(by_user.groups[1].gpu_j == 3000);
  REQUIRE(by_user.groups[1].cpu_j == 300);
  REQUIRE(by_user.groups[1].kwh() == 3300 / 3.6e6);
  REQUIRE(by_user.groups[1].methods.at("nvml-counter").runs == 2);
  REQUIRE(by_user.groups[1].methods.at("nvml-counter").joules == 3300);
  REQUIRE(by_user.groups[2].key == "bob");
  REQUIRE(by_user.groups[2].estimated_j == 350 * 30);
  REQUIRE(by_user.groups[2].kwh() == 0);
  REQUIRE(by_user.groups[2].methods.at("estimate").joules == 350 * 30);

  const rs::energy::EnergyTotals& all = by_user.total;
  REQUIRE(all.key == "all");
  REQUIRE(all.runs == 4);
  REQUIRE(all.gpu_j == 3000);
  REQUIRE(all.estimated_j == 350 * 30);
  REQUIRE(all.gpu_hours == Approx(100 / 3600.0));
  REQUIRE(all.methods.at("none").runs == 1);
  REQUIRE(by_user.unknown_gpu_models.at("Fake GPU") == 1);

  rs::energy::EnergyReport by_day = rs::energy::summarize(runs, rs::energy::GroupBy::kDay);
  REQUIRE(by_day.groups.size() == 2);
  REQUIRE(by_day.groups[0].key == "2026-11-25");
  REQUIRE(by_day.groups[0].runs == 3);
  REQUIRE(by_day.groups[1].key == "2026-11-26");
}

TEST_CASE("every --by key reads its field") {
  auto run = energy_run("a", "none", 0, 0, "NVIDIA L4", 1);
  run.env.hostname = "node7";
  run.env.user = "ada";
  run.env.slurm_partition = "gpu-part";
  run.env.slurm_account = "acct-1";
  using rs::energy::GroupBy;
  REQUIRE(rs::energy::group_key(run, rs::energy::parse_group_by("sweep")) == "sweep-a");
  REQUIRE(rs::energy::group_key(run, rs::energy::parse_group_by("user")) == "ada");
  REQUIRE(rs::energy::group_key(run, rs::energy::parse_group_by("account")) == "acct-1");
  REQUIRE(rs::energy::group_key(run, rs::energy::parse_group_by("partition")) == "gpu-part");
  REQUIRE(rs::energy::group_key(run, rs::energy::parse_group_by("gpu_model")) == "NVIDIA L4");
  REQUIRE(rs::energy::group_key(run, rs::energy::parse_group_by("node")) == "node7");
  REQUIRE(rs::energy::group_key(run, rs::energy::parse_group_by("day")) == "2026-11-25");
  REQUIRE(rs::energy::group_by_name(GroupBy::kGpuModel) == "gpu_model");
  REQUIRE_THROWS_AS(rs::energy::parse_group_by("host"), rs::InputError);
}
