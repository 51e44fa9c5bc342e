#include "report/collect.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "energy/site_config.h"
#include "fixture_sweep.h"
#include "runfile/example_run.h"
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
using Catch::Matchers::Contains;

// Collects with the factors of `--pue 1.5 --carbon-intensity 0.4`.
CollectResult collect(const std::string& dir, double read_timeout_s = rs::runfile::kDefaultReadTimeoutS) {
  rs::report::CollectOptions options;
  options.sweep_dir = dir;
  options.read_timeout_s = read_timeout_s;
  rs::energy::SiteOverrides command_line;
  command_line.pue = 1.5;
  command_line.carbon_intensity = 0.4;
  options.site = rs::energy::resolve_site(command_line, {});
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

// Removes the run files in DIR/runs whose root attributes `drop` picks; files that do not read
// as run files (the fixture's corrupt and partial ones) stay.
void remove_runs(const std::string& dir,
                 const std::function<bool(const rs::runfile::RunRecord&)>& drop) {
  for (const auto& file : fs::directory_iterator(dir + "/runs")) {
    try {
      auto meta = rs::runfile::read_run_file(file.path().string(), {false, false, false});
      if (drop(meta)) fs::remove(file.path());
    } catch (const rs::runfile::RunFileError&) {
    }
  }
}

}  // namespace

TEST_CASE("collect counts runs and lists skipped and missing ones", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("counts"));
  CollectResult result = collect(fixture.dir);

  // 50 runs in the 10 groups, plus the corrupt, missing, partial, diverged and NaN-timing ones.
  CHECK(result.runs_planned == 55);
  CHECK(result.runs_read == 50);
  CHECK(skipped_with(result, fixture.corrupt_run_id, "not an HDF5 file"));
  CHECK(skipped_with(result, fixture.partial_run_id + ".h5.node7-cluster-4242.partial", "in progress"));
  CHECK(skipped_with(result, fixture.diverged_run_id, "NaN"));
  CHECK(skipped_with(result, fixture.unplanned_run_id, "not in plan.jsonl"));
  CHECK(skipped_with(result, fixture.nan_timing_run_id, "/timing train_s is nan"));
  CHECK(result.skipped.size() == 5);
  CHECK(result.missing_run_ids ==
        std::vector<std::string>{fixture.corrupt_run_id, fixture.missing_run_id,
                                 fixture.partial_run_id, fixture.diverged_run_id,
                                 fixture.nan_timing_run_id});
  for (const auto& name : kResultFiles) CHECK(rs::path_exists(fixture.dir + "/results/" + name));

  json summary = read_summary(fixture.dir);
  CHECK(summary.at("sweep") == "fixture");
  CHECK(summary.at("runs_read") == 50);
  CHECK(summary.at("schema") == "reprosweep-summary/3");
  CHECK(summary.at("metric") == "accuracy");
  CHECK(summary.at("sd_convention") == "sample SD, ddof = 1");
  CHECK(summary.at("formulas").at("delta_pct") == "100 * (nd_mean - d_value) / d_value");
  CHECK(summary.at("skipped").size() == 5);
  CHECK(summary.at("missing").size() == 5);
  REQUIRE(summary.at("groups").size() == 10);
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
    CHECK(group.at("test") == "one-sample");
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
    CHECK(group.at("energy").at("kwh") == 0.0);
    CHECK(group.at("energy").at("methods").at("none").at("runs") == 1);
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
        group_8 +
            "breast_cancer,[],adam,0,4,1,10.75,0.65,12.50,-,1.16,-14.0,8.06,9.38,1.16,-14.0,ok");
  // #1: seven runs of 1000 (r + 1) GPU J and 200 CPU J for replicas 0-4 (ND) and 0-1 (D):
  // 18000 + 1400 J, at PUE 1.5 and 0.4 kg/kWh; then the factors and their sources.
  CHECK(csv_row(fixture.dir, "energy", "1," + fixture.group_ids[0] + ",") ==
        "1," + fixture.group_ids[0] +
            ",digits,[],adam,0,7,0.00,0.00500,0.000389,0.00539,0.00323,0.000,0.000,"
            "nvml-counter 7 (0.00539 kWh),1.5,--pue,0.4,--carbon-intensity");
  // #8's five runs ran on GPUs for 65.5 s; #6's run measured nothing and has no GPU.
  std::string total = csv_row(fixture.dir, "energy", ",total,");
  CHECK(total.rfind(",total,,,,,50,0.02,", 0) == 0);
  CHECK(total.find("none 1 (0.000 kWh), nvml-counter 49 (") != std::string::npos);
  std::string energy = rs::read_file(fixture.dir + "/results/energy.md");
  CHECK(energy.find("energy and CO2 (PUE 1.5, 0.4 kg CO2e/kWh)") != std::string::npos);
  CHECK(energy.find("- PUE 1.5; source: --pue\n") != std::string::npos);
  CHECK(energy.find("- carbon intensity 0.4 kg CO2e/kWh; source: --carbon-intensity\n") !=
        std::string::npos);
  CHECK(rs::read_file(fixture.dir + "/results/energy.tex").find("source: --carbon-intensity") !=
        std::string::npos);
  // #8 is binary: classes 0 and 1 have a column each, the fixture's other eight classes (#10
  // has ten) blank cells.
  // (check_summary.py recomputes the numbers; this checks where they go.)
  CHECK(csv_row(fixture.dir, "per_class", group_8) ==
        group_8 + "breast_cancer,[],adam,0,nd,4,6.45,8.16,1,1.26,5.77,8.16,,,,,,,,");
}

