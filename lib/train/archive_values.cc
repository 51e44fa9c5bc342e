#include "train/archive_values.h"

#include "train/tensors.h"

namespace rs::train {

double read_double(torch::serialize::InputArchive& archive, const std::string& key) {
  c10::IValue v;
  archive.read(key, v);
  return v.toDouble();
}

double read_double_or(torch::serialize::InputArchive& archive, const std::string& key, double fallback) {
  c10::IValue v;
  return archive.try_read(key, v) && v.isDouble() ? v.toDouble() : fallback;
}

std::string read_string(torch::serialize::InputArchive& archive, const std::string& key) {
  c10::IValue v;
  return archive.try_read(key, v) && v.isString() ? v.toStringRef() : "";
}

void read_value(torch::serialize::InputArchive& archive, const std::string& key, double* value) {
  *value = read_double(archive, key);
}

void read_value(torch::serialize::InputArchive& archive, const std::string& key, std::string* value) {
  *value = read_string(archive, key);
}

void write_series(torch::serialize::OutputArchive& archive, const std::string& key,
                  const std::vector<double>& values) {
  archive.write(key, cpu_tensor(values));
}

void write_series(torch::serialize::OutputArchive& archive, const std::string& key,
                  const std::vector<int64_t>& values) {
  archive.write(key, cpu_tensor(values));
}

void read_series(torch::serialize::InputArchive& archive, const std::string& key, std::vector<double>* values) {
  at::Tensor t;
  archive.read(key, t);
  *values = to_doubles(t);
}

void read_series(torch::serialize::InputArchive& archive, const std::string& key, std::vector<int64_t>* values) {
  at::Tensor t;
  archive.read(key, t);
  *values = to_int64s(t);
}

bool try_read_series(torch::serialize::InputArchive& archive, const std::string& key, std::vector<double>* values) {
  at::Tensor t;
  if (!archive.try_read(key, t)) return false;
  *values = to_doubles(t);
  return true;
}

}  // namespace rs::train
