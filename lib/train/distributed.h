// The ranks of a distributed run (world_size > 1) and what they do together: c10d's process
// group, Gloo's on the CPU, NCCL's on CUDA, joined through c10d's TCPStore at the rendezvous
// SLURM's variables name (rendezvous.h).
//
// Data parallel training (train_loop.h) needs four collectives of them: the sum of the gradients
// (GradientSum, with the step's loss and hits appended), any() to agree on a stop, gather() of each rank's
// energy and GPU time for the run file, and the ranks' host names; with sync_batchnorm, each
// BatchNorm's sum() of its statistics (batch_norm.h). Every rank must call them in the same
// order.
//
// Faults: a rank that dies closes its connections, and the others' next collective fails at once;
// one that hangs makes them fail after kCollectiveTimeout. Either way the error names the ranks
// that did not answer (each rank that notices the failure reports to the rendezvous store and
// waits kReportWait for the others), or says that rank 0, which serves the store, is gone.
//
// Built where LibTorch has c10d and Gloo's headers are found (RS_HAVE_C10D: CMake's check in
// lib/train/CMakeLists.txt); elsewhere join() throws rs::InputError, so that a run with
// world_size > 1 fails at its start with a message that says why.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "train/rendezvous.h"

namespace rs::train {

inline constexpr std::chrono::minutes kJoinTimeout{5};         // for every rank to start
inline constexpr std::chrono::minutes kCollectiveTimeout{30};  // longer than an evaluation
inline constexpr std::chrono::seconds kReportWait{3};
inline constexpr int64_t kBucketBytes = 16 << 20;  // flat buffers of at most this size

// The sum of a figure each rank measured (gather()), added in rank order.
double sum_over_ranks(const std::vector<double>& by_rank);

class Ranks {
 public:
  // Joins the other ranks: blocks until all of them have joined, or throws after kJoinTimeout.
  // The backend is NCCL when `device` is CUDA, Gloo otherwise. `deterministic` (mode d) pins
  // NCCL's algorithm and protocol (NCCL_ALGO=Ring, NCCL_PROTO=Simple) unless the environment
  // already chose them: NCCL picks them by message size and topology otherwise.
  static std::unique_ptr<Ranks> join(const Rendezvous& where, const c10::Device& device, bool deterministic);
  ~Ranks();

  int64_t rank() const;
  int64_t size() const;
  const std::string& backend() const;             // "gloo" | "nccl"
  const std::vector<std::string>& hosts() const;  // each rank's host name, by rank
  // What the run file's /settings records of the backend: the NCCL variables and version
  // under NCCL, nothing under Gloo.
  const std::vector<std::pair<std::string, std::string>>& settings() const;

  // Replaces each tensor by its sum over the ranks. The tensors go through flat buffers of at
  // most kBucketBytes (consecutive tensors of one type share one), each summed by one
  // all-reduce: for a fixed world size, the order of the additions is fixed too.
  void sum(const std::vector<at::Tensor>& tensors);

  // True on every rank when `flag` is true on any.
  bool any(bool flag);

  // Every rank's `values` (as many on each rank), by rank, on every rank.
  std::vector<std::vector<double>> gather(const std::vector<double>& values);

  // Wall seconds this process spent in sum() and GradientSum::finish() so far: the all-reduces
  // and the waits for the other ranks that the backward pass did not hide (docs/benchmarks.md
  // measures its share of training).
  double sum_seconds() const;

 private:
  friend class GradientSum;
  struct State;
  explicit Ranks(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The sum of a model's gradients over the ranks, overlapped with the backward pass. The
// parameters are cut into buckets in reverse order (the order backward produces their
// gradients), consecutive ones of one type sharing a flat buffer of at most kBucketBytes. A hook
// on each parameter copies its gradient into its bucket as backward produces it; a bucket whose
// gradients are all in starts its all-reduce at once, on a thread of the process group, while
// backward goes on. Buckets start in their order on every rank whatever order their gradients
// come in, so the ranks' collectives (sync_batchnorm's sums among them) match, and each element
// is added in the same order every time: mode d stays byte-identical at a fixed world size.
class GradientSum {
 public:
  GradientSum(Ranks& ranks, const std::vector<at::Tensor>& parameters);  // adds the hooks
  ~GradientSum();                                                        // removes them
  GradientSum(const GradientSum&) = delete;
  GradientSum& operator=(const GradientSum&) = delete;

  // Before the backward pass: the batch's loss and hits ride in the last bucket (in the
  // parameters' type; hits are exact below 2^24).
  void start(const at::Tensor& loss, const at::Tensor& hits);
  // After it: starts the buckets no hook finished (parameters without a gradient add zeros),
  // waits for all, and writes the sums into each parameter's grad and into start()'s tensors.
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ranks->gather(values); for one process (nullptr), its own values alone.
std::vector<std::vector<double>> gather(Ranks* ranks, const std::vector<double>& values);

}  // namespace rs::train
