#include "train/data_files.h"

#include <zlib.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "util/error.h"
#include "util/files.h"

namespace rs::train {
namespace {

constexpr int64_t kCifarPixels = 3 * 32 * 32;

// A CIFAR binary layout: each record is one byte per label, then the pixels. The last label
// is the one used.
struct CifarLayout {
  const char* name;
  std::vector<const char*> label_names;
  std::vector<int64_t> label_classes;  // how many classes each label byte has
};

const CifarLayout kCifar10 = {"CIFAR-10", {"label"}, {10}};
const CifarLayout kCifar100 = {"CIFAR-100", {"coarse label", "fine label"}, {20, 100}};

Samples read_cifar_file(const std::string& path, const CifarLayout& layout) {
  const auto label_bytes = static_cast<int64_t>(layout.label_classes.size());
  const int64_t record_size = label_bytes + kCifarPixels;
  std::string bytes = read_file(path);
  if (bytes.empty() || bytes.size() % record_size != 0)
    throw InputError(fmt::format(
        "{}: {} bytes is not a whole number of {}-byte {} records ({} label byte{} + {} pixels): "
        "truncated, or not {}'s binary version",
        path, bytes.size(), record_size, layout.name, label_bytes, label_bytes == 1 ? "" : "s", kCifarPixels,
        layout.name));
  const int64_t n = static_cast<int64_t>(bytes.size()) / record_size;
  Samples samples;
  samples.shape = {3, 32, 32};
  samples.n_classes = layout.label_classes.back();
  samples.x.resize(static_cast<size_t>(n * kCifarPixels));
  samples.y.resize(static_cast<size_t>(n));
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  for (int64_t i = 0; i < n; ++i) {
    const unsigned char* record = data + i * record_size;
    for (int64_t b = 0; b < label_bytes; ++b)
      if (record[b] >= layout.label_classes[b])
        throw InputError(fmt::format("{}: record {}: {} {} is not a class 0..{} (not {}'s layout?)", path, i,
                                     layout.label_names[b], record[b], layout.label_classes[b] - 1,
                                     layout.name));
    samples.y[i] = record[label_bytes - 1];
    float* pixels = samples.x.data() + i * kCifarPixels;
    for (int64_t j = 0; j < kCifarPixels; ++j) pixels[j] = record[label_bytes + j];
  }
  return samples;
}

std::string read_gzip_file(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw InputError(fmt::format("{}: cannot open", path));
  std::string text;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  gzclose(file);
  if (n < 0) throw InputError(fmt::format("{}: not a readable gzip file", path));
  return text;
}

// The fields of `text` between separators, empty ones included.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> fields;
  while (true) {
    size_t at = text.find(separator);
    fields.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return fields;
    text.remove_prefix(at + 1);
  }
}

// The non-empty lines of `text`, without their line ends ("\n" or "\r\n").
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

double parse_number(std::string_view field, const std::string& where) {
  double v = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (ec != std::errc() || end != field.data() + field.size() || !std::isfinite(v))
    throw InputError(fmt::format("{}: '{}' is not a number", where, field));
  return v;
}

int64_t to_label(double v, int64_t n_classes, const std::string& where) {
  if (v != std::floor(v) || v < 0 || v >= static_cast<double>(n_classes))
    throw InputError(fmt::format("{}: label {} is not a class 0..{}", where, v, n_classes - 1));
  return static_cast<int64_t>(v);
}

// Appends the CSV rows `lines` (features then label) to `samples`.
void append_csv_rows(const std::vector<std::string_view>& lines, size_t first, const std::string& path,
                     Samples& samples) {
  const size_t columns = static_cast<size_t>(samples.sample_size()) + 1;
  for (size_t i = first; i < lines.size(); ++i) {
    std::string where = fmt::format("{}:{}", path, i + 1);
    std::vector<std::string_view> fields = split(lines[i], ',');
    if (fields.size() != columns)
      throw InputError(fmt::format("{}: expected {} columns, got {}", where, columns, fields.size()));
    for (size_t j = 0; j + 1 < columns; ++j)
      samples.x.push_back(static_cast<float>(parse_number(fields[j], where)));
    samples.y.push_back(to_label(parse_number(fields.back(), where), samples.n_classes, where));
  }
}

}  // namespace

int64_t Samples::sample_size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

Samples read_digits(const std::string& path) {
  Samples samples;
  samples.shape = {1, 8, 8};
  samples.n_classes = 10;
  std::string text = read_gzip_file(path);
  append_csv_rows(split_lines(text), 0, path, samples);
  if (samples.size() == 0) throw InputError(fmt::format("{}: no samples", path));
  return samples;
}

Samples read_breast_cancer(const std::string& path) {
  std::string text = read_file(path);
  std::vector<std::string_view> lines = split_lines(text);
  if (lines.empty()) throw InputError(fmt::format("{}: empty file", path));

  // Header: number of samples, number of features, then one name per class.
  std::vector<std::string_view> header = split(lines[0], ',');
  std::string where = path + ":1";
  if (header.size() < 4)
    throw InputError(fmt::format("{}: expected 'samples,features,class names...'", where));
  const auto expected_samples = static_cast<int64_t>(parse_number(header[0], where));

  const auto n_features = static_cast<int64_t>(parse_number(header[1], where));
  if (n_features < 1) throw InputError(fmt::format("{}: {} features", where, n_features));

  Samples samples;
  samples.shape = {n_features};
  samples.n_classes = static_cast<int64_t>(header.size()) - 2;
  append_csv_rows(lines, 1, path, samples);
  if (samples.size() != expected_samples)
    throw InputError(
        fmt::format("{}: header says {} samples, file has {}", path, expected_samples, samples.size()));
  return samples;
}

Samples read_cifar10_file(const std::string& path) { return read_cifar_file(path, kCifar10); }

Samples read_cifar100_file(const std::string& path) { return read_cifar_file(path, kCifar100); }

TrainTest read_cifar10(const std::string& folder) {
  TrainTest split;
  for (int batch = 1; batch <= 5; ++batch) {
    Samples part = read_cifar10_file(fmt::format("{}/data_batch_{}.bin", folder, batch));
    if (batch == 1) {
      split.train = std::move(part);
      continue;
    }
    split.train.x.insert(split.train.x.end(), part.x.begin(), part.x.end());
    split.train.y.insert(split.train.y.end(), part.y.begin(), part.y.end());
  }
  split.test = read_cifar10_file(folder + "/test_batch.bin");
  return split;
}

TrainTest read_cifar100(const std::string& folder) {
  TrainTest split;
  split.train = read_cifar100_file(folder + "/train.bin");
  split.test = read_cifar100_file(folder + "/test.bin");
  return split;
}

}  // namespace rs::train
