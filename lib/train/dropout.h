// Dropout whose masks come from its own generator, seeded with the dropout seed.
//
// torch::nn::Dropout draws its masks from the global generator, so it would share a stream
// with anything else that does; this one draws from nothing else and nothing else draws from
// it. In training mode each input is zeroed with probability p and the others are scaled by
// 1 / (1 - p); in eval mode, or with p = 0, the input passes unchanged and nothing is drawn.
// The mask is drawn on the CPU and then moved to the input's device, so a CPU run and a GPU
// run drop the same units.
#pragma once

#include <cstdint>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

namespace rs::train {

class Dropout : public torch::nn::Module {
 public:
  Dropout(double p, int64_t seed);

  at::Tensor forward(const at::Tensor& x);

  // Where the masks come from; a checkpoint saves and restores its state (checkpoint.h).
  at::Generator& generator() { return generator_; }

 private:
  double p_;
  at::Generator generator_;
};

}  // namespace rs::train
