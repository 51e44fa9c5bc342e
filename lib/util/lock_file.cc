#include "util/lock_file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace rs {
namespace {

std::string host_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "unknown-host";
  return host;
}

std::string read_all(int fd) {
  std::string text;
  char buf[256];
  ssize_t n;
  off_t at = 0;
  while ((n = ::pread(fd, buf, sizeof buf, at)) > 0 && text.size() < 4096) {
    text.append(buf, static_cast<size_t>(n));
    at += n;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The staleness rule of lock_file.h, for a lock file whose flock this process could take.
bool holder_is_live(const std::string& line, time_t modified) {
  if (std::time(nullptr) - modified >= kLockStaleSeconds) return false;
  std::istringstream in(line);
  std::string host;
  long pid = 0;
  if (!(in >> host >> pid) || host != host_name()) return true;  // starting, or on another node
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool same_file(int fd, const std::string& path) {
  struct stat opened, named;
  return ::fstat(fd, &opened) == 0 && ::stat(path.c_str(), &named) == 0 && opened.st_ino == named.st_ino &&
         opened.st_dev == named.st_dev;
}

}  // namespace

std::string this_process_name() { return fmt::format("{} {}", host_name(), ::getpid()); }

std::string live_lock_holder(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  struct stat st;
  const std::string line = read_all(fd);
  const bool live = ::fstat(fd, &st) == 0 && holder_is_live(line, st.st_mtime);
  ::close(fd);
  return !live ? "" : line.empty() ? "a process that is starting" : line;
}

LockFile::LockFile(std::string path) : path_(std::move(path)) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    const bool created = fd >= 0;
    if (!created) {
      if (errno != EEXIST) throw std::runtime_error(fmt::format("cannot create {}: {}", path_, std::strerror(errno)));
      fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT) continue;  // its holder just let go
      if (fd < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", path_, std::strerror(errno)));
    }
    // A process that found the file this one just created holds its flock for a moment before
    // it reads that the file is fresh and lets go: the creator waits that moment out.
    int locked = ::flock(fd, LOCK_EX | LOCK_NB);
    for (int wait = 0; created && locked != 0 && errno == EWOULDBLOCK && wait < 40; ++wait) {
      ::usleep(50000);
      locked = ::flock(fd, LOCK_EX | LOCK_NB);
    }
    if (locked != 0 && errno == EWOULDBLOCK) {
      holder_ = read_all(fd);
      if (holder_.empty()) holder_ = "a process that is starting";
      ::close(fd);
      return;
    }
    // Otherwise flock is ours, or not there (ENOLCK, EOPNOTSUPP): the holder's line decides.
    // The file may have been removed, and perhaps made anew, between open and flock.
    if (!same_file(fd, path_)) {
      ::close(fd);
      continue;
    }
    if (!created) {
      struct stat st;
      const std::string line = read_all(fd);
      if (::fstat(fd, &st) == 0 && holder_is_live(line, st.st_mtime)) {
        holder_ = line.empty() ? "a process that is starting" : line;
        ::close(fd);
        return;
      }
      ::unlink(path_.c_str());  // stale: its holder is gone; taken over by creating it anew
      ::close(fd);
      continue;
    }
    const std::string me = this_process_name() + "\n";
    if (::pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size()) || ::fsync(fd) != 0 ||
        ::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
      const std::string why = std::strerror(errno);
      ::unlink(path_.c_str());
      ::close(fd);
      throw std::runtime_error(fmt::format("cannot write {}: {}", path_, why));
    }
    fd_ = fd;
    refresher_ = std::thread([this] { refresh_until_released(); });
    return;
  }
  throw std::runtime_error(fmt::format("cannot take {}: it keeps being removed and made anew", path_));
}

void LockFile::refresh_until_released() {
  pollfd stop{stop_pipe_[0], POLLIN, 0};
  for (;;) {
    const int ready = ::poll(&stop, 1, kLockRefreshSeconds * 1000);
    if (ready > 0 || (ready < 0 && errno != EINTR)) return;  // EINTR: a signal the trainer handles
    if (ready == 0) ::futimens(fd_, nullptr);
  }
}

LockFile::~LockFile() {
  if (fd_ < 0) return;
  if (refresher_.joinable()) {
    (void)!::write(stop_pipe_[1], "x", 1);
    refresher_.join();
  }
  for (int fd : stop_pipe_)
    if (fd >= 0) ::close(fd);
  // Removed while still locked, so that no process takes the flock of a file already gone.
  if (same_file(fd_, path_)) ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace rs
