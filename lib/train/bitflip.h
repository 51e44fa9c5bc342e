// The "random bit change" noise source: one trainable weight moves by one ULP after init.
//
// A generator seeded with the bitflip seed draws, in this order, an index into the flat
// parameter vector (every trainable element in /weights/flat order, biases and BatchNorm
// included, each equally likely) and a direction. The weight v at that index becomes
// std::nextafter(v, +inf) or std::nextafter(v, -inf): the smallest change float32 allows.
// Applied on the CPU right after init_parameters(), before the model moves to its device.
#pragma once

#include <cstdint>

#include <torch/nn/module.h>

namespace rs::train {

struct BitFlip {
  int64_t index = -1;  // into /weights/flat
  bool up = false;     // towards +inf
  float old_value = 0, new_value = 0;
};

// Throws std::logic_error when a parameter is not a contiguous float32 CPU tensor.
BitFlip flip_one_weight(torch::nn::Module& model, int64_t seed);

}  // namespace rs::train
