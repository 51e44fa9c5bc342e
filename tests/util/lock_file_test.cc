// The lock file: flock between processes, the holder's line where flock does not reach, and the
// staleness rule (lock_file.h).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <memory>

#include "temp_dir.h"
#include "util/files.h"
#include "util/lock_file.h"

namespace {

// A lock file as a holder on another node, or one that died, leaves it: `line`, last touched
// `age_s` seconds ago.
void leave_lock_file(const std::string& path, const std::string& line, int age_s) {
  std::ofstream(path) << line << "\n";
  const time_t then = std::time(nullptr) - age_s;
  struct timespec times[2] = {{then, 0}, {then, 0}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

std::string this_host() { return rs::this_process_name().substr(0, rs::this_process_name().find(' ')); }

}  // namespace

TEST_CASE("one holder at a time; the file says who and is gone when it lets go") {
  rs::testing::TempDir dir;
  const std::string path = dir.path() + "/abc.lock";
  {
    REQUIRE(rs::live_lock_holder(path).empty());
    rs::LockFile first(path);
    REQUIRE(first.held());
    REQUIRE(rs::read_file(path) == rs::this_process_name() + "\n");
    REQUIRE(rs::live_lock_holder(path) == rs::this_process_name());
    rs::LockFile second(path);  // another open file: flock refuses it, even in this process
    REQUIRE_FALSE(second.held());
    REQUIRE(second.holder() == rs::this_process_name());
    REQUIRE(rs::path_exists(path));
  }
  REQUIRE_FALSE(rs::path_exists(path));
  REQUIRE(rs::live_lock_holder(path).empty());
  rs::LockFile again(path);
  REQUIRE(again.held());
}

TEST_CASE("another process holds the lock until it dies, even by SIGKILL") {
  rs::testing::TempDir dir;
  const std::string path = dir.path() + "/abc.lock";
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    rs::LockFile lock(path);
    (void)!::write(ready[1], lock.held() ? "y" : "n", 1);
    ::pause();
    ::_exit(0);
  }
  char answer = 0;
  REQUIRE(::read(ready[0], &answer, 1) == 1);
  REQUIRE(answer == 'y');
  {
    rs::LockFile mine(path);
    REQUIRE_FALSE(mine.held());
    REQUIRE(mine.holder() == this_host() + " " + std::to_string(child));
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  REQUIRE(rs::path_exists(path));  // left behind, its flock gone with the process
  REQUIRE(rs::live_lock_holder(path).empty());  // its pid is gone
  rs::LockFile mine(path);
  REQUIRE(mine.held());
  REQUIRE(rs::read_file(path) == rs::this_process_name() + "\n");
}

TEST_CASE("where flock does not reach, the holder's line decides: live, dead or stale") {
  rs::testing::TempDir dir;
  const std::string path = dir.path() + "/abc.lock";
  // Fresh and on another node: live.
  leave_lock_file(path, "node17 4242", 10);
  REQUIRE(rs::live_lock_holder(path) == "node17 4242");
  REQUIRE_FALSE(rs::LockFile(path).held());
  REQUIRE(rs::LockFile(path).holder() == "node17 4242");
  // Untouched for longer than the staleness limit: its holder died; taken over.
  leave_lock_file(path, "node17 4242", rs::kLockStaleSeconds + 5);
  REQUIRE(rs::live_lock_holder(path).empty());
  {
    rs::LockFile lock(path);
    REQUIRE(lock.held());
  }
  // Fresh, on this node, and its process alive (the test's parent): live.
  leave_lock_file(path, this_host() + " " + std::to_string(::getppid()), 10);
  REQUIRE_FALSE(rs::LockFile(path).held());
  // Fresh, on this node, its process gone: taken over at once.
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ::waitpid(gone, nullptr, 0);
  leave_lock_file(path, this_host() + " " + std::to_string(gone), 10);
  REQUIRE(rs::LockFile(path).held());
  // Empty and fresh: a holder between creating the file and writing its line.
  leave_lock_file(path, "", 1);
  REQUIRE_FALSE(rs::LockFile(path).held());
}
