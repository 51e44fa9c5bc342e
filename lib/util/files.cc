#include "util/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <algorithm>
#include <set>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "util/error.h"

namespace rs {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void fsync_path(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(fmt::format("{}: open for fsync: {}", path, std::strerror(errno)));
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error(fmt::format("{}: fsync: {}", path, std::strerror(saved)));
}

OutputFile::OutputFile(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void OutputFile::write(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(fmt::format("{}: write: {}", path_, std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
}

void OutputFile::start_writeback() {
#ifdef SYNC_FILE_RANGE_WRITE
  ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);  // only a hint: failure changes nothing
#endif
}

void OutputFile::sync_and_close() {
  int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0) {
    int saved = errno;
    ::close(fd);
    throw std::runtime_error(fmt::format("{}: fsync: {}", path_, std::strerror(saved)));
  }
  if (::close(fd) != 0) throw std::runtime_error(fmt::format("{}: close: {}", path_, std::strerror(errno)));
}

void prefetch_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
  ::close(fd);
}

namespace {

std::string temporary_path(const std::string& path) { return fmt::format("{}.tmp.{}", path, ::getpid()); }

std::string parent_dir(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

void write_temporary(const std::string& tmp, const std::string& content, unsigned mode) {
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error(fmt::format("{}: write failed", tmp));
  if (::chmod(tmp.c_str(), mode) != 0)
    throw std::runtime_error(fmt::format("{}: chmod: {}", tmp, std::strerror(errno)));
}

void rename_into_place(const std::string& tmp, const std::string& path) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(saved)));
  }
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  std::string tmp = temporary_path(path);
  write_temporary(tmp, content, 0644);
  fsync_path(tmp);
  install_file(tmp, path);
}

void install_file(const std::string& written, const std::string& path) {
  rename_into_place(written, path);
  fsync_path(parent_dir(path));
}

void stage_files(const std::vector<FileToWrite>& files) {
  if (files.empty()) return;
  for (const auto& file : files) write_temporary(temporary_path(file.path), file.content, file.mode);
  int fd = ::open(parent_dir(files[0].path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(fmt::format("{}: open: {}", files[0].path, std::strerror(errno)));
  int rc = ::syncfs(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error(fmt::format("syncfs: {}", std::strerror(saved)));
}

void install_staged_files(const std::vector<FileToWrite>& files) {
  std::set<std::string> dirs;
  for (const auto& file : files) {
    rename_into_place(temporary_path(file.path), file.path);
    dirs.insert(parent_dir(file.path));
  }
  for (const auto& dir : dirs) fsync_path(dir);
}

void discard_staged_files(const std::vector<FileToWrite>& files) {
  for (const auto& file : files) ::unlink(temporary_path(file.path).c_str());
}

void make_dirs(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot create directory: {}", path, ec.message()));
}

bool path_exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

void for_each_file(const std::string& path, const std::function<void(const fs::path&)>& visit) {
  std::error_code error;
  if (!fs::exists(path, error)) throw InputError(path + ": no such file or folder");
  if (!fs::is_directory(path, error)) {
    visit(path);
    return;
  }
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file(error)) visit(entry.path());
  }
}

bool files_equal(const std::string& a, const std::string& b) {
  std::error_code ec_a, ec_b;
  if (fs::file_size(a, ec_a) != fs::file_size(b, ec_b) || ec_a || ec_b) return false;
  std::ifstream in_a(a, std::ios::binary), in_b(b, std::ios::binary);
  std::vector<char> block_a(1 << 20), block_b(1 << 20);
  while (in_a && in_b) {
    in_a.read(block_a.data(), static_cast<std::streamsize>(block_a.size()));
    in_b.read(block_b.data(), static_cast<std::streamsize>(block_b.size()));
    if (in_a.gcount() != in_b.gcount() ||
        !std::equal(block_a.begin(), block_a.begin() + in_a.gcount(), block_b.begin()))
      return false;
  }
  return true;
}

std::string absolute_path(const std::string& path) {
  return fs::absolute(path).lexically_normal().string();
}

}  // namespace rs
