#include "report/weight_blocks.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "run_files.h"
#include "temp_dir.h"

using rs::report::same_weights;
using rs::report::scan_weights;
using rs::report::unit_l2_distances;
using rs::report::WeightsScan;
using rs::report::testing::test_record;

namespace {

std::string weights_file(const rs::testing::TempDir& dir, const std::string& run_id,
                         std::vector<float> weights) {
  rs::runfile::RunRecord record = test_record(run_id);
  record.weights_flat = std::move(weights);
  return rs::runfile::write_run_file(dir.path(), record);
}

WeightsScan scan(const std::string& path) {
  rs::runfile::RunFileReader file(path);
  return scan_weights(&file);
}

// || a / ||a|| - b / ||b|| || of two files' weights.
double distance(const rs::testing::TempDir& dir, std::vector<float> a, std::vector<float> b) {
  std::string path_a = weights_file(dir, "a", std::move(a));
  std::string path_b = weights_file(dir, "b", std::move(b));
  return unit_l2_distances({path_a, path_b},
                           {scan(path_a).norm, scan(path_b).norm})[0];
}

// n weights w[k] = sin(k * frequency), different for each frequency.
std::vector<float> waves(size_t n, double frequency) {
  std::vector<float> w(n);
  for (size_t k = 0; k < n; ++k) w[k] = static_cast<float>(std::sin(k * frequency));
  return w;
}

}  // namespace

TEST_CASE("scanning weights gives their count, norm and finiteness", "[weight_blocks]") {
  rs::testing::TempDir dir;
  WeightsScan a = scan(weights_file(dir, "a", {3, 4}));
  CHECK(a.size == 2);
  CHECK(a.norm == 5.0);
  CHECK(a.finite);
  CHECK_FALSE(scan(weights_file(dir, "b", {1, NAN})).finite);
  CHECK(scan(weights_file(dir, "c", {})).size == 0);
  CHECK_THROWS_WITH(scan(dir.path() + "/none.h5"), "no such file");
}

TEST_CASE("scanning crosses read blocks", "[weight_blocks]") {
  // More than one 2^20-weight block: the norm of 2^20 + 3 ones is sqrt(2^20 + 3).
  rs::testing::TempDir dir;
  WeightsScan ones = scan(weights_file(dir, "a", std::vector<float>((1 << 20) + 3, 1)));
  CHECK(ones.size == (1 << 20) + 3);
  CHECK(ones.norm == std::sqrt((1 << 20) + 3.0));
}

TEST_CASE("same weights means the same bytes", "[weight_blocks]") {
  rs::testing::TempDir dir;
  std::string a = weights_file(dir, "a", {0.25f, 3});
  CHECK(same_weights(a, weights_file(dir, "b", {0.25f, 3})));
  CHECK_FALSE(same_weights(a, weights_file(dir, "c", {0.25f, std::nextafter(3.0f, 4.0f)})));
  CHECK_FALSE(same_weights(a, weights_file(dir, "d", {0.25f, 3, 0})));
  // -0 equals 0 as a number but not as bytes.
  CHECK_FALSE(same_weights(weights_file(dir, "e", {0}), weights_file(dir, "f", {-0.0f})));
}

TEST_CASE("unit L2 distance ignores scale", "[weight_blocks]") {
  rs::testing::TempDir dir;
  CHECK(distance(dir, {3, 4}, {6, 8}) == 0.0);
  CHECK(distance(dir, {1, 0}, {0, 2}) == Approx(std::sqrt(2.0)).epsilon(1e-15));
  CHECK(distance(dir, {1, 0}, {-1, 0}) == 2.0);
  // (1, 1)/sqrt(2) - (1, 0) has squared length (1 - 1/sqrt(2))^2 + 1/2 = 2 - sqrt(2).
  CHECK(distance(dir, {1, 1}, {1, 0}) == Approx(std::sqrt(2 - std::sqrt(2.0))).epsilon(1e-15));
}

TEST_CASE("unit L2 distances of every pair, block by block", "[weight_blocks]") {
  // 5000 weights read in blocks of 2048 (the smallest block) must give what one pass gives.
  rs::testing::TempDir dir;
  std::vector<std::vector<float>> weights = {waves(5000, 0.1), waves(5000, 0.2),
                                             waves(5000, 0.3)};
  std::vector<std::string> paths;
  std::vector<double> norms;
  for (size_t r = 0; r < weights.size(); ++r) {
    paths.push_back(weights_file(dir, "run" + std::to_string(r), weights[r]));
    norms.push_back(scan(paths.back()).norm);
  }
  std::vector<double> blocked = unit_l2_distances(paths, norms, 3 * 12 * 2048);
  REQUIRE(blocked.size() == 3);
  size_t pair = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    for (size_t j = i + 1; j < weights.size(); ++j, ++pair) {
      double sum_sq = 0;
      for (size_t k = 0; k < 5000; ++k) {
        double d = weights[i][k] / norms[i] - weights[j][k] / norms[j];
        sum_sq += d * d;
      }
      INFO("pair " << i << ", " << j);
      CHECK(blocked[pair] == Approx(std::sqrt(sum_sq)).epsilon(1e-13));
    }
  }
  CHECK(unit_l2_distances(paths, norms) == blocked);
}
