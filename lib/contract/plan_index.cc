#include "contract/plan_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "contract/layout.h"

#include "util/files.h"

namespace rs::contract {
namespace {

constexpr char kMagic[8] = {'R', 'S', 'P', 'I', 'D', 'X', '0', '1'};
constexpr uint64_t kHeaderSize = 16;
// No line of a plan comes near this; a larger span means the index is not this plan's.
constexpr uint64_t kMaxLineBytes = 64 << 20;

void put_u64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_u64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Exactly `n` bytes at `offset`, or false.
bool read_at(int fd, void* buf, size_t n, uint64_t offset) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, static_cast<char*>(buf) + done, n - done, static_cast<off_t>(offset + done));
    if (got <= 0) return false;
    done += static_cast<size_t>(got);
  }
  return true;
}

class Fd {
 public:
  explicit Fd(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string plan_index_path(const std::string& plan_path) { return plan_path + kPlanIndexSuffix; }

void write_plan_index(const std::string& path, const std::vector<uint64_t>& line_offsets, uint64_t plan_size) {
  std::string bytes(kMagic, sizeof kMagic);
  bytes.reserve(kHeaderSize + 8 * line_offsets.size());
  put_u64(&bytes, plan_size);
  for (uint64_t offset : line_offsets) put_u64(&bytes, offset);
  OutputFile out(path);
  out.write(bytes);
  out.sync_and_close();
}

std::optional<std::string> read_indexed_line(const std::string& plan_path, int64_t index) {
  if (index < 0) return std::nullopt;
  const Fd idx(plan_index_path(plan_path));
  const Fd plan(plan_path);
  struct stat plan_stat, idx_stat;
  if (idx.get() < 0 || plan.get() < 0 || ::fstat(plan.get(), &plan_stat) != 0 || ::fstat(idx.get(), &idx_stat) != 0)
    return std::nullopt;
  const auto plan_size = static_cast<uint64_t>(plan_stat.st_size);
  const uint64_t lines = idx_stat.st_size < static_cast<off_t>(kHeaderSize)
                             ? 0
                             : (static_cast<uint64_t>(idx_stat.st_size) - kHeaderSize) / 8;
  if (static_cast<uint64_t>(index) >= lines) return std::nullopt;

  // The header, then this line's offset and the next one's (the plan's end for the last line).
  unsigned char header[kHeaderSize], offsets[16];
  const bool last = static_cast<uint64_t>(index) + 1 == lines;
  if (!read_at(idx.get(), header, kHeaderSize, 0) || std::memcmp(header, kMagic, sizeof kMagic) != 0 ||
      get_u64(header + 8) != plan_size ||
      !read_at(idx.get(), offsets, last ? 8 : 16, kHeaderSize + 8 * static_cast<uint64_t>(index)))
    return std::nullopt;
  const uint64_t begin = get_u64(offsets), end = last ? plan_size : get_u64(offsets + 8);
  if (begin >= end || end > plan_size || end - begin > kMaxLineBytes) return std::nullopt;

  std::string line(end - begin, '\0');
  if (!read_at(plan.get(), line.data(), line.size(), begin)) return std::nullopt;
  if (!line.empty() && line.back() == '\n') line.pop_back();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty() || line.find('\n') != std::string::npos) return std::nullopt;
  return line;
}

}  // namespace rs::contract
