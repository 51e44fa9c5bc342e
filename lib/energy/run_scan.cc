#include "energy/run_scan.h"

#include <cmath>
#include <filesystem>
#include <regex>
#include <utility>

#include <fmt/format.h>

#include "sweep/jobs_file.h"
#include "util/error.h"

namespace rs::energy {
namespace {

namespace fs = std::filesystem;

// What a walk finds: run file candidates and the folders holding a jobs.json.
struct Found {
  std::set<std::string> run_files;  // canonical paths, so each file is read once
  std::set<std::string> sweep_dirs;
};

void note_file(const fs::path& path, Found* found) {
  if (path.extension() == ".h5") found->run_files.insert(fs::weakly_canonical(path).string());
  if (path.filename() == "jobs.json") found->sweep_dirs.insert(path.parent_path().string());
}

// A folder must hold run files or be a sweep folder (plan.jsonl), which may have no runs yet:
// anything else is a mistyped path, refused rather than reported as zero energy.
void walk(const std::string& path, Found* found) {
  std::error_code error;
  if (!fs::exists(path, error)) throw InputError(path + ": no such file or folder");
  if (!fs::is_directory(path, error)) {
    note_file(path, found);
    return;
  }
  size_t files_before = found->run_files.size();
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file(error)) note_file(entry.path(), found);
  }
  if (found->run_files.size() == files_before && !fs::exists(fs::path(path) / "plan.jsonl", error)) {
    throw InputError(path + ": not a sweep folder (no plan.jsonl) and holds no run files (*.h5)");
  }
}

// A NaN or infinite time or energy would make every total it enters NaN.
std::string unusable_numbers(const runfile::RunRecord& run) {
  for (auto [name, value] : {std::pair{"/timing wall_s", run.timing.wall_s},
                             {"/energy gpu_j", run.energy.gpu_j},
                             {"/energy cpu_j", run.energy.cpu_j}}) {
    if (!std::isfinite(value)) return fmt::format("{} is {}, not a number", name, value);
  }
  return "";
}

bool leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// ISO 8601 UTC times compare as text, so a date compares as the start of its day. The date must
// exist (no 2026-13-45) and the time be a time of day.
void check_since(const std::string& since) {
  static const std::regex iso(
      "(\\d{4})-(\\d\\d)-(\\d\\d)(T(\\d\\d):(\\d\\d)(:(\\d\\d))?Z?)?");
  std::smatch parts;
  auto bad = [&] {
    return InputError(
        "--since: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got " + since);
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

ScannedRuns scan_runs(const std::vector<std::string>& paths, const std::string& since) {
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
      scanned.skipped.push_back({dir + "/jobs.json", e.what()});
    }
  }
  for (const std::string& path : found.run_files) {
    try {
      runfile::RunRecord run = runfile::read_run_file(path, runfile::ReadParts{false, false, false});
      if (std::string why = unusable_numbers(run); !why.empty()) {
        scanned.skipped.push_back({path, why});
      } else if (!since.empty() && run.finished_at < since)
        ++scanned.before_since;
      else
        scanned.runs.push_back(std::move(run));
    } catch (const runfile::RunFileError& e) {
      scanned.skipped.push_back({path, e.what()});
    }
  }
  return scanned;
}

}  // namespace rs::energy
