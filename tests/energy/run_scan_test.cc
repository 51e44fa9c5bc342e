// Finding run files under sweep folders and other folders.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "energy/run_scan.h"
#include "energy_runs.h"
#include "runfile/example_run.h"
#include "sweep/jobs_file.h"
#include "temp_dir.h"
#include "util/error.h"
#include "util/files.h"

using rs::energy::testing::energy_run;

namespace {

void write_run(const std::string& dir, const std::string& run_id, const std::string& finished_at) {
  auto run = energy_run(run_id, "none", 0, 0, "", 1);
  run.finished_at = finished_at;
  rs::make_dirs(dir);
  rs::runfile::write_run_file(dir, run);
}

}  // namespace

TEST_CASE("run files are found recursively, each once, and the rest is listed as skipped") {
  rs::testing::TempDir root;
  const std::string sweep = root.path() + "/sweep";
  write_run(sweep + "/runs", "a", "2026-11-25T10:00:00Z");
  write_run(sweep + "/runs", "b", "2026-11-26T10:00:00Z");
  write_run(root.path() + "/loose/deeper", "c", "2026-11-27T10:00:00Z");
  std::ofstream(root.path() + "/loose/notes.h5") << "not HDF5";
  std::ofstream(sweep + "/runs/d.h5.node7-4242.partial") << "being written";
  rs::sweep::append_submission(sweep, {"local", "2026-11-25T09:00:00Z", {{"array-000.sbatch", "777", "0-1"}}, "", ""});

  rs::energy::ScannedRuns scanned =
      rs::energy::scan_runs({sweep, root.path() + "/loose", sweep + "/runs/a.h5"}, "");
  REQUIRE(scanned.runs.size() == 3);
  REQUIRE(scanned.runs[0].run_id == "c");  // path order: .../loose/deeper/c.h5 first
  REQUIRE(scanned.runs[1].run_id == "a");
  REQUIRE(scanned.skipped.size() == 1);
  REQUIRE(scanned.skipped[0].path == root.path() + "/loose/notes.h5");
  REQUIRE(scanned.skipped[0].reason.find("not an HDF5 file") == 0);
  REQUIRE(scanned.local_array_job_ids == std::set<std::string>{"777"});
}

TEST_CASE("a run file that hangs libhdf5 and one that is not UTF-8 are listed as skipped, the others read") {
  rs::testing::TempDir root;
  for (const char* run_id : {"a", "b", "c", "d"}) write_run(root.path(), run_id, "2026-11-25T10:00:00Z");
  rs::runfile::testing::make_hdf5_hang(root.path() + "/b.h5");
  rs::runfile::testing::replace_bytes(root.path() + "/c.h5", "sweep-a", "sweep\xc3(");
  rs::energy::ScannedRuns scanned = rs::energy::scan_runs({root.path()}, "", 1);
  REQUIRE(scanned.runs.size() == 2);
  CHECK(scanned.runs[0].run_id == "a");
  CHECK(scanned.runs[1].run_id == "d");
  REQUIRE(scanned.skipped.size() == 2);
  CHECK(scanned.skipped[0].reason == "unreadable: read did not finish in 1 s");
  CHECK(scanned.skipped[1].reason == "attribute sweep_name on / is not valid UTF-8");
}

TEST_CASE("runs that finished before --since are left out") {
  rs::testing::TempDir root;
  write_run(root.path(), "a", "2026-11-25T10:00:00Z");
  write_run(root.path(), "b", "2026-11-26T10:00:00Z");
  rs::energy::ScannedRuns scanned = rs::energy::scan_runs({root.path()}, "2026-11-26");
  REQUIRE(scanned.runs.size() == 1);
  REQUIRE(scanned.runs[0].run_id == "b");
  REQUIRE(scanned.before_since == 1);
  REQUIRE(rs::energy::scan_runs({root.path()}, "2026-11-25T10:00:00Z").runs.size() == 2);
  REQUIRE_THROWS_AS(rs::energy::scan_runs({root.path()}, "26.11.2026"), rs::InputError);
}

TEST_CASE("a path that does not exist is an input error") {
  rs::testing::TempDir root;
  REQUIRE_THROWS_AS(rs::energy::scan_runs({root.path() + "/absent"}, ""), rs::InputError);
}
