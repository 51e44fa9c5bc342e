#include "report/weight_blocks.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "report/pairs.h"
#include "util/parallel.h"
#include "runfile/run_file.h"
#include "stats/pairwise.h"

namespace rs::report {

namespace {

// Weights read at a time by the single-run passes.
constexpr int64_t kScanBlock = int64_t{1} << 20;

// Weights compared by all pairs before moving on: 2048 doubles (16 KB) per run, so that the
// piece of every run of a 100-run group (1.6 MB) stays in the cache while the pairs reuse it.
constexpr int64_t kPairBlock = 2048;

}  // namespace

WeightsScan scan_weights(runfile::RunFileReader* file) {
  WeightsScan scan;
  scan.size = file->weights_size();
  std::vector<float> block(static_cast<size_t>(std::min(kScanBlock, scan.size)));
  double sum_sq = 0;
  for (int64_t offset = 0; offset < scan.size; offset += kScanBlock) {
    int64_t count = std::min(kScanBlock, scan.size - offset);
    file->read_weights(offset, count, block.data());
    sum_sq += stats::dot_product(block.data(), block.data(), count);
  }
  // A NaN or infinite weight makes the sum of squares NaN or infinite, and finite float32
  // weights cannot: each square is below 1.2e77, and a double holds up to 1.8e308.
  scan.finite = std::isfinite(sum_sq);
  scan.norm = std::sqrt(sum_sq);
  return scan;
}

bool same_weights(const std::string& path_a, const std::string& path_b) {
  runfile::RunFileReader a(path_a), b(path_b);
  const int64_t size = a.weights_size();
  if (b.weights_size() != size) return false;
  std::vector<float> block_a(static_cast<size_t>(std::min(kScanBlock, size)));
  std::vector<float> block_b(block_a.size());
  for (int64_t offset = 0; offset < size; offset += kScanBlock) {
    int64_t count = std::min(kScanBlock, size - offset);
    a.read_weights(offset, count, block_a.data());
    b.read_weights(offset, count, block_b.data());
    if (std::memcmp(block_a.data(), block_b.data(), count * sizeof(float)) != 0) return false;
  }
  return true;
}

std::vector<double> unit_l2_distances(const std::vector<std::string>& paths,
                                      const std::vector<double>& norms, int64_t block_bytes) {
  const int64_t n = static_cast<int64_t>(paths.size());
  const int64_t size = runfile::RunFileReader(paths[0]).weights_size();
  // Every run's block, as read (float) and unit-normalised (double), is held at once, within
  // block_bytes.
  const int64_t block = std::min(size, std::max(kPairBlock, block_bytes / (n * 12)));
  // Run r's block starts at r * block. Not zeroed first (new[], not std::vector): every value
  // is read or computed before use, and zeroing them cost 5 % of a 10,000-run collect.
  std::unique_ptr<float[]> raw(new float[n * block]);
  std::unique_ptr<double[]> unit(new double[n * block]);
  std::vector<double> sum_sq(pair_count(n), 0.0);

  for (int64_t offset = 0; offset < size; offset += block) {
    int64_t count = std::min(block, size - offset);
    for (int64_t r = 0; r < n; ++r) {
      // Opened for each block, so that no group is too large for the open-file limit.
      runfile::RunFileReader(paths[r]).read_weights(offset, count, &raw[r * block]);
    }
    parallel_for(n, [&](int64_t r) {
      for (int64_t k = 0; k < count; ++k) unit[r * block + k] = raw[r * block + k] / norms[r];
    });
    for (int64_t start = 0; start < count; start += kPairBlock) {
      int64_t length = std::min(kPairBlock, count - start);
      // Each pair's sum grows piece by piece in this order, whichever thread adds to it.
      parallel_for(n, [&](int64_t i) {
        for (int64_t j = i + 1; j < n; ++j) {
          sum_sq[pair_index(i, j, n)] += stats::squared_distance(
              &unit[i * block + start], &unit[j * block + start], length);
        }
      });
    }
  }
  std::vector<double> distances;
  for (double s : sum_sq) distances.push_back(std::sqrt(s));
  return distances;
}

}  // namespace rs::report
