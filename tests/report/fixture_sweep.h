// A small synthetic sweep folder for the collector's tests: plan.jsonl and run files whose
// accuracies are set exactly (k of 20 test samples right), with one group per rule the
// collector has. tests/report/check_summary.py recomputes the summary.json collected from it.
#pragma once

#include <string>
#include <vector>

namespace rs::report::testing {

inline constexpr int kFixtureTestSamples = 20;  // groups #1 to #8
inline constexpr int kLargeTestSamples = 300;   // groups #9 and #10

// The groups, in plan order (numbered as in the tables); "TTA" gives the samples right with
// test-time augmentation (/eval/logits_tta) of the runs before it that have any:
//   #1 adam, seed 0:  ND right 18 17 19 18 16, TTA 18 18 19 18 17; two D runs of 18 with equal
//                     seeds, bit-identical
//   #2 sgd, seed 0:   ND 17 18 19 (TTA 18 for the first only: no TTA SD); two D runs of 18 with
//                     equal seeds that differ -> FAILED
//   #3 sgd, algo:     four D runs 15 16 17 18 with varied seeds (TTA 17 for the first and third),
//                     no ND -> stability over d
//   #4 adam, seed 1:  ND 18 18 18 (TTA 18 17 18: no spread to reduce), D 18 (TTA 5, not a
//                     stability run) -> t = 0, p = 1
//   #5 adam, seed 2:  ND 18 18 18, D 17 -> t infinite (null), p = 0
//   #6 adam, seed 3:  one ND run of 12, no D, no energy measured
//   #7 sgd, seed 2:   ND 10 12 14, D 0 -> delta_pct null (d = 0)
//   #8 breast_cancer: binary with sub-groups and GPU times; ND 15 16 17 18, D 16; ND runs
//                     15 16 on an A100, 17 18 on a V100 with another CUDA (two environments)
// and, with 300 test samples:
//   #9 adam, seed 4:  five ND and three D runs with identical logits, 240 right (0.8, whose
//                     sum of three is not 2.4 exactly) -> t = 0, p = 1, never significant
//   #10 sgd, noise [shuffle], 10 classes: ND 250 244 256 247 253 (TTA 252 249 255 250 251),
//                     three D runs with different seeds 240 249 245 -> Welch's test
struct FixtureSweep {
  std::string dir;
  std::vector<std::string> group_ids;  // #1 .. #10
  std::string corrupt_run_id;          // #1, planned; its .h5 is not HDF5
  std::string missing_run_id;          // #1, planned; no file
  std::string partial_run_id;          // #2, planned; only a .h5.partial
  std::string diverged_run_id;         // #7, planned; NaN in its logits
  std::string nan_timing_run_id;       // #10, planned; NaN in its /timing train_s
  std::string unplanned_run_id;        // #1's parameters, complete file, not in plan.jsonl
  std::string identical_d_path;        // #1's first D run file
};

// Writes the fixture into `dir`, which is emptied first. With `wide`, every group also has its
// own weight_decay, batch_size, width and label_smoothing, so that the groups differ in eight
// parameters: the report's tables and plots must still fit (check_report_html.py).
FixtureSweep write_fixture_sweep(const std::string& dir, bool wide = false);

// A second sweep, of a grid with two environments, "wheel" (torch 2.11.0) and "debian" (1.13.0),
// each promising its torch version and one thread (sweep.json); D runs only, seeds 1 to 3:
//   #1 sgd:  wheel right 17 18 16, debian 17 15 18; seed 1 byte-identical in both, seeds 2 and
//            3 not
//   #2 adam: wheel 18 19, debian 16 19; seed 2's debian run saw torch 2.11.0 (a broken promise,
//            and so a third environment) with the wheel run's very model
// Returns the group ids.
std::vector<std::string> write_environment_fixture(const std::string& dir);

// A third sweep, of ND runs of one configuration at three world sizes and another at one:
//   #1 adam, world size 1 (no world_size in its params): right 18 17 19
//   #2 adam, world_size 2: 16 18 17
//   #3 adam, world_size 4 on 2 nodes: 17
//   #4 sgd, world size 1: 15 16
// Returns the group ids.
std::vector<std::string> write_world_size_fixture(const std::string& dir);

}  // namespace rs::report::testing
