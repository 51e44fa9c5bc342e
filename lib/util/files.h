// Small file helpers. Everything the tools write that a later step reads is written atomically:
// a crash leaves either the old file or the new one, never half of one.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rs {

// Reads a whole file; throws InputError naming the path when it cannot be read.
std::string read_file(const std::string& path);

// Writes `content` to `path` via `path.tmp.<pid>`, fsync, then install_file().
void write_file_atomic(const std::string& path, const std::string& content);

// Puts `written`, a complete file already fsync()ed, in the place of `path`: rename, then an
// fsync of the folder, so that after a crash `path` is the old file or the new one, whole.
// Every file the tools replace goes this way (write_file_atomic, plan.jsonl and its index, run
// files, checkpoints). Throws std::runtime_error ("cannot rename A to B: ...") and removes
// `written` when the rename fails.
void install_file(const std::string& written, const std::string& path);

struct FileToWrite {
  std::string path, content;
  unsigned mode = 0644;  // permission bits, set before the file appears under `path`
};

// write_file_atomic() for many files at once, with one flush for all of them (for a plan's
// hundreds of array scripts, where a fsync per file costs seconds), in two steps so that a
// caller can still decide in between not to replace the old files:
// stage_files() writes every file under its temporary name and flushes the file system once
// (syncfs); install_staged_files() renames each into place and fsyncs each directory once;
// discard_staged_files() removes the temporaries instead.
void stage_files(const std::vector<FileToWrite>& files);
void install_staged_files(const std::vector<FileToWrite>& files);
void discard_staged_files(const std::vector<FileToWrite>& files);

// A file written in pieces, for outputs too large to hold in memory. Throws
// std::runtime_error naming the path on any failure.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);  // created or truncated
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(const std::string& bytes);
  // Asks the kernel to start writing what has been written so far to disk, without waiting.
  void start_writeback();
  // fsync, then close.
  void sync_and_close();

 private:
  std::string path_;
  int fd_ = -1;
};

// Asks the kernel to start reading `path` into the page cache and returns at once (a hint:
// errors are ignored). For the collector, which reads the next group's files this way while
// it works on the current group's, so that the disk always has requests queued.
void prefetch_file(const std::string& path);

// fsync()s a file or directory by path; throws std::runtime_error on failure.
void fsync_path(const std::string& path);

// mkdir -p; throws std::runtime_error naming the path on failure.
void make_dirs(const std::string& path);

bool path_exists(const std::string& path);

// Calls visit() for every regular file at `path`: the file itself, or every file in the folder
// and its subfolders (those it may not read are left out). Throws InputError when `path` does
// not exist.
void for_each_file(const std::string& path, const std::function<void(const std::filesystem::path&)>& visit);

// True when both files exist and hold the same bytes.
bool files_equal(const std::string& a, const std::string& b);

// Absolute, normalised form of `path` (need not exist).
std::string absolute_path(const std::string& path);

}  // namespace rs
