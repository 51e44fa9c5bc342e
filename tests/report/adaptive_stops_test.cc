// Why each adaptive point stopped (adaptive_stops.h): the rule checked on the runs read, the
// reason, and which replicas no wave asked for (so not missing); from sweep.json's adaptive list
// and the groups' run ids and accuracies.
#include <catch2/catch.hpp>

#include "contract/layout.h"
#include "report/adaptive_stops.h"
#include "temp_dir.h"
#include "util/files.h"

namespace rs::report {
namespace {

// Two adaptive points of max 6 (min 2, step 2, rule 0.5 pp): runs p0-0..p0-5 and p1-0..p1-5.
struct Fixture {
  testing::TempDir dir;
  std::vector<contract::PlannedRun> planned;
  Fixture() {
    nlohmann::json sweep = {{"plan_id", "x"},
                            {"adaptive", contract::adaptive_points_json({{0, {2, 6, 2, 0.5}}, {6, {2, 6, 2, 0.5}}})}};
    write_file_atomic(contract::summary_path(dir.path()), sweep.dump());
    for (int64_t i = 0; i < 12; ++i)
      planned.push_back({i, "p" + std::to_string(i / 6) + "-" + std::to_string(i % 6), i < 6 ? "g0" : "g1"});
  }
};

GroupStats group(const std::string& id, const std::vector<std::string>& run_ids, const std::vector<double>& accuracies) {
  GroupStats g;
  g.group_id = id;
  g.nd_run_ids = run_ids;
  g.nd_accuracies = accuracies;
  return g;
}

}  // namespace

TEST_CASE("adaptive points: rule met, reached max, or open, and replicas after the last wave are not needed") {
  Fixture f;
  // g0: two runs 0.01 pp apart (half-width far below 0.5): met at 2, replicas 2-5 never asked.
  // g1: six runs that spread by whole points: max reached, nothing left over.
  const std::vector<GroupStats> groups = {
      group("g0", {"p0-0", "p0-1"}, {0.9, 0.9001}),
      group("g1", {"p1-0", "p1-1", "p1-2", "p1-3", "p1-4", "p1-5"}, {0.90, 0.95, 0.85, 0.92, 0.88, 0.97})};
  const std::vector<AdaptiveStop> stops = adaptive_stops(f.dir.path(), f.planned, groups);
  REQUIRE(stops.size() == 2);
  CHECK(stops[0].reason == StopReason::kRuleMet);
  CHECK(stops[0].mode == "nd");
  CHECK(stop_reason_text(stops[0]) == "rule met at 2 runs");
  CHECK(stops[0].not_needed_run_ids == std::vector<std::string>{"p0-2", "p0-3", "p0-4", "p0-5"});
  CHECK(stops[1].reason == StopReason::kReachedMax);
  CHECK(stop_reason_text(stops[1]) == "reached max (6 runs); rule not met");
  CHECK(stops[1].not_needed_run_ids.empty());
  CHECK(*stops[1].check.halfwidth_pp > 0.5);
  const nlohmann::json json = adaptive_stops_json(stops);
  CHECK(json[0]["stopped"] == "rule_met");
  CHECK(json[0]["not_needed_runs"] == 4);
  CHECK(json[1]["stopped"] == "reached_max");
}

TEST_CASE("an adaptive point below max without its rule is open, and its replicas stay missing") {
  Fixture f;
  // Replica 2 of g1 has no run (it failed), 3 did: the point is at its second wave, unfinished.
  const std::vector<GroupStats> groups = {group("g1", {"p1-0", "p1-1", "p1-3"}, {0.90, 0.95, 0.85})};
  const std::vector<AdaptiveStop> stops = adaptive_stops(f.dir.path(), f.planned, groups);
  REQUIRE(stops.size() == 2);
  CHECK(stops[0].reason == StopReason::kOpen);  // g0: no run read at all
  CHECK(stops[0].mode.empty());
  CHECK(stops[1].reason == StopReason::kOpen);
  CHECK(stop_reason_text(stops[1]) == "rule not met at 3 of max 6 runs: waves still to come, or runs failed");
  CHECK(stops[1].not_needed_run_ids.empty());
}

TEST_CASE("a sweep without adaptive points has no stops") {
  testing::TempDir dir;
  write_file_atomic(contract::summary_path(dir.path()), R"({"plan_id": "x"})");
  CHECK(adaptive_stops(dir.path(), {}, {}).empty());
}

}  // namespace rs::report