TEST_CASE("collect echoes the site factors and computes CO2 from them", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("site"));
  rs::report::CollectOptions options;
  options.sweep_dir = fixture.dir;
  CHECK_THROWS_AS(collect_sweep(options), std::invalid_argument);  // no silent factors

  // Nothing configured: the defaults, saying so.
  options.site = rs::energy::resolve_site({}, {});
  collect_sweep(options);
  json energy = read_summary(fixture.dir).at("energy");
  CHECK(energy.at("pue").at("value") == 1.0);
  CHECK(energy.at("pue").at("source").get<std::string>().rfind("default", 0) == 0);
  CHECK(energy.at("carbon_intensity_kg_per_kwh").at("value") == 0.475);
  CHECK(energy.at("carbon_intensity_kg_per_kwh").at("source").get<std::string>().rfind(
            "default: world average", 0) == 0);
  std::string page = rs::read_file(fixture.dir + "/results/report.html");
  CHECK(page.find("<li>carbon intensity 0.475 kg CO2e/kWh; source: default: world average") !=
        std::string::npos);

  rs::energy::SiteOverrides command_line;
  command_line.pue = 1.3;
  command_line.region = "FR";
  options.site = rs::energy::resolve_site(command_line, {});
  collect_sweep(options);
  json summary = read_summary(fixture.dir);
  energy = summary.at("energy");
  CHECK(energy.at("pue") == json({{"value", 1.3}, {"source", "--pue"}}));
  CHECK(energy.at("carbon_intensity_kg_per_kwh").at("source") ==
        "--region FR: France 2023 (Our World in Data: Ember, Energy Institute)");
  for (const json& totals : summary.at("groups")) {
    const json& e = totals.at("energy");
    CHECK(e.at("co2_kg") == e.at("kwh").get<double>() * 1.3 * 0.056);
    CHECK(e.at("estimated_co2_kg") == e.at("estimated_kwh").get<double>() * 1.3 * 0.056);
  }
  const json& total = energy.at("total");
  CHECK(total.at("runs") == 50);
  CHECK(total.at("co2_kg") == total.at("kwh").get<double>() * 1.3 * 0.056);
}

