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

void write_doubles(torch::serialize::OutputArchive& archive, const std::string& key,
                   const std::vector<double>& values) {
  archive.write(key, cpu_tensor(values));
}

std::vector<double> read_doubles(torch::serialize::InputArchive& archive, const std::string& key) {
  at::Tensor t;
  archive.read(key, t);
  return to_doubles(t);
}

}  // namespace rs::train
