#include "energy/run_scan.h"

#include <filesystem>
#include <regex>

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

void walk(const std::string& path, Found* found) {
  std::error_code error;
  if (!fs::exists(path, error)) throw InputError(path + ": no such file or folder");
  if (!fs::is_directory(path, error)) {
    note_file(path, found);
    return;
  }
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file(error)) note_file(entry.path(), found);
  }
}

// ISO 8601 UTC times compare as text, so a date compares as the start of its day.
void check_since(const std::string& since) {
  static const std::regex iso("\\d{4}-\\d\\d-\\d\\d(T\\d\\d:\\d\\d(:\\d\\d)?Z?)?");
  if (!std::regex_match(since, iso))
    throw InputError("--since: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got " + since);
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
      if (!since.empty() && run.finished_at < since)
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