TEST_CASE("collect measures how much TTA reduces the spread, as seed 002 does", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("tta"));
  collect(fixture.dir);
  json summary = read_summary(fixture.dir);
  auto notes_hold = [](const json& group, const std::string& part) {
    return group.at("notes").dump().find(part) != std::string::npos;
  };

  // #1: plain 18 17 19 18 16, TTA 18 18 19 18 17 of 20 right: squared deviations 0.013, 0.005.
  const json& first = group_by_id(summary, fixture.group_ids[0]);
  CHECK(first.at("tta_n") == 5);
  CHECK(first.at("tta_plain_acc_sd") == first.at("acc_sd"));
  CHECK(first.at("tta_plain_disagreement_pct") == first.at("disagreement_pct"));
  CHECK(first.at("tta_acc_sd").get<double>() == Approx(std::sqrt(0.005 / 4)).epsilon(1e-12));
  const json& reductions = first.at("tta_reduction_pct");
  CHECK(reductions.at("acc_sd").get<double>() ==
        Approx(100 * (1 - std::sqrt(0.005 / 0.013))).epsilon(1e-12));
  CHECK(reductions.size() == 6);
  // The two averages differ only in how correlation enters.
  double others = 0;
  for (const char* key : {"acc_sd", "ce_sd", "disagreement_pct", "ensemble_delta_pct"}) {
    others += reductions.at(key).get<double>();
  }
  CHECK(first.at("tta_reduction_mean_pct_one_minus_corr").get<double>() ==
        Approx((others + reductions.at("correlation_one_minus_corr").get<double>()) / 5)
            .epsilon(1e-12));
  CHECK(first.at("tta_reduction_mean_pct_corr_change").get<double>() ==
        Approx((others + reductions.at("correlation_corr_change").get<double>()) / 5)
            .epsilon(1e-12));
  CHECK(summary.at("formulas").at("tta_reduction_formulas").at("correlation_one_minus_corr") ==
        "100 * (1 - (1 - tta_correlation) / (1 - tta_plain_correlation))");
  CHECK(first.at("nd_accuracies") == json::array({0.9, 0.85, 0.95, 0.9, 0.8}));  // plain logits

  const json& one = group_by_id(summary, fixture.group_ids[1]);
  CHECK(one.at("tta_n") == 1);
  CHECK(one.at("tta_acc_sd").is_null());
  CHECK(notes_hold(one, "a spread needs two"));

  // #3 (over d): 15 and 17 right without TTA, 17 and 17 with it.
  const json& over_d = group_by_id(summary, fixture.group_ids[2]);
  CHECK(over_d.at("tta_n") == 2);
  CHECK(over_d.at("tta_acc_sd") == 0.0);
  CHECK(over_d.at("tta_reduction_pct").at("acc_sd") == 100.0);

  // #4: the ND runs agree without TTA; the D run's TTA logits are not a stability run's.
  const json& flat = group_by_id(summary, fixture.group_ids[3]);
  CHECK(flat.at("tta_n") == 3);
  CHECK(flat.at("tta_plain_acc_sd") == 0.0);
  CHECK(flat.at("tta_reduction_pct").at("acc_sd").is_null());
  CHECK(flat.at("tta_reduction_mean_pct_one_minus_corr").is_null());
  CHECK(notes_hold(flat, "tta_reduction_pct.acc_sd: null"));

  const json& without = group_by_id(summary, fixture.group_ids[4]);
  CHECK(without.at("tta_n") == 0);
  CHECK(notes_hold(without, "no stability run has /eval/logits_tta"));

  // #1 to #4 and #10 have TTA logits: a row per reduction and average, each with its formula.
  std::string csv = rs::read_file(fixture.dir + "/results/tta.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 5 * 8);
  CHECK(csv_row(fixture.dir, "tta", "1," + fixture.group_ids[0] + ",") ==
        "1," + fixture.group_ids[0] +
            ",digits,[],adam,0,nd,5,88.00,90.00,acc_sd,5.70,3.54,+38.0,"
            "100 * (1 - tta_acc_sd / tta_plain_acc_sd)");
  CHECK(csv.find(",mean_corr_change,,,") != std::string::npos);
  std::string markdown = rs::read_file(fixture.dir + "/results/tta.md");
  CHECK(markdown.find("100 * (tta_correlation - tta_plain_correlation) / tta_plain_correlation") !=
        std::string::npos);
  CHECK(markdown.find("#4: tta_reduction_pct.acc_sd: null") != std::string::npos);
  CHECK(markdown.find("#5:") == std::string::npos);  // not in the table, so not in its notes
  // TTA notes belong to the TTA table: the stability table's acc_sd is not tta_plain_acc_sd.
  CHECK(rs::read_file(fixture.dir + "/results/stability.md").find("tta_") == std::string::npos);
  CHECK(rs::read_file(fixture.dir + "/results/report.html").find("test-time augmentation") !=
        std::string::npos);
}

