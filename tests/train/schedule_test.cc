#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "train/schedule.h"

namespace rs::train {
namespace {

std::vector<double> rates(const contract::TrainConfig& config) {
  std::vector<double> lr;
  for (int64_t epoch = 1; epoch <= config.epochs; ++epoch) lr.push_back(learning_rate(config, epoch));
  return lr;
}

contract::TrainConfig schedule(const std::string& name, int64_t epochs) {
  contract::TrainConfig config;
  config.schedule = name;
  config.epochs = epochs;
  config.lr = 0.8;
  return config;
}

TEST_CASE("schedule: constant, with and without warm-up") {
  contract::TrainConfig config = schedule("constant", 4);
  CHECK(rates(config) == std::vector<double>{0.8, 0.8, 0.8, 0.8});
  config.warmup_epochs = 2;
  CHECK(rates(config) == std::vector<double>{0.4, 0.8, 0.8, 0.8});
}

TEST_CASE("schedule: step decays by gamma every step_size epochs after warm-up") {
  contract::TrainConfig config = schedule("step", 7);
  config.step_size = 2;
  config.gamma = 0.5;
  config.warmup_epochs = 1;
  CHECK(rates(config) == std::vector<double>{0.8, 0.8, 0.8, 0.4, 0.4, 0.2, 0.2});
}

TEST_CASE("schedule: cosine anneals from lr towards 0 over the epochs after warm-up") {
  contract::TrainConfig config = schedule("cosine", 6);
  config.warmup_epochs = 2;
  std::vector<double> lr = rates(config);
  CHECK(lr[0] == Approx(0.4));
  CHECK(lr[1] == Approx(0.8));
  CHECK(lr[2] == Approx(0.8));                // t = 0
  CHECK(lr[3] == Approx(0.8 * (1 + std::cos(M_PI / 4)) / 2));
  CHECK(lr[4] == Approx(0.4));                // t = 2 of 4: half way
  CHECK(lr[5] == Approx(0.8 * (1 + std::cos(3 * M_PI / 4)) / 2));
}

TEST_CASE("schedule: snapshot cycles restart the cosine every epochs / cycles epochs") {
  contract::TrainConfig config = schedule("cosine", 6);
  config.snapshot_cycles = 3;
  std::vector<double> lr = rates(config);
  for (int cycle = 0; cycle < 3; ++cycle) {
    CHECK(lr[2 * cycle] == Approx(0.8));
    CHECK(lr[2 * cycle + 1] == Approx(0.4));
  }
}

}  // namespace
}  // namespace rs::train
