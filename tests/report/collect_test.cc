#include "report/collect.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixture_sweep.h"
#include "runfile/run_file.h"
#include "util/error.h"
#include "util/files.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using rs::report::collect_sweep;
using rs::report::CollectResult;
using rs::report::testing::FixtureSweep;
using rs::report::testing::write_fixture_sweep;

CollectResult collect(const std::string& dir) {
  rs::report::CollectOptions options;
  options.sweep_dir = dir;
  return collect_sweep(options);
}

std::string test_dir(const std::string& name) {
  return std::string(RS_BINARY_DIR) + "/tests/report-tmp/" + name;
}

json read_summary(const std::string& dir) {
  return json::parse(rs::read_file(dir + "/results/summary.json"));
}

const json& group_by_id(const json& summary, const std::string& group_id) {
  for (const auto& group : summary.at("groups")) {
    if (group.at("group_id") == group_id) return group;
  }
  FAIL("no group " << group_id << " in summary.json");
  throw std::logic_error("unreachable");
}

bool skipped_with(const CollectResult& result, const std::string& run_id,
                  const std::string& reason_part) {
  for (const auto& run : result.skipped) {
    if (run.path_or_run_id.find(run_id) != std::string::npos &&
        run.reason.find(reason_part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

const std::vector<std::string> kResultFiles = {
    "summary.json",  "report.html",   "nd_vs_d.md",      "nd_vs_d.csv",      "nd_vs_d.tex",
    "stability.md",  "stability.csv", "stability.tex",   "significance.md",  "significance.csv",
    "significance.tex", "per_class.md", "per_class.csv", "per_class.tex",   "overhead.md",
    "overhead.csv",  "overhead.tex",  "energy.md",       "energy.csv",       "energy.tex",
    "env.md",        "env.csv",       "env.tex"};

// The CSV row of `table` whose cells start with `first_cells` (e.g. "8,6f2d..."), or "".
std::string csv_row(const std::string& dir, const std::string& table,
                    const std::string& first_cells) {
  std::string csv = rs::read_file(dir + "/results/" + table + ".csv");
  size_t at = csv.find("\r\n" + first_cells);
  if (at == std::string::npos) return "";
  return csv.substr(at + 2, csv.find("\r\n", at + 2) - at - 2);
}

}  // namespace

TEST_CASE("collect counts runs and lists skipped and missing ones", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("counts"));
  CollectResult result = collect(fixture.dir);

  // 34 runs in the 8 groups, plus the corrupt, missing, partial and diverged ones.
  CHECK(result.runs_planned == 38);
  CHECK(result.runs_read == 34);
  CHECK(skipped_with(result, fixture.corrupt_run_id, "not an HDF5 file"));
  CHECK(skipped_with(result, fixture.partial_run_id + ".h5.partial", "in progress"));
  CHECK(skipped_with(result, fixture.diverged_run_id, "NaN"));
  CHECK(skipped_with(result, fixture.unplanned_run_id, "not in plan.jsonl"));
  CHECK(result.skipped.size() == 4);
  CHECK(result.missing_run_ids == std::vector<std::string>{fixture.corrupt_run_id,
                                                           fixture.missing_run_id,
                                                           fixture.partial_run_id,
                                                           fixture.diverged_run_id});
  for (const auto& name : kResultFiles) CHECK(rs::path_exists(fixture.dir + "/results/" + name));

  json summary = read_summary(fixture.dir);
  CHECK(summary.at("sweep") == "fixture");
  CHECK(summary.at("runs_read") == 34);
  CHECK(summary.at("sd_convention") == "sample SD, ddof = 1");
  CHECK(summary.at("formulas").at("delta_pct") == "100 * (nd_mean - d_value) / d_value");
  CHECK(summary.at("skipped").size() == 4);
  CHECK(summary.at("missing").size() == 4);
  REQUIRE(summary.at("groups").size() == 8);
  for (size_t g = 0; g < fixture.group_ids.size(); ++g) {
    CHECK(summary.at("groups")[g].at("group_id") == fixture.group_ids[g]);
  }
}

TEST_CASE("collect compares ND with D as hand-computed", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("nd_vs_d"));
  collect(fixture.dir);
  json summary = read_summary(fixture.dir);

  SECTION("five ND runs against two identical D runs") {
    // x = 0.90 0.85 0.95 0.90 0.80, d = 0.90: squared deviations from 0.88 sum to 0.013.
    const json& group = group_by_id(summary, fixture.group_ids[0]);
    CHECK(group.at("n_nd") == 5);
    CHECK(group.at("n_d") == 2);
    CHECK(group.at("params").at("optimizer") == "adam");
    CHECK_FALSE(group.at("params").contains("mode"));
    CHECK_FALSE(group.at("params").contains("seeds"));
    CHECK(group.at("nd_mean").get<double>() == Approx(0.88).epsilon(1e-12));
    CHECK(group.at("nd_sd").get<double>() == Approx(std::sqrt(0.013 / 4)).epsilon(1e-12));
    CHECK(group.at("d_value").get<double>() == Approx(0.9).epsilon(1e-12));
    CHECK(group.at("delta_pct").get<double>() == Approx(100 * (0.88 - 0.9) / 0.9).epsilon(1e-12));
    CHECK(group.at("delta_s").get<double>() == Approx(15.0).epsilon(1e-12));
    double t = (0.88 - 0.9) / (std::sqrt(0.013 / 4) / std::sqrt(5.0));
    CHECK(group.at("t_stat").get<double>() == Approx(t).epsilon(1e-12));
    CHECK(group.at("t_df") == 4);
    // scipy.stats.ttest_1samp([0.9, 0.85, 0.95, 0.9, 0.8], 0.9).pvalue
    CHECK(group.at("p_value").get<double>() == Approx(0.476620667272843).epsilon(1e-10));
    CHECK(group.at("significant") == false);
    CHECK(group.at("d_identical") == true);
    CHECK(group.at("overhead_train").get<double>() == Approx(12.8125 / 11.0).epsilon(1e-12));
    CHECK(group.at("overhead_gpu").is_null());
    CHECK(group.at("stability_over") == "nd");
    CHECK(group.at("acc_sd") == group.at("nd_sd"));
  }
  SECTION("ND runs all equal to D give t = 0 and p = 1") {
    const json& group = group_by_id(summary, fixture.group_ids[3]);
    CHECK(group.at("nd_sd") == 0.0);
    CHECK(group.at("t_stat") == 0.0);
    CHECK(group.at("p_value") == 1.0);
    CHECK(group.at("delta_pct").get<double>() == Approx(0.0).margin(1e-12));
  }
  SECTION("ND runs all equal but not to D give an infinite t and p = 0") {
    const json& group = group_by_id(summary, fixture.group_ids[4]);
    CHECK(group.at("t_stat").is_null());
    CHECK(group.at("p_value") == 0.0);
    CHECK(group.at("significant") == true);
    CHECK(group.at("notes").dump().find("null (infinite)") != std::string::npos);
  }
  SECTION("a single ND run and no D run leave everything but the mean undefined") {
    const json& group = group_by_id(summary, fixture.group_ids[5]);
    CHECK(group.at("nd_mean").get<double>() == Approx(0.6).epsilon(1e-12));
    for (const char* field : {"nd_sd", "d_value", "delta_pct", "delta_s", "t_stat", "p_value",
                              "overhead_train", "acc_sd", "acc_sd_ci95", "disagreement_pct",
                              "correlation", "l2_normalized", "d_identical"}) {
      CHECK(group.at(field).is_null());
    }
    CHECK(group.at("notes").size() >= 4);
    CHECK(group.at("energy_kwh") == 0.0);
  }
  SECTION("a D accuracy of 0 leaves delta_pct undefined but the t-test defined") {
    // x = 0.5 0.6 0.7 against 0: t = 0.6 / (0.1 / sqrt(3)).
    const json& group = group_by_id(summary, fixture.group_ids[6]);
    CHECK(group.at("d_value") == 0.0);
    CHECK(group.at("delta_pct").is_null());
    CHECK(group.at("t_stat").get<double>() == Approx(0.6 / (0.1 / std::sqrt(3.0))).epsilon(1e-12));
    // scipy.stats.ttest_1samp([0.5, 0.6, 0.7], 0).pvalue
    CHECK(group.at("p_value").get<double>() == Approx(0.009132611386275451).epsilon(1e-10));
    CHECK(group.at("notes").dump().find("d_value is 0") != std::string::npos);
  }
}

TEST_CASE("collect flags a determinism failure in every output", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("determinism"));
  CollectResult result = collect(fixture.dir);
  json summary = read_summary(fixture.dir);

  CHECK(result.determinism_failed);
  CHECK(result.terminal_table.rfind("!!! DETERMINISM FAILED in 1 group(s): #2", 0) == 0);
  CHECK(summary.at("determinism_failed") == true);
  CHECK(summary.at("determinism_failed_groups") == json::array({fixture.group_ids[1]}));
  const json& failed = group_by_id(summary, fixture.group_ids[1]);
  CHECK(failed.at("d_identical") == false);
  CHECK(failed.at("determinism_failed") == true);
  CHECK(failed.at("d_differing_run_ids").size() == 2);

  std::string markdown = rs::read_file(fixture.dir + "/results/nd_vs_d.md");
  CHECK(markdown.rfind("**DETERMINISM FAILED", 0) == 0);
  CHECK(markdown.find("| FAILED |") != std::string::npos);
  CHECK(rs::read_file(fixture.dir + "/results/nd_vs_d.csv").find(",FAILED\r\n") !=
        std::string::npos);
  CHECK(rs::read_file(fixture.dir + "/results/nd_vs_d.tex").find("DETERMINISM FAILED") !=
        std::string::npos);
  CHECK(rs::read_file(fixture.dir + "/results/stability.md").find("DETERMINISM FAILED") !=
        std::string::npos);
}