TEST_CASE("collect fits the t-test to the D runs", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("t_tests"));
  collect(fixture.dir);
  json summary = read_summary(fixture.dir);

  SECTION("five ND and three D runs with identical logits are never significant") {
    const json& group = group_by_id(summary, fixture.group_ids[8]);
    CHECK(group.at("d_value") == 0.8);
    CHECK(group.at("nd_mean") == 0.8);
    CHECK(group.at("test") == "one-sample");
    CHECK(group.at("t_stat") == 0.0);
    CHECK(group.at("p_value") == 1.0);
    CHECK(group.at("significant") == false);
    CHECK(group.at("d_identical") == true);
  }
  SECTION("D runs with different seeds are tested with Welch's test") {
    // ND 250 244 256 247 253 of 300, D 240 249 245 (check_summary.py compares with scipy).
    const json& group = group_by_id(summary, fixture.group_ids[9]);
    CHECK(group.at("test") == "welch");
    CHECK(group.at("d_value").get<double>() == Approx(734.0 / 900).epsilon(1e-12));
    double df = group.at("t_df").get<double>();
    CHECK(df > 2);
    CHECK(df < 6);
    CHECK(df != std::floor(df));
  }
  SECTION("D runs that differ because determinism failed are tested with Welch's test too") {
    CHECK(group_by_id(summary, fixture.group_ids[1]).at("test") == "welch");
  }
  SECTION("the significance table counts both tests") {
    // digits with sgd: #2 (its D runs differ) and #10 by Welch's test, #7 one-sample.
    bool welch_counted = false;
    for (const json& row : summary.at("by_dataset_optimizer")) {
      if (row.at("dataset") == "digits" && row.at("optimizer") == "sgd") {
        welch_counted = row.at("n_welch") == 2 && row.at("n_one_sample") == 1;
      }
    }
    CHECK(welch_counted);
    CHECK(rs::read_file(fixture.dir + "/results/significance.md").find("| welch |") !=
          std::string::npos);
  }
}

TEST_CASE("collect shows on the terminal the tables the design has data for", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("terminal"));
  CollectResult result = collect(fixture.dir);
  const std::string& out = result.terminal_table;
  CHECK(out.find("fixture: ND vs D, final test accuracy (%)") != std::string::npos);
  CHECK(out.find("fixture: stability across runs") != std::string::npos);
  CHECK(out.find("energy: 50 runs, ") != std::string::npos);
  // #3 has no ND runs, #6 one ND run and no D: neither is an ND-vs-D row; #6 is no stability row.
  std::string nd_vs_d = out.substr(0, out.find("fixture: stability across runs"));
  CHECK(nd_vs_d.find("\n 3  ") == std::string::npos);
  CHECK(nd_vs_d.find("\n 6  ") == std::string::npos);
  CHECK(nd_vs_d.find("\n10  ") != std::string::npos);
  std::string stability = out.substr(out.find("fixture: stability across runs"));
  CHECK(stability.find("\n 3  ") != std::string::npos);
  CHECK(stability.find("\n 6  ") == std::string::npos);
  // The columns after the group's parameters fit in 70 characters, leaving 30 of a 100-column
  // terminal to the parameters.
  for (const std::string& table : {nd_vs_d, stability}) {
    size_t header = table.find("\n #") + 1;
    std::string line = table.substr(header, table.find('\n', header) - header);
    INFO(line);
    CHECK(line.size() - line.find(table == nd_vs_d ? "  nd/d" : "  over") <= 70);
  }

  // A one-source-at-a-time sweep (D runs only): no ND-vs-D table at all, the stability table.
  FixtureSweep d_only = write_fixture_sweep(test_dir("terminal_d_only"));
  remove_runs(d_only.dir, [&](const auto& meta) { return meta.group_id != d_only.group_ids[2]; });
  std::string only_d = collect(d_only.dir).terminal_table;
  CHECK(only_d.find("ND vs D") == std::string::npos);
  CHECK(only_d.find("stability across runs") != std::string::npos);
}

TEST_CASE("collect compares another metric when asked", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("metric"));
  rs::report::CollectOptions options;
  options.sweep_dir = fixture.dir;
  options.site = rs::energy::resolve_site({}, {});
  options.metric = rs::stats::Metric::kAuc;
  CollectResult result = collect_sweep(options);
  json summary = read_summary(fixture.dir);
  CHECK(summary.at("metric") == "auc");
  // Only #8 is a two-class task: every other run is skipped, saying why.
  REQUIRE(summary.at("groups").size() == 1);
  CHECK(summary.at("groups")[0].at("group_id") == fixture.group_ids[7]);
  CHECK(skipped_with(result, fixture.identical_d_path, "--metric auc needs a two-class task"));
  CHECK(rs::read_file(fixture.dir + "/results/nd_vs_d.md").find("ND vs D, final test AUC (%)") !=
        std::string::npos);
}

