// Plain values in a LibTorch archive (a checkpoint's parts): numbers, strings and vectors of
// doubles under string keys. Both LibTorch 1.13 and 2.x store them as IValues or tensors.
#pragma once

#include <string>
#include <vector>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

namespace rs::train {

// The double at `key`; throws (LibTorch's c10::Error) when there is none.
double read_double(torch::serialize::InputArchive& archive, const std::string& key);
// The same, or `fallback` when there is none (keys added after checkpoints were first written).
double read_double_or(torch::serialize::InputArchive& archive, const std::string& key, double fallback);

// The string at `key`, or "" when there is none or it is not a string.
std::string read_string(torch::serialize::InputArchive& archive, const std::string& key);

// A vector of doubles, stored as a float64 tensor on the CPU.
void write_doubles(torch::serialize::OutputArchive& archive, const std::string& key,
                   const std::vector<double>& values);
std::vector<double> read_doubles(torch::serialize::InputArchive& archive, const std::string& key);

}  // namespace rs::train
