#include "runfile/reader_process.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "example_run.h"
#include "require_same.h"
#include "runfile/record_bytes.h"
#include "runfile/run_file.h"
#include "temp_dir.h"

namespace rs::runfile {
namespace {

using rs::testing::TempDir;
using testing::example_run_record;
using testing::require_same;

// A ReadOutcome with its own copy of the bytes.
struct Outcome {
  bool read;
  std::string bytes, reason;
};

// Reads what every path gives, in order.
std::vector<Outcome> read_all(const std::vector<std::string>& paths, const ReaderProcess::ReadOne& read_one,
                              double timeout_s) {
  ReaderProcess reader(paths, read_one, timeout_s);
  std::vector<Outcome> outcomes;
  for (size_t i = 0; i < paths.size(); ++i) {
    ReadOutcome outcome = reader.next();
    outcomes.push_back({outcome.read, std::string(outcome.bytes), outcome.reason});
  }
  return outcomes;
}

// Run files a1, b2 and c3 of the example record in `dir`; b2's reads hang libhdf5.
std::vector<std::string> three_run_files_one_hanging(const std::string& dir) {
  RunRecord record = example_run_record();
  std::vector<std::string> paths;
  for (const char* run_id : {"a1", "b2", "c3"}) {
    record.run_id = run_id;
    paths.push_back(write_run_file(dir, record));
  }
  testing::make_hdf5_hang(paths[1]);
  return paths;
}

TEST_CASE("the reader process hands back each path's bytes or reason, in order", "[runfile]") {
  auto outcomes = read_all({"a", "bad", "c"}, [](const std::string& path, std::string* bytes) {
    if (path == "bad") throw RunFileError("missing /eval/logits");
    *bytes = path + path;
  }, 5);
  REQUIRE(outcomes.size() == 3);
  CHECK((outcomes[0].read && outcomes[0].bytes == "aa"));
  CHECK((!outcomes[1].read && outcomes[1].reason == "missing /eval/logits"));
  CHECK((outcomes[2].read && outcomes[2].bytes == "cc"));
}

TEST_CASE("a read that does not end, or that kills the reader, costs only its own file", "[runfile]") {
  const pid_t test = getpid();
  auto outcomes = read_all({"a", "hang", "b", "crash", "c"}, [test](const std::string& path, std::string* bytes) {
    REQUIRE(getpid() != test);  // in the reader process
    if (path == "hang")
      for (;;) pause();
    if (path == "crash") raise(SIGSEGV);
    *bytes = std::string(3 << 20, path[0]);  // more than the pipe holds
  }, 0.5);
  REQUIRE(outcomes.size() == 5);
  CHECK((outcomes[0].read && outcomes[0].bytes == std::string(3 << 20, 'a')));
  CHECK(outcomes[1].reason == "unreadable: read did not finish in 0.5 s");
  CHECK((outcomes[2].read && outcomes[2].bytes == std::string(3 << 20, 'b')));
  CHECK(outcomes[3].reason == "unreadable: the reader crashed on it (signal 11, Segmentation fault)");
  CHECK((outcomes[4].read && outcomes[4].bytes == std::string(3 << 20, 'c')));
}

TEST_CASE("a run file that hangs libhdf5 is given up after the time limit, the others are read", "[runfile]") {
  TempDir dir;
  const RunRecord record = example_run_record();
  const std::vector<std::string> paths = three_run_files_one_hanging(dir.path());
  // Other threads read run files meanwhile, as the collector's do: the reader process is forked
  // while none of them is inside HDF5, and its own reads do not wait for their lock.
  std::atomic<bool> done{false};
  std::thread other([&] {
    while (!done) read_run_file(paths[0]);
  });
  const auto start = std::chrono::steady_clock::now();
  auto outcomes = read_all(paths, [](const std::string& path, std::string* bytes) {
    append_record_bytes(read_run_file(path), bytes);
  }, 1);
  done = true;
  other.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[1].reason == "unreadable: read did not finish in 1 s");
  for (size_t i : {0, 2}) {
    REQUIRE(outcomes[i].read);
    size_t offset = 0;
    RunRecord back = record_from_bytes(outcomes[i].bytes, &offset);
    CHECK(offset == outcomes[i].bytes.size());
    CHECK(back.run_id == (i == 0 ? "a1" : "c3"));
    CHECK(back.logits == record.logits);
    CHECK(back.settings == record.settings);
  }
}

TEST_CASE("run_is_complete_in_time: a run file that hangs libhdf5 is not complete", "[runfile]") {
  TempDir dir;
  const std::string path = write_run_file(dir.path(), example_run_record());
  std::string unreadable;
  CHECK(run_is_complete_in_time(path, 5, &unreadable));
  CHECK_FALSE(run_is_complete_in_time(dir.path() + "/none.h5", 5, &unreadable));
  CHECK(unreadable.empty());
  testing::make_hdf5_hang(path);
  CHECK_FALSE(run_is_complete_in_time(path, 0.5, &unreadable));
  CHECK(unreadable == "unreadable: read did not finish in 0.5 s");
}

TEST_CASE("runs_complete_in_time: one answer per path, a hanging file counts as not complete", "[runfile]") {
  TempDir dir;
  std::vector<std::string> paths = three_run_files_one_hanging(dir.path());
  paths.insert(paths.begin() + 1, dir.path() + "/none.h5");
  const auto start = std::chrono::steady_clock::now();
  CHECK(runs_complete_in_time(paths, 0.5) == std::vector<bool>{true, false, false, true});
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(runs_complete_in_time({dir.path() + "/none.h5"}, 0.5) == std::vector<bool>{false});
}

TEST_CASE("a record survives its bytes", "[runfile]") {
  RunRecord record = example_run_record();
  record.ranks.gpu_j = {1.5, 2.5};  // and each rank's figures with it
  record.ranks.cpu_j = {3.5, 0};
  record.ranks.gpu_s = {4.5, 5.5};
  record.ranks.energy_j = {1, 2, 3, 4, 5, 6};
  std::string bytes = "head";
  append_record_bytes(record, &bytes);
  size_t offset = 4;
  RunRecord back = record_from_bytes(bytes, &offset);
  CHECK(offset == bytes.size());
  require_same(back, record);
  offset = 4;
  CHECK_THROWS_WITH(record_from_bytes(std::string_view(bytes).substr(0, bytes.size() - 1), &offset),
                    "record bytes end too soon");
}

}  // namespace
}  // namespace rs::runfile
