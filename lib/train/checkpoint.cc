#include "train/checkpoint.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>

#include <fmt/format.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "train/archive_values.h"
#include "util/files.h"

namespace rs::train {
namespace {

using torch::serialize::InputArchive;
using torch::serialize::OutputArchive;

constexpr char kPartialSuffix[] = ".partial";

std::string folder_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string checkpoint_path(const std::string& runs_dir, const std::string& run_id) {
  return runs_dir + "/" + run_id + ".ckpt";
}

void write_checkpoint(const std::string& path, const std::string& run_id, const std::string& params_json,
                      const RunSoFar& run, const Trainer& trainer) {
  OutputArchive archive;
  archive.write("format", c10::IValue(std::string(kCheckpointFormat)));
  archive.write("run_id", c10::IValue(run_id));
  archive.write("params_json", c10::IValue(params_json));
  archive.write("run/started_at", c10::IValue(run.started_at));
  archive.write("run/wall_s", c10::IValue(run.wall_s));
  archive.write("run/gpu_j", c10::IValue(run.gpu_j));
  archive.write("run/cpu_j", c10::IValue(run.cpu_j));
  archive.write("run/energy_s", c10::IValue(run.energy_s));
  archive.write("run/resumes", c10::IValue(run.resumes));
  OutputArchive state(archive.compilation_unit());
  trainer.save(state);
  archive.write("trainer", state);

  const std::string partial = path + kPartialSuffix;
  archive.save_to(partial);
  fsync_path(partial);
  if (std::rename(partial.c_str(), path.c_str()) != 0)
    throw std::runtime_error(fmt::format("rename {} -> {}: {}", partial, path, std::strerror(errno)));
  fsync_path(folder_of(path));
}

bool read_checkpoint(const std::string& path, const std::string& run_id, const std::string& params_json,
                     const c10::Device& device, RunSoFar* run, Trainer* trainer, std::string* why) {
  try {
    InputArchive archive;
    archive.load_from(path, device);
    const std::string format = read_string(archive, "format");
    if (format != kCheckpointFormat) {
      *why = fmt::format("format '{}', not {}", format, kCheckpointFormat);
      return false;
    }
    if (read_string(archive, "run_id") != run_id || read_string(archive, "params_json") != params_json) {
      *why = "it belongs to another run or to other params";
      return false;
    }
    RunSoFar so_far;
    so_far.started_at = read_string(archive, "run/started_at");
    so_far.wall_s = read_double(archive, "run/wall_s");
    so_far.gpu_j = read_double(archive, "run/gpu_j");
    so_far.cpu_j = read_double(archive, "run/cpu_j");
    so_far.energy_s = read_double(archive, "run/energy_s");
    so_far.resumes = read_string(archive, "run/resumes");
    InputArchive state;
    archive.read("trainer", state);
    trainer->load(state);
    *run = so_far;
    return true;
  } catch (const std::exception& e) {
    // c10::Error's what() carries a C++ backtrace on some builds: its first line says it all.
    const std::string message = e.what();
    *why = message.substr(0, message.find('\n'));
    return false;
  }
}

void remove_checkpoint(const std::string& path) {
  std::remove(path.c_str());
  std::remove((path + kPartialSuffix).c_str());
}

}  // namespace rs::train