TEST_CASE("collect measures stability, over D runs where there are no ND runs", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("stability"));
  collect(fixture.dir);
  json summary = read_summary(fixture.dir);

  SECTION("D-only group") {
    // Accuracies 0.75 0.80 0.85 0.90: squared deviations from 0.825 sum to 0.0125.
    const json& group = group_by_id(summary, fixture.group_ids[2]);
    CHECK(group.at("stability_over") == "d");
    CHECK(group.at("stability_n") == 4);
    CHECK(group.at("n_nd") == 0);
    CHECK(group.at("nd_mean").is_null());
    CHECK(group.at("d_value").get<double>() == Approx(0.825).epsilon(1e-12));
    CHECK(group.at("acc_sd").get<double>() == Approx(std::sqrt(0.0125 / 3)).epsilon(1e-12));
    CHECK(group.at("d_identical").is_null());  // every D run has its own seeds
    const json& ci = group.at("acc_sd_ci95");
    CHECK(ci[0].get<double>() <= ci[1].get<double>());
    CHECK(group.at("cosine_last_layer").at("epoch") == json::array({0, 1, 2, 3}));
    CHECK(group.at("cosine_last_layer").at("mean").size() == 4);
    CHECK(group.at("per_class_acc_sd").size() == 3);
  }
  SECTION("pairwise measures lie in their ranges") {
    const json& group = group_by_id(summary, fixture.group_ids[0]);
    CHECK(group.at("disagreement_pct").get<double>() > 0);
    CHECK(group.at("disagreement_pct").get<double>() <= 100);
    CHECK(std::fabs(group.at("correlation").get<double>()) <= 1);
    CHECK(group.at("l2_normalized").get<double>() > 0);
    CHECK(group.at("l2_normalized").get<double>() <= 2);
  }
  SECTION("binary group with sub-groups and GPU times") {
    const json& group = group_by_id(summary, fixture.group_ids[7]);
    REQUIRE(group.at("subgroups").size() == 2);
    CHECK(group.at("subgroups")[0].at("subgroup") == 0);
    CHECK(group.at("subgroups")[0].at("n_samples") == 10);
    CHECK(group.at("subgroups")[1].at("fpr_sd").is_number());
    CHECK(group.at("overhead_gpu").get<double>() ==
          Approx(group.at("overhead_train").get<double>()).epsilon(1e-12));
  }
}

