// Reading run files in a child process, each within a time limit, so that one bad file costs
// a line in a report rather than the report.
//
// A few changed bytes in a run file's HDF5 structure can make libhdf5 (1.10, Debian's) loop
// forever or crash: its global heap, where variable-length strings live, is read without
// checks (docs/run-file.md, "Reading"). Neither can be stopped from inside the process, so
// the reads happen in a forked reader process that works through the files in order and
// streams back what it read. The parent waits at most `timeout_s` for each file; a file that
// takes longer, or on which the reader dies, is given up ("unreadable: ...") and a new reader
// goes on from the next file.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rs::runfile {

inline constexpr double kDefaultReadTimeoutS = 20;

struct ReadOutcome {
  bool read = false;       // true: `bytes` holds what read_one wrote
  std::string_view bytes;  // valid until the next call of next()
  std::string reason;      // otherwise why not: RunFileError's message, or "unreadable: ..."
};

class ReaderProcess {
 public:
  // Runs in the reader process, for one path: appends what the parent needs of the file to
  // `bytes` (empty at the call), or throws (RunFileError, or any std::exception) saying why the
  // file is unusable. It may read run files (lib/runfile) but must not start threads.
  using ReadOne = std::function<void(const std::string& path, std::string* bytes)>;

  // Starts nothing yet: the first next() does.
  ReaderProcess(std::vector<std::string> paths, ReadOne read_one, double timeout_s = kDefaultReadTimeoutS);
  ~ReaderProcess();  // ends the reader process if it still runs
  ReaderProcess(const ReaderProcess&) = delete;
  ReaderProcess& operator=(const ReaderProcess&) = delete;

  // The outcome for the next path, in the order given; at most one call per path. Throws
  // std::runtime_error when no reader process can be started.
  ReadOutcome next();

 private:
  void start();
  // Kills (when `kill_it`) and waits for the reader; returns its wait status.
  int stop(bool kill_it);

  std::vector<std::string> paths_;
  ReadOne read_one_;
  double timeout_s_;
  size_t next_ = 0;  // the path whose outcome next() returns
  pid_t child_ = -1;
  int pipe_ = -1;    // the read end; the reader writes one message per path
  // The last message, its memory kept from call to call: a buffer of 0.5 MB allocated anew for
  // each file is mapped anew by glibc each time, 120 page faults a file.
  std::string buffer_;
};

// run_is_complete() asked in a reader process: false also when the answer does not come within
// `timeout_s` or the reader crashes (then *unreadable says so), so that a run file changed on
// disk is run again rather than hanging its trainer until the job's time limit.
bool run_is_complete_in_time(const std::string& path, double timeout_s, std::string* unreadable);

// The same for many files, asked of one reader process in turn (`sweep status`, `sweep run`):
// result[i] is true when paths[i] is a complete run file. A file that does not exist is not
// opened; one that does not answer within `timeout_s`, or crashes the reader, counts as not
// complete, so one bad file costs its run a retraining, not the command a hang.
std::vector<bool> runs_complete_in_time(const std::vector<std::string>& paths, double timeout_s);

}  // namespace rs::runfile
