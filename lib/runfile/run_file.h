// The run file: one HDF5 file per training run, layout version 1 (docs/run-file.md).
//
// This header is the single place in the code that knows the layout. The trainer fills a
// RunRecord and calls write_run_file(); the collector and `sweep run` read with read_run_file()
// and run_is_complete(), and the collector reads large weight vectors with RunFileReader.
// Nothing here depends on LibTorch.
//
//   /                    attrs schema, run_id, group_id, sweep_name, status, params_json, mode,
//                              replica, started_at, finished_at
//   /seeds               attrs init, shuffle, augment, dropout, bitflip (-1 = source unused)
//   /env                 attrs hostname ... slurm_account (see EnvInfo)
//   /metrics/<name>      1-D, one entry per epoch (see EpochMetrics)
//   /eval/logits         float32 [n_test, n_classes]
//   /eval/logits_tta     float32 [n_test, n_classes] (only with test-time augmentation)
//   /eval/labels         int64 [n_test]
//   /eval/groups         int64 [n_test] (only when the data set has sub-groups)
//   /weights/flat        float32 [P]
//   /weights/last_layer  float32 [epochs + 1, K]
//   /timing              attrs wall_s, train_s, eval_s, gpu_s
//   /energy              attrs gpu_j, cpu_j, method, avg_gpu_w
//   /ranks/<name>        each rank's gpu_j, cpu_j, gpu_s [R] and energy_j [R, epochs] (see
//                        RankFigures; only for runs of several ranks)
//   /settings            attrs: what the trainer set up (mode settings, device, threads,
//                        bit flip); optional, string values, beyond layout version 1's minimum
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "contract/noise_source.h"

namespace rs::runfile {

inline constexpr char kSchema[] = "reprosweep-run/1";
inline constexpr char kStatusComplete[] = "complete";
// The digest of an object's attributes; on a dataset, hdf5_io.h's "xxh3" is that of its values.
inline constexpr char kAttrsDigestAttr[] = "attrs_xxh3";

// Where and with what a run ran; "" for what does not apply (no GPU, not under SLURM).
struct EnvInfo {
  std::string hostname, user, cpu_model;
  std::string gpu_name, gpu_uuid, driver_version, cuda_version, cudnn_version;
  std::string torch_version, compiler, git_commit;
  std::string slurm_job_id, slurm_array_job_id, slurm_array_task_id;
  std::string slurm_partition, slurm_account;
};

// One entry per epoch in every vector.
struct EpochMetrics {
  std::vector<int64_t> epoch;
  std::vector<double> lr, train_loss, train_acc, test_loss, test_acc, seconds, energy_j;
};

struct Timing {
  double wall_s = 0, train_s = 0, eval_s = 0;
  double gpu_s = -1;  // -1 when no GPU was used
};

struct Energy {
  double gpu_j = 0, cpu_j = 0, avg_gpu_w = 0;
  std::string method = "none";  // nvml-counter | nvml-power | rapl | estimate | none
};

// Each rank's own figures in a run of R > 1 ranks (distributed training), by rank; empty for a
// run of one process, whose file has no /ranks. /energy gpu_j and cpu_j, /timing gpu_s and
// /metrics/energy_j are their sums over the ranks.
struct RankFigures {
  std::vector<double> gpu_j, cpu_j, gpu_s;  // [R]
  std::vector<double> energy_j;             // row-major [R, epochs]: each rank's /metrics/energy_j
  size_t size() const { return gpu_j.size(); }
};

struct RunRecord {
  std::string run_id, group_id, sweep_name;
  std::string params_json;  // canonical JSON of the run's resolved parameters
  std::string mode;         // "d" or "nd"
  int64_t replica = 0;
  std::string started_at, finished_at;  // ISO 8601 UTC
  contract::SourceSeeds seeds;  // -1 = source unused
  EnvInfo env;
  EpochMetrics metrics;

  int64_t n_test = 0, n_classes = 0;
  std::vector<float> logits;      // row-major [n_test, n_classes]
  std::vector<float> logits_tta;  // the same with test-time augmentation, or empty
  std::vector<int64_t> labels;    // [n_test]
  std::vector<int64_t> groups;    // [n_test] or empty

