#include "runfile/reader_process.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "runfile/hdf5_lock.h"
#include "runfile/run_file.h"

namespace rs::runfile {
namespace {

using Clock = std::chrono::steady_clock;

// One message per path: a kind byte ('r' read, 'e' error), the length of the rest as 8 bytes,
// then the bytes read_one returned or the reason.
struct Header {
  char kind;
  uint64_t length;
};

bool write_all(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// The reader process: reads paths[first..] in order, writes a message for each, then exits.
[[noreturn]] void read_in_child(const std::vector<std::string>& paths, size_t first,
                                const ReaderProcess::ReadOne& read_one, int fd, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed collector leaves no reader behind
  if (getppid() != parent) _exit(1);  // it died before prctl
  // Each file's vectors are freed before the next file's are allocated, so that glibc would
  // give the memory back to the kernel and map it anew for every file: 0.5 million page
  // faults for 2,000 files of the collector benchmark. Kept instead, up to 64 MB.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  // A crash ends the reader by its signal, whatever handlers the parent installed.
  for (int fatal : {SIGPIPE, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) signal(fatal, SIG_DFL);
  std::string bytes;  // reused, as ReaderProcess::buffer_ is
  for (size_t i = first; i < paths.size(); ++i) {
    Header header{'r', 0};
    bytes.clear();
    try {
      read_one(paths[i], &bytes);
    } catch (const std::exception& e) {
      header.kind = 'e';
      bytes = e.what();
    }
    header.length = bytes.size();
    if (!write_all(fd, &header.kind, 1) || !write_all(fd, &header.length, sizeof header.length) ||
        !write_all(fd, bytes.data(), bytes.size()))
      _exit(1);
  }
  _exit(0);  // not exit(): the parent's atexit handlers and stdio buffers are the parent's
}

enum class Got { kAll, kTimeout, kEnd };

// Reads `size` bytes from `fd` unless `deadline` passes or the writer ends first.
Got read_until(int fd, void* data, size_t size, Clock::time_point deadline) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Got::kTimeout;
    pollfd wait{fd, POLLIN, 0};
    int ready = ::poll(&wait, 1, static_cast<int>(std::min<int64_t>(left.count() + 1, 60'000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Got::kEnd;
    if (ready == 0) continue;  // the loop looks at the deadline again
    ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Got::kEnd;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Got::kAll;
}

std::string how_it_ended(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return fmt::format("unreadable: the reader crashed on it (signal {}, {})", signal, strsignal(signal));
  }
  return fmt::format("unreadable: the reader stopped on it (exit status {})", WEXITSTATUS(status));
}

}  // namespace

ReaderProcess::ReaderProcess(std::vector<std::string> paths, ReadOne read_one, double timeout_s)
    : paths_(std::move(paths)), read_one_(std::move(read_one)), timeout_s_(timeout_s) {}

ReaderProcess::~ReaderProcess() {
  if (child_ > 0) stop(true);
}

void ReaderProcess::start() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(fmt::format("cannot start a reader process: pipe: {}", std::strerror(errno)));
  // Fewer wake-ups for records of a few MB; the default (64 KB) works too.
  fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
  const pid_t parent = getpid();
  pid_t pid;
  {
    // Forked while this thread holds HDF5's lock, so that no other thread of the parent is
    // inside HDF5 at that moment: the child's copy of the library is in a consistent state.
    std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
    pid = ::fork();
    if (pid == 0) {
      renew_hdf5_lock_in_child();
      ::close(fds[0]);
      read_in_child(paths_, next_, read_one_, fds[1], parent);
    }
  }
  const int fork_errno = errno;
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    throw std::runtime_error(fmt::format("cannot start a reader process: fork: {}", std::strerror(fork_errno)));
  }
  child_ = pid;
  pipe_ = fds[0];
}

int ReaderProcess::stop(bool kill_it) {
  if (kill_it) ::kill(child_, SIGKILL);
  int status = 0;
  while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(pipe_);
  child_ = -1;
  pipe_ = -1;
  return status;
}

ReadOutcome ReaderProcess::next() {
  if (next_ >= paths_.size()) throw std::logic_error("ReaderProcess::next: no paths left");
  if (child_ < 0) start();
  ++next_;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(timeout_s_));
  ReadOutcome outcome;
  Header header{};
  Got got = read_until(pipe_, &header.kind, 1, deadline);
  if (got == Got::kAll) got = read_until(pipe_, &header.length, sizeof header.length, deadline);
  if (got == Got::kAll) {
    if (buffer_.size() < header.length) buffer_.resize(header.length);
    got = read_until(pipe_, buffer_.data(), header.length, deadline);
  }
  if (got == Got::kAll) {
    outcome.read = header.kind == 'r';
    if (outcome.read)
      outcome.bytes = std::string_view(buffer_.data(), header.length);
    else
      outcome.reason.assign(buffer_.data(), header.length);
    if (next_ == paths_.size()) stop(false);  // it exits after the last message
    return outcome;
  }
  if (got == Got::kTimeout) {
    stop(true);
    outcome.reason = fmt::format("unreadable: read did not finish in {:g} s", timeout_s_);
  } else {
    outcome.reason = how_it_ended(stop(false));
  }
  return outcome;  // the next call starts a new reader at the next path
}

bool run_is_complete_in_time(const std::string& path, double timeout_s, std::string* unreadable) {
  ReaderProcess reader({path}, [](const std::string& file, std::string* bytes) {
    if (run_is_complete(file)) *bytes = "complete";
  }, timeout_s);
  ReadOutcome outcome = reader.next();
  *unreadable = outcome.reason;
  return outcome.bytes == "complete";
}

std::vector<bool> runs_complete_in_time(const std::vector<std::string>& paths, double timeout_s) {
  std::vector<bool> complete(paths.size(), false);
  std::vector<size_t> existing;
  for (size_t i = 0; i < paths.size(); ++i) {
    struct stat info;
    if (::stat(paths[i].c_str(), &info) == 0) existing.push_back(i);
  }
  if (existing.empty()) return complete;
  std::vector<std::string> to_read;
  for (size_t i : existing) to_read.push_back(paths[i]);
  ReaderProcess reader(std::move(to_read), [](const std::string& file, std::string* bytes) {
    if (run_is_complete(file)) *bytes = "complete";
  }, timeout_s);
  for (size_t i : existing) complete[i] = reader.next().bytes == "complete";
  return complete;
}

}  // namespace rs::runfile
