#include "energy/run_scan.h"

#include <filesystem>
#include <regex>

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
  if (path.extension() == ".h5") found->run_files.insert(fs::weakly_canonical(path).string());
  if (path.filename() == "jobs.json") found->sweep_dirs.insert(path.parent_path().string());
}

// ISO 8601 UTC times compare as text, so a date compares as the start of its day.
void check_since(const std::string& since) {
  static const std::regex iso("\\d{4}-\\d\\d-\\d\\d(T\\d\\d:\\d\\d(:\\d\\d)?Z?)?");
  if (!std::regex_match(since, iso))
    throw InputError("--since: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got " + since);
}

}  // namespace

ScannedRuns scan_runs(const std::vector<std::string>& paths, const std::string& since, double read_timeout_s) {
  if (!since.empty()) check_since(since);
  Found found;
  for (const std::string& path : paths) for_each_file(path, [&](const fs::path& file) { note_file(file, &found); });

  ScannedRuns scanned;
  for (const std::string& dir : found.sweep_dirs) {
    try {
      for (const sweep::Submission& submission : sweep::read_jobs(dir))
        if (submission.kind == "local")
          for (const sweep::ArrayJob& array : submission.arrays) scanned.local_array_job_ids.insert(array.job_id);
    } catch (const InputError& e) {
      scanned.skipped.push_back({printable(dir + "/jobs.json"), printable(e.what())});
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
    if (!since.empty() && run.finished_at < since)
      ++scanned.before_since;
    else
      scanned.runs.push_back(std::move(run));
  }
  return scanned;
}

}  // namespace rs::energy