TEST_CASE("collect writes the overhead, energy and per-class tables", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("more_tables"));
  collect(fixture.dir);
  std::string group_8 = "8," + fixture.group_ids[7] + ",";

  // #8: ND train_s 10, 10.5, 11, 11.5 (mean 10.75), D 12.5; gpu_s is 0.75 of each.
  CHECK(csv_row(fixture.dir, "overhead", group_8) ==
        group_8 + "breast_cancer,[],adam,0,4,1,10.75,12.50,1.16,8.06,9.38,1.16");
  // #1: seven runs of 1000 (r + 1) + 200 J for replicas 0-4 (ND) and 0-1 (D): 19400 J.
  CHECK(csv_row(fixture.dir, "energy", "1," + fixture.group_ids[0] + ",") ==
        "1," + fixture.group_ids[0] + ",digits,[],adam,0,7,0,0.005389,0.002075");
  CHECK(csv_row(fixture.dir, "energy", ",total,") == ",total,,,,,34,1,0.021,0.008085");
  std::string energy = rs::read_file(fixture.dir + "/results/energy.md");
  CHECK(energy.find("energy and CO2 (PUE 1, 0.385 kg CO2/kWh)") != std::string::npos);
  // #8 is binary: classes 0 and 1 have a column each, the fixture's third class a blank cell.
  // (check_summary.py recomputes the numbers; this checks where they go.)
  CHECK(csv_row(fixture.dir, "per_class", group_8) ==
        group_8 + "breast_cancer,[],adam,0,nd,4,6.45,8.16,1,1.26,5.77,8.16,");
}

