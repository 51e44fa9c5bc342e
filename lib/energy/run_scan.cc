#include "energy/run_scan.h"

#include <filesystem>
#include <regex>

#include "contract/layout.h"
#include "runfile/record_bytes.h"
#include "sweep/jobs_file.h"
#include "util/error.h"
#include "util/files.h"
#include "util/text.h"

namespace rs::energy {
namespace {

namespace fs = std::filesystem;

// What a walk finds: run file candidates and the folders holding a jobs.json.
struct Found {
  std::set<std::string> run_files;  // canonical paths, so each file is read once
  std::set<std::string> sweep_dirs;
};

void note_file(const fs::path& path, Found* found) {
  if (path.extension() == contract::kRunFileSuffix) found->run_files.insert(fs::weakly_canonical(path).string());
  if (path.filename() == contract::kJobsFileName) found->sweep_dirs.insert(path.parent_path().string());
}

// A folder must hold run files or be a sweep folder (plan.jsonl), which may have no runs yet:
// anything else is a mistyped path, refused rather than reported as zero energy.
void walk(const std::string& path, Found* found) {
  size_t files_before = found->run_files.size();
  for_each_file(path, [&](const fs::path& file) { note_file(file, found); });
  std::error_code error;
  if (fs::is_directory(path, error) && found->run_files.size() == files_before &&
      !fs::exists(contract::plan_path(path), error)) {
    throw InputError(printable(path) +
                     ": not a sweep folder (no plan.jsonl) and holds no run files (*.h5)");
  }
}

bool leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// ISO 8601 UTC times compare as text, so a date compares as the start of its day. The date must
// exist (no 2026-13-45) and the time be a time of day.
void check_since(const std::string& since) {
  static const std::regex iso(
      "(\\d{4})-(\\d\\d)-(\\d\\d)(T(\\d\\d):(\\d\\d)(:(\\d\\d))?Z?)?");
  std::smatch parts;
  auto bad = [&] {
    return InputError("--since: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got " +
                      printable(since));
  };
  if (!std::regex_match(since, parts, iso)) throw bad();
  int year = std::stoi(parts[1]), month = std::stoi(parts[2]), day = std::stoi(parts[3]);
  const int days_in_month[] = {31, leap_year(year) ? 29 : 28, 31, 30, 31, 30,
                               31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > days_in_month[month - 1]) throw bad();
  if (parts[4].matched && (std::stoi(parts[5]) > 23 || std::stoi(parts[6]) > 59 ||
                           (parts[8].matched && std::stoi(parts[8]) > 59))) {
    throw bad();
  }
}

}  // namespace

ScannedRuns scan_runs(const std::vector<std::string>& paths, const std::string& since, double read_timeout_s) {
  if (!since.empty()) check_since(since);
  Found found;
  for (const std::string& path : paths) walk(path, &found);

  ScannedRuns scanned;
  for (const std::string& dir : found.sweep_dirs) {
    try {
      for (const sweep::Submission& submission : sweep::read_jobs(dir))
        if (submission.kind == "local")
          for (const sweep::ArrayJob& array : submission.arrays) scanned.local_array_job_ids.insert(array.job_id);
    } catch (const InputError& e) {
      scanned.skipped.push_back({printable(contract::jobs_path(dir)), printable(e.what())});
    }
  }
  const std::vector<std::string> run_files(found.run_files.begin(), found.run_files.end());
  runfile::ReaderProcess reader(run_files, [](const std::string& path, std::string* bytes) {
    runfile::append_record_bytes(runfile::read_run_file(path, runfile::ReadParts{false, false, false}), bytes);
  }, read_timeout_s);
  for (const std::string& path : run_files) {
    runfile::ReadOutcome outcome = reader.next();
    if (!outcome.read) {
      scanned.skipped.push_back({printable(path), outcome.reason});
      continue;
    }
    size_t offset = 0;
    runfile::RunRecord run = runfile::record_from_bytes(outcome.bytes, &offset);
    if (std::string why = runfile::non_finite_numbers(run); !why.empty()) {
      scanned.skipped.push_back({printable(path), why});
    } else if (!since.empty() && run.finished_at < since) {
      ++scanned.before_since;
    } else {
      scanned.runs.push_back(std::move(run));
    }
  }
  return scanned;
}

}  // namespace rs::energy
