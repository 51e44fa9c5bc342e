#include "train/checkpoint.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>
#include <string_view>
#include <stdexcept>

#include <fmt/format.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "contract/layout.h"
#include "train/archive_values.h"
#include "util/error.h"
#include "util/files.h"
#include "util/hash.h"
#include "util/text.h"

namespace rs::train {
namespace {

using torch::serialize::InputArchive;
using torch::serialize::OutputArchive;

// The trailer after the archive: this tag, then the archive's XXH3-64, little-endian.
constexpr char kDigestTag[] = "rsdigest";
constexpr size_t kTagSize = sizeof kDigestTag - 1;
constexpr size_t kTrailerSize = kTagSize + sizeof(uint64_t);

std::string trailer_for(std::string_view archive) {
  const uint64_t digest = xxh3_64(archive.data(), archive.size());
  std::string trailer(kDigestTag, kTagSize);
  trailer.append(reinterpret_cast<const char*>(&digest), sizeof digest);
  return trailer;
}

// The archive part of a checkpoint file's bytes, or nullopt and why when its trailer is missing
// or does not match it.
std::optional<std::string_view> verified_archive(std::string_view bytes, std::string* why) {
  if (bytes.size() < kTrailerSize || bytes.substr(bytes.size() - kTrailerSize, kTagSize) != kDigestTag) {
    *why = "no digest: cut short, or written before checkpoints had one";
    return std::nullopt;
  }
  const std::string_view archive = bytes.substr(0, bytes.size() - kTrailerSize);
  if (trailer_for(archive) != bytes.substr(archive.size())) {
    *why = "digest mismatch";
    return std::nullopt;
  }
  return archive;
}

// The first line of an exception's message, printable: c10::Error's what() goes on with a C++
// backtrace on some builds, and a message may quote bytes of a corrupt file.
std::string first_line(const std::exception& e) {
  const std::string message = e.what();
  return printable(message.substr(0, message.find('\n')));
}

// Renames a corrupt checkpoint out of the way, so that it is looked at rather than read again.
std::string keep_aside(const std::string& path) {
  const std::string aside = path + contract::kCorruptSuffix;
  if (std::rename(path.c_str(), aside.c_str()) != 0)
    return fmt::format("could not rename it to {}: {}", aside, std::strerror(errno));
  return "renamed to " + aside;
}

// RunSoFar's fields under run/, each once, for the writer and the reader alike. `Run` is
// `const RunSoFar` when writing and `RunSoFar` when reading.
template <class Run, class Visit>
void visit_run_so_far(Run& run, Visit visit) {
  visit("run/started_at", run.started_at);
  visit("run/wall_s", run.wall_s);
  visit("run/gpu_j", run.gpu_j);
  visit("run/cpu_j", run.cpu_j);
  visit("run/energy_s", run.energy_s);
  visit("run/resumes", run.resumes);
}

}  // namespace

void write_checkpoint(const std::string& path, const std::string& run_id, const std::string& params_json,
                      const RunSoFar& run, const Trainer& trainer) {
  OutputArchive archive;
  archive.write("format", c10::IValue(std::string(kCheckpointFormat)));
  archive.write("run_id", c10::IValue(run_id));
  archive.write("params_json", c10::IValue(params_json));
  visit_run_so_far(run, [&](const char* key, const auto& value) { archive.write(key, c10::IValue(value)); });
  write_series(archive, "run/rank_gpu_j", run.rank_gpu_j);
  write_series(archive, "run/rank_cpu_j", run.rank_cpu_j);
  OutputArchive state(archive.compilation_unit());
  trainer.save(state);
  archive.write("trainer", state);

  std::string bytes;
  try {
    archive.save_to([&](const void* data, size_t size) {
      bytes.append(static_cast<const char*>(data), size);
      return size;
    });
  } catch (const std::exception& e) {
    throw std::runtime_error(first_line(e));
  }
  bytes += trailer_for(bytes);  // last: no checkpoint without its digest
  const std::string partial = contract::partial_path(path);
  {
    OutputFile out(partial);
    out.write(bytes);
    out.sync_and_close();
  }
  install_file(partial, path);
}

bool read_checkpoint(const std::string& path, const std::string& run_id, const std::string& params_json,
                     const c10::Device& device, RunSoFar* run, Trainer* trainer, std::string* why) {
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const InputError& e) {
    *why = "unreadable: " + first_line(e);
    return false;
  }
  std::string corrupt;
  std::optional<std::string_view> archive_bytes = verified_archive(bytes, &corrupt);
  if (!archive_bytes) {
    *why = fmt::format("corrupt ({}), {}", corrupt, keep_aside(path));
    return false;
  }
  try {
    InputArchive archive;
    archive.load_from(archive_bytes->data(), archive_bytes->size(), device);
    const std::string format = read_string(archive, "format");
    if (format != kCheckpointFormat) {
      *why = printable(fmt::format("format '{}', not {}", format, kCheckpointFormat));
      return false;
    }
    if (read_string(archive, "run_id") != run_id || read_string(archive, "params_json") != params_json) {
      *why = "it belongs to another run or to other params";
      return false;
    }
    RunSoFar so_far;
    visit_run_so_far(so_far, [&](const char* key, auto& value) { read_value(archive, key, &value); });
    // Checkpoints from before the ranks' figures: the sums alone, counted as rank 0's.
    if (!try_read_series(archive, "run/rank_gpu_j", &so_far.rank_gpu_j)) so_far.rank_gpu_j = {so_far.gpu_j};
    if (!try_read_series(archive, "run/rank_cpu_j", &so_far.rank_cpu_j)) so_far.rank_cpu_j = {so_far.cpu_j};
    InputArchive state;
    archive.read("trainer", state);
    trainer->load(state);
    *run = so_far;
    return true;
  } catch (const std::exception& e) {
    // Its digest matched: a LibTorch that cannot read what LibTorch wrote, or a bug.
    *why = fmt::format("unreadable ({}), {}", first_line(e), keep_aside(path));
    return false;
  }
}

void remove_checkpoint(const std::string& path) {
  std::remove(path.c_str());
  std::remove(contract::partial_path(path).c_str());
}

}  // namespace rs::train