TEST_CASE("collect reports accuracy per environment", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("environments"));
  collect(fixture.dir);
  json summary = read_summary(fixture.dir);

  // #8's ND runs: 15 and 16 of 20 right on an A100, 17 and 18 on a V100.
  const json& group = group_by_id(summary, fixture.group_ids[7]);
  REQUIRE(group.at("environments").size() == 2);
  const json& a100 = group.at("environments")[0];
  CHECK(a100.at("device") == "NVIDIA A100-SXM4-40GB");
  CHECK(a100.at("cuda_version") == "12.2");
  CHECK(a100.at("n") == 2);
  CHECK(a100.at("mean").get<double>() == Approx(0.775).epsilon(1e-12));
  CHECK(a100.at("min") == 0.75);
  CHECK(group.at("environments")[1].at("mean").get<double>() == Approx(0.875).epsilon(1e-12));
  CHECK(group.at("env_range").get<double>() == Approx(0.1).epsilon(1e-12));
  CHECK(group_by_id(summary, fixture.group_ids[0]).at("environments").size() == 1);

  // Only #8 ran in two environments, so only #8 is in the table.
  std::string csv = rs::read_file(fixture.dir + "/results/env.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  CHECK(csv.find("Tesla V100-SXM2-16GB, driver 535.104.05, CUDA 11.8, torch 2.1.0") !=
        std::string::npos);
  CHECK(csv.find(",10.00\r\n") != std::string::npos);  // the range, in points
}

TEST_CASE("collect removes an environment table that no longer applies", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("one_environment"));
  collect(fixture.dir);
  REQUIRE(rs::path_exists(fixture.dir + "/results/env.md"));
  // Without #8's runs every group ran on the fixture's CPU.
  for (const auto& file : fs::directory_iterator(fixture.dir + "/runs")) {
    try {
      auto meta = rs::runfile::read_run_file(file.path().string(), {false, false, false});
      if (!meta.env.gpu_name.empty()) fs::remove(file.path());
    } catch (const rs::runfile::RunFileError&) {
      // the fixture's corrupt and partial files: not GPU runs
    }
  }
  collect(fixture.dir);
  for (const char* name : {"env.md", "env.csv", "env.tex"}) {
    CHECK_FALSE(rs::path_exists(fixture.dir + "/results/" + name));
  }
}

TEST_CASE("collect writes no NaN, leaves run files alone and repeats itself", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("idempotent"));
  std::string run_file_before = rs::read_file(fixture.identical_d_path);
  collect(fixture.dir);
  std::string summary_first = rs::read_file(fixture.dir + "/results/summary.json");
  std::string report_first = rs::read_file(fixture.dir + "/results/report.html");
  collect(fixture.dir);

  CHECK(rs::read_file(fixture.dir + "/results/summary.json") == summary_first);
  CHECK(rs::read_file(fixture.dir + "/results/report.html") == report_first);
  CHECK(rs::read_file(fixture.identical_d_path) == run_file_before);
  // A NaN or infinity printed by fmt reads "nan" / "inf"; no table cell may hold one.
  std::regex non_finite_cell(R"((^|[,|&>] ?)-?(nan|inf)( ?[,|&<]|\r?$))",
                             std::regex::icase | std::regex::multiline);
  for (const auto& name : kResultFiles) {
    CHECK_FALSE(std::regex_search(rs::read_file(fixture.dir + "/results/" + name),
                                  non_finite_cell));
  }
}

TEST_CASE("collect without plan.jsonl reads every complete run file", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("no_plan"));
  fs::remove(fixture.dir + "/plan.jsonl");
  CollectResult result = collect(fixture.dir);

  CHECK(result.runs_planned == 0);
  CHECK(result.runs_read == 35);  // the unplanned run now counts too
  CHECK(result.missing_run_ids.empty());
  CHECK(result.skipped.size() == 3);  // corrupt, diverged, in progress
  CHECK(read_summary(fixture.dir).at("sweep") == "fixture");
}

TEST_CASE("collect of a sweep without runs writes empty results", "[collect]") {
  std::string dir = test_dir("empty");
  fs::remove_all(dir);
  rs::make_dirs(dir);
  CollectResult result = collect(dir);

  CHECK(result.runs_read == 0);
  CHECK(result.terminal_table == "No complete runs to report yet.\n");
  json summary = read_summary(dir);
  CHECK(summary.at("groups").empty());
  CHECK(summary.at("sweep") == "empty");
  CHECK(summary.at("determinism_failed") == false);
}

TEST_CASE("collect rejects a malformed plan.jsonl naming the line", "[collect]") {
  std::string dir = test_dir("bad_plan");
  fs::remove_all(dir);
  rs::make_dirs(dir);
  std::ofstream(dir + "/plan.jsonl")
      << R"({"index": 0, "run_id": "00000000000000aa", "group_id": "00000000000000bb", "sweep": "s"})" << "\n{not json\n";
  CHECK_THROWS_WITH(collect(dir), Catch::Contains("plan.jsonl:2:"));
  CHECK_THROWS_AS(collect(dir), rs::InputError);
}
