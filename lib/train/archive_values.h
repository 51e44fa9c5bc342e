// Plain values in a LibTorch archive (a checkpoint's parts): numbers, strings and vectors of
// numbers under string keys. Both LibTorch 1.13 and 2.x store them as IValues or tensors.
#pragma once

#include <cstdint>
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

// read_double() or read_string() by the type of `*value`, for visitors that list the fields
// once for writing and reading (checkpoint.h).
void read_value(torch::serialize::InputArchive& archive, const std::string& key, double* value);
void read_value(torch::serialize::InputArchive& archive, const std::string& key, std::string* value);

// A vector of numbers, stored as a tensor on the CPU (float64 or int64); reading throws when
// there is none.
void write_series(torch::serialize::OutputArchive& archive, const std::string& key,
                  const std::vector<double>& values);
void write_series(torch::serialize::OutputArchive& archive, const std::string& key,
                  const std::vector<int64_t>& values);
void read_series(torch::serialize::InputArchive& archive, const std::string& key, std::vector<double>* values);
void read_series(torch::serialize::InputArchive& archive, const std::string& key, std::vector<int64_t>* values);
// The same, but false (and `*values` unchanged) when there is none (keys added later).
bool try_read_series(torch::serialize::InputArchive& archive, const std::string& key, std::vector<double>* values);

}  // namespace rs::train