  std::vector<float> weights_flat;  // [P]
  int64_t last_layer_rows = 0, last_layer_cols = 0;
  std::vector<float> last_layer;  // row-major [last_layer_rows, last_layer_cols]

  Timing timing;
  Energy energy;
  RankFigures ranks;

  // Name/value pairs for /settings, e.g. {"cudnn_benchmark", "on"}, {"device", "cpu"}.
  std::vector<std::pair<std::string, std::string>> settings;
};

// Writes `record` to `<dir>/<run_id>.h5.<host>-<pid>.partial` (contract::partial_path(): this
// process's own), root attr status last, fsyncs, and renames it
// to `<dir>/<run_id>.h5` (contract/layout.h). Returns the final path. Throws std::runtime_error on any HDF5 failure
// (the partial file is removed).
std::string write_run_file(const std::string& dir, const RunRecord& record);

// What read_run_file() loads: the root attributes always, the parts below as chosen. Fields
// of a part not loaded, their sizes included, keep their defaults (empty, 0).
struct ReadParts {
  bool eval = true;        // logits, logits_tta, labels, groups, n_test, n_classes
  bool weights = true;     // weights_flat
  bool last_layer = true;  // last_layer, last_layer_rows, last_layer_cols
  bool metrics = true;     // metrics
  bool run_info = true;    // seeds, env, timing, energy, settings
};

// Why a file could not be used, for the collector's "skipped" list. The message is the reason
// alone ("missing /eval/logits"); the caller adds the path.
class RunFileError : public std::runtime_error {
 public:
  explicit RunFileError(const std::string& reason) : std::runtime_error(reason) {}
};

// Reads a complete run file. Throws RunFileError saying why when the file is missing,
// unreadable, not HDF5, of another schema, not complete, or lacks a required field.
RunRecord read_run_file(const std::string& path, const ReadParts& parts = ReadParts{});

// A complete run file, open for reading: for callers that read it in several steps, such as
// /weights/flat in blocks rather than whole (100 ResNet-18 runs have 4.4 GB of weights).
// Threads: every function of this header may be called from any thread (they take turns in
// HDF5, which is not thread-safe); one RunFileReader is used by one thread at a time.
class RunFileReader {
 public:
  // Opens the file and checks its schema and status; throws RunFileError saying why.
  explicit RunFileReader(const std::string& path);
  ~RunFileReader();
  RunFileReader(const RunFileReader&) = delete;
  RunFileReader& operator=(const RunFileReader&) = delete;

  // As read_run_file(), which is RunFileReader(path).read(parts).
  RunRecord read(const ReadParts& parts) const;

  // True when the file carries digests (written since they exist; docs/run-file.md): then
  // read() requires and checks the digest of every part it reads, and read_weights() that of
  // /weights/flat once every block has been read from the start in order.
  bool has_digests() const;

  // Visits every object of the file and all of its header, as h5py's visititems() does, so that
  // a damaged part of the file's structure that read() does not touch shows too. Throws
  // RunFileError ("corrupt: ...") naming HDF5's reason.
  void check_structure() const;

  // P, the number of weights in /weights/flat.
  int64_t weights_size();
  // Copies weights [offset, offset + count) into `out`; 0 <= offset, 1 <= count,
  // offset + count <= weights_size(). Both throw RunFileError when HDF5 fails.
  void read_weights(int64_t offset, int64_t count, float* out);

 private:
  struct Handles;  // the open file and dataset; HDF5 types stay out of this header
  std::unique_ptr<Handles> handles_;
};

// True when `path` exists, opens as HDF5 and its root `status` attr is "complete".
bool run_is_complete(const std::string& path);

// Why `record`'s times or energy cannot be added up, or "" when they can: a NaN or infinite
// /timing (wall_s, train_s, eval_s, gpu_s) or /energy (gpu_j, cpu_j, avg_gpu_w) value, which
// would turn every total it enters into NaN. `sweep collect` and `sweep energy` skip such runs
// alike.
std::string non_finite_numbers(const RunRecord& record);

}  // namespace rs::runfile