TEST_CASE("collect removes a TTA table that no longer applies", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("no_tta"));
  collect(fixture.dir);
  REQUIRE(rs::path_exists(fixture.dir + "/results/tta.md"));
  // Without #1 to #4 and #10 no run has TTA logits.
  std::vector<std::string> with_tta(fixture.group_ids.begin(), fixture.group_ids.begin() + 4);
  with_tta.push_back(fixture.group_ids[9]);
  remove_runs(fixture.dir, [&](const auto& meta) {
    return std::count(with_tta.begin(), with_tta.end(), meta.group_id) > 0;
  });
  collect(fixture.dir);
  for (const char* name : {"tta.md", "tta.csv", "tta.tex"}) {
    CHECK_FALSE(rs::path_exists(fixture.dir + "/results/" + name));
  }
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
  CHECK(group.at("env_range_runs").get<double>() == Approx(0.15).epsilon(1e-12));
  CHECK(csv.find(",10.00,15.00\r\n") != std::string::npos);  // the ranges, in points
}

TEST_CASE("collect removes an environment table that no longer applies", "[collect]") {
  FixtureSweep fixture = write_fixture_sweep(test_dir("one_environment"));
  collect(fixture.dir);
  REQUIRE(rs::path_exists(fixture.dir + "/results/env.md"));
  // Without #8's runs every group ran on the fixture's CPU.
  remove_runs(fixture.dir, [](const auto& meta) { return !meta.env.gpu_name.empty(); });
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
  CHECK(result.runs_read == 51);  // the unplanned run now counts too
  CHECK(result.missing_run_ids.empty());
  CHECK(result.skipped.size() == 4);  // corrupt, diverged, NaN timing, in progress
  CHECK(read_summary(fixture.dir).at("sweep") == "fixture");
}

TEST_CASE("collect refuses a folder that is not a sweep and writes nothing", "[collect]") {
  std::string dir = test_dir("not_a_sweep");
  fs::remove_all(dir);
  CHECK_THROWS_WITH(collect(dir), Catch::Contains("no such folder"));
  CHECK_FALSE(fs::exists(dir));
  rs::make_dirs(dir);
  CHECK_THROWS_AS(collect(dir), rs::InputError);
  CHECK(fs::is_empty(dir));
}

TEST_CASE("collect of a sweep without runs writes empty results", "[collect]") {
  std::string dir = test_dir("empty");
  fs::remove_all(dir);
  rs::make_dirs(dir + "/runs");
  CollectResult result = collect(dir);

  CHECK(result.runs_read == 0);
  CHECK(result.terminal_table == "No complete runs to report yet.\n");
  json summary = read_summary(dir);
  CHECK(summary.at("groups").empty());
  CHECK(summary.at("sweep") == "empty");
  CHECK(summary.at("determinism_failed") == false);
}

TEST_CASE("one bad run file never stops a report: a file that hangs libhdf5 and one that is not UTF-8 are "
          "skipped, the other runs' statistics are those without them", "[collect]") {
  const std::string dir = test_dir("bad-files");
  FixtureSweep fixture = write_fixture_sweep(dir);
  // Two good ND runs of group #1 (the first file is its D run).
  std::vector<std::string> paths;
  const json plan_runs = [&] {
    json runs = json::array();
    std::ifstream plan(dir + "/plan.jsonl");
    for (std::string line; std::getline(plan, line);) runs.push_back(json::parse(line));
    return runs;
  }();
  for (const auto& run : plan_runs) {
    const std::string path = dir + "/runs/" + run.at("run_id").get<std::string>() + ".h5";
    if (run.at("group_id") == fixture.group_ids[0] && run.at("params").at("mode") == "nd" && fs::exists(path) &&
        run.at("run_id") != fixture.corrupt_run_id && paths.size() < 2)
      paths.push_back(path);
  }
  REQUIRE(paths.size() == 2);
  const std::string aside = test_dir("bad-files-aside");
  fs::remove_all(aside);
  fs::create_directories(aside);
  for (const auto& path : paths) fs::rename(path, aside + "/" + fs::path(path).filename().string());
  collect(dir);
  const json without = read_summary(dir).at("groups");

  for (const auto& path : paths) fs::rename(aside + "/" + fs::path(path).filename().string(), path);
  rs::runfile::testing::make_hdf5_hang(paths[0]);
  rs::runfile::testing::replace_bytes(paths[1], "Fixture CPU", "Fixture \xff\xfeU");
  const auto start = std::chrono::steady_clock::now();
  CollectResult result = collect(dir, 2);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  CHECK(skipped_with(result, fs::path(paths[0]).stem().string(), "unreadable: read did not finish in 2 s"));
  CHECK(skipped_with(result, fs::path(paths[1]).stem().string(), "attribute cpu_model on /env is not valid UTF-8"));
  CHECK(read_summary(dir).at("groups") == without);
}

