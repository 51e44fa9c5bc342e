// The checkpoint of a run in progress, `<runs-dir>/<run_id>.ckpt` (contract/layout.h): everything a new trainer
// process needs to go on exactly where the last one stopped.
//
// The file is a LibTorch archive (torch::serialize, a zip file) followed by a 16-byte trailer:
// "rsdigest" and the XXH3-64 of the archive (8 bytes, little-endian), written last and checked
// before anything in the file is used. The archive holds
//   format       "reprosweep-checkpoint/2" (/1 held dropout generators: its runs drew masks
//                and crops another way, so a /1 checkpoint is ignored, not resumed)
//   run_id       the run it belongs to
//   params_json  the run's params, canonical JSON as in its run file
//   run/...      RunSoFar: what the run record adds up over processes
//   trainer/...  Trainer::save(): model, optimizer, generators, data position, metrics so far
// A checkpoint is used only when its digest matches and all three header fields match the run
// exactly, so neither a changed byte on disk nor a changed plan line resumes a run from a state
// it never had. A checkpoint that is corrupt (digest mismatch, no digest, cut short, unreadable)
// is renamed to `<path>.corrupt`, kept for a look, and the run starts from scratch.
//
// It is written through `<path>.<host>-<pid>.partial` (contract::partial_path(): a name of this
// process's own), fsync and rename (and an fsync of the folder), so a crash at any moment leaves
// the previous checkpoint or the new one, never half of one.
#pragma once

#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "train/train_loop.h"

namespace rs::train {

inline constexpr char kCheckpointFormat[] = "reprosweep-checkpoint/2";

// What the run record sums over the processes a run took, up to the checkpoint.
struct RunSoFar {
  std::string started_at;  // ISO 8601 UTC: when the first process started
  double wall_s = 0;       // earlier processes' wall time, each up to its last checkpoint
  double gpu_j = 0, cpu_j = 0, energy_s = 0;  // energy measured by earlier meters, and over how long
  std::vector<double> rank_gpu_j, rank_cpu_j;  // each rank's part of gpu_j and cpu_j, by rank
  std::string resumes;     // "epoch E batch B" for each resume so far, separated by "; "
};

// Writes the checkpoint atomically. Throws std::runtime_error, its message one line, on failure.
void write_checkpoint(const std::string& path, const std::string& run_id, const std::string& params_json,
                      const RunSoFar& run, const Trainer& trainer);

// Loads the checkpoint at `path` (its tensors onto `device`) into `run` and `trainer`. Returns
// false and says why in `*why` (one line of printable text) when the file is corrupt (then
// renamed to `<path>.corrupt`), is of another format or belongs to another run or other
// params. `run` then is unchanged; `trainer` too, unless the file failed after its header
// matched: then start from a new one.
bool read_checkpoint(const std::string& path, const std::string& run_id, const std::string& params_json,
                     const c10::Device& device, RunSoFar* run, Trainer* trainer, std::string* why);

// Removes the checkpoint and this process's `.partial` of it (not a `.corrupt` one); a missing
// file is fine.
void remove_checkpoint(const std::string& path);

}  // namespace rs::train
