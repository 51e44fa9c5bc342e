// An exclusive lock held through a file, for one process at a time among many on many nodes
// (the trainer's `<run_id>.lock`: no run is trained by two processes at once).
//
// The lock is flock(2) on the file, and the file says who holds it: "<host> <pid>\n". flock
// alone decides where it works across the nodes that share the folder (a local disk, Lustre
// or GPFS with flock, NFSv4); where it is per node (NFS mounted with local_lock) or not there
// at all (ENOLCK), the holder's line decides, by this rule:
//   - the holder refreshes the file's modification time every kLockRefreshSeconds while it
//     holds the lock, so a lock file untouched for kLockStaleSeconds is stale: its holder died
//     (or its node did) without removing it;
//   - a fresh lock file naming this host is live while that pid exists here (so a holder
//     killed with SIGKILL frees the lock at once on its own node);
//   - a fresh one naming another host is live;
// and a stale one is taken over (removed and created anew). The holder removes the file when
// it lets go. Taking over after a crash is the one step two processes could race in, each
// removing the other's new file, and only where flock is per node.
#pragma once

#include <string>
#include <thread>

namespace rs {

inline constexpr int kLockRefreshSeconds = 60;
inline constexpr int kLockStaleSeconds = 300;

class LockFile {
 public:
  // Tries once to take the lock at `path` (its folder must exist). held() tells whether it did;
  // when not, holder() says who has it ("host pid 123"). Throws std::runtime_error when the
  // file cannot be created or read.
  explicit LockFile(std::string path);
  ~LockFile();  // lets go: removes the file, then unlocks
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

  bool held() const { return fd_ >= 0; }
  const std::string& holder() const { return holder_; }

 private:
  void refresh_until_released();

  std::string path_;
  int fd_ = -1;
  std::string holder_;
  int stop_pipe_[2] = {-1, -1};  // written to by the destructor: the refresh thread ends
  std::thread refresher_;
};

// "<host> <pid>": how this process names itself in a lock file.
std::string this_process_name();

// Who holds the lock at `path` by the holder's line and the rule above ("" when no one does),
// read without taking the lock: a probe that took flock for a moment could turn away a process
// that tries to take it then. Where flock reaches, a holder that died is seen as gone by its
// pid (same node) or once its file is stale (another node).
std::string live_lock_holder(const std::string& path);

}  // namespace rs