TEST_CASE("collect skips a run file whose weights no longer match their digest", "[collect]") {
  const std::string dir = test_dir("digest-mismatch");
  FixtureSweep fixture = write_fixture_sweep(dir);
  {
    // The last weight's sign bit, found as the bytes of all of /weights/flat.
    const std::vector<float> weights = rs::runfile::read_run_file(fixture.identical_d_path).weights_flat;
    std::vector<float> changed = weights;
    changed.back() = -changed.back();
    auto bytes = [](const std::vector<float>& v) {
      return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
    };
    rs::runfile::testing::replace_bytes(fixture.identical_d_path, bytes(weights), bytes(changed));
  }
  CollectResult result = collect(dir);
  CHECK(skipped_with(result, fs::path(fixture.identical_d_path).stem().string(),
                     "corrupt: digest mismatch of /weights/flat"));
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

TEST_CASE("collect keeps world sizes apart as groups and compares them", "[collect]") {
  const std::string dir = test_dir("world_sizes");
  const std::vector<std::string> group_ids = rs::report::testing::write_world_size_fixture(dir);
  collect(dir);
  json summary = read_summary(dir);
  REQUIRE(summary.at("groups").size() == 4);
  CHECK(group_ids[0] != group_ids[1]);
  CHECK(group_by_id(summary, group_ids[1]).at("params").at("world_size") == 2);
  CHECK(group_by_id(summary, group_ids[0]).at("nd_run_ids").size() == 3);
  CHECK(group_by_id(summary, group_ids[1]).at("nd_run_ids").size() == 3);

  // adam at world sizes 1, 2 and 4; sgd ran at one world size only.
  REQUIRE(summary.at("world_sizes").size() == 1);
  const json& adam = summary.at("world_sizes")[0];
  CHECK(adam.at("over") == "nd");
  REQUIRE(adam.at("sizes").size() == 3);
  const std::vector<std::tuple<int, int, size_t, double>> expected = {
      {1, 1, 0, 0.9}, {2, 1, 1, 0.85}, {4, 2, 2, 0.85}};  // world_size, nodes, group, mean
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& [world_size, nodes, group, mean] = expected[i];
    const json& size = adam.at("sizes")[i];
    CHECK(size.at("world_size") == world_size);
    CHECK(size.at("nodes") == nodes);
    CHECK(size.at("group_id") == group_ids[group]);
    CHECK(size.at("mean").get<double>() == Approx(mean).epsilon(1e-12));
  }
  CHECK(adam.at("sizes")[1].at("sd").get<double>() == Approx(0.05).epsilon(1e-12));
  CHECK(adam.at("sizes")[2].at("sd").is_null());  // one run
  CHECK(adam.at("range").get<double>() == Approx(0.05).epsilon(1e-12));
  CHECK(adam.at("range_runs").get<double>() == Approx(0.15).epsilon(1e-12));  // 19 and 16 of 20

  const std::string table = rs::read_file(dir + "/results/world_size.md");
  CHECK_THAT(table, Contains("accuracy per world size"));
  // #, group id, then the params that differ (nodes, optimizer, world_size), over, n, the accuracies.
  CHECK(csv_row(dir, "world_size", "3," + group_ids[2]) == "3," + group_ids[2] + ",2,adam,4,nd,1,85.00,-,85.00,85.00,5.00,15.00");
  CHECK(csv_row(dir, "world_size", "1," + group_ids[0]) == "1," + group_ids[0] + ",-,adam,-,nd,3,90.00,5.00,85.00,95.00,5.00,15.00");
  CHECK(csv_row(dir, "world_size", "4," + group_ids[3]).empty());  // sgd: one world size

  // Without the other world sizes there is nothing to compare: the table goes.
  remove_runs(dir, [](const rs::runfile::RunRecord& run) { return run.params_json.find("world_size") != std::string::npos; });
  collect(dir);
  CHECK(read_summary(dir).at("world_sizes").empty());
  CHECK_FALSE(fs::exists(dir + "/results/world_size.md"));
}

TEST_CASE("collect compares a configuration across the grid's environments", "[collect]") {
  const std::string dir = test_dir("environments");
  const std::vector<std::string> group_ids = rs::report::testing::write_environment_fixture(dir);
  CollectResult result = collect(dir);
  CHECK_FALSE(result.determinism_failed);  // two builds differ: not a failed determinism check
  CHECK_THAT(result.terminal_table, Contains("ENVIRONMENT MISMATCH: 1 run(s)"));
  json summary = read_summary(dir);
  REQUIRE(summary.at("groups").size() == 2);

  const json& sgd = group_by_id(summary, group_ids[0]);
  CHECK_FALSE(sgd.at("params").contains("environment"));
  REQUIRE(sgd.at("environments").size() == 2);
  CHECK(sgd.at("environments")[0].at("name") == "debian");
  CHECK(sgd.at("environments")[0].at("label") == "debian: Fixture CPU, torch 1.13.0");
  CHECK(sgd.at("environments")[1].at("name") == "wheel");
  // Accuracies 17 15 18 and 17 18 16 of 20: means 0.8333 and 0.85; runs from 0.75 to 0.9.
  CHECK(sgd.at("env_range").get<double>() == Approx(1.0 / 60).epsilon(1e-12));
  CHECK(sgd.at("env_range_runs").get<double>() == Approx(0.15).epsilon(1e-12));
  const json& portability = sgd.at("portability");
  CHECK(portability.at("identical") == false);
  REQUIRE(portability.at("pairs").size() == 3);  // one per seed
  const json& seed1 = portability.at("pairs")[0];
  CHECK(seed1.at("environments") == json{"debian", "wheel"});
  CHECK(seed1.at("seeds").at("init") == 1);
  CHECK(seed1.at("weights_identical") == true);
  CHECK(seed1.at("logits_identical") == true);
  CHECK(seed1.at("rel_l2_weights") == 0.0);
  for (size_t p = 1; p < 3; ++p) {
    const json& pair = portability.at("pairs")[p];
    CHECK(pair.at("weights_identical") == false);
    CHECK(pair.at("rel_l2_weights").get<double>() > 0.1);  // independent random weights
    CHECK(pair.at("disagreement_pct").get<double>() > 0);
  }

  // The terminal's summary: per pair of environments, over the seeds, by the grid's names.
  double largest = 0;
  for (const json& pair : portability.at("pairs")) largest = std::max(largest, pair.at("rel_l2_weights").get<double>());
  char largest_text[16];  // as the terminal writes it (1.25e+00), then escaped for the regex
  std::snprintf(largest_text, sizeof largest_text, "%.2e", largest);
  const std::string largest_pattern = std::regex_replace(largest_text, std::regex("[.+]"), "\\$&");
  CHECK_THAT(result.terminal_table, Contains("bitwise portability"));
  CHECK(std::regex_search(result.terminal_table,
                          std::regex(std::string("\\n1  sgd +debian +wheel +1 of 3 +") + largest_pattern + " ")));

  const json& mismatches = summary.at("environment_mismatches");
  REQUIRE(mismatches.size() == 1);
  CHECK(mismatches[0].at("environment") == "debian");
  CHECK(mismatches[0].at("problems") == json{"torch_version: expected 1.13.0, the run saw 2.11.0"});
  CHECK(group_by_id(summary, group_ids[1]).at("environments").size() == 3);  // the stray torch too
  CHECK(rs::path_exists(dir + "/results/portability.csv"));
  CHECK(rs::path_exists(dir + "/results/env.md"));
  const std::string html = rs::read_file(dir + "/results/report.html");
  CHECK_THAT(html, Contains("<section id=\"environments\">") && Contains("class=\"heat-") &&
                       Contains("ENVIRONMENT MISMATCH"));
}
