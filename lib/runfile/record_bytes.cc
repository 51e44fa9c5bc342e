#include "runfile/record_bytes.h"

#include <cstring>
#include <stdexcept>

#include "runfile/run_file_fields.h"

namespace rs::runfile {
namespace {

// Writes each field it is given to the end of `bytes`: numbers as their bytes, strings and
// vectors as their length and then their bytes.
struct ByteWriter {
  std::string* bytes;

  template <class T>
  void number(const T& value) const { append_bytes(&value, sizeof value, bytes); }
  void operator()(const char*, const int64_t& value) const { number(value); }
  void operator()(const char*, const double& value) const { number(value); }
  void operator()(const char*, const std::string& value) const {
    number(static_cast<uint64_t>(value.size()));
    bytes->append(value);
  }
  template <class T>
  void operator()(const char*, const std::vector<T>& values) const {
    number(static_cast<uint64_t>(values.size()));
    append_bytes(values.data(), values.size() * sizeof(T), bytes);
  }
};

// Reads back, field by field, what ByteWriter wrote.
struct ByteReader {
  std::string_view bytes;
  size_t* offset;

  template <class T>
  void number(T& value) const { read_bytes(bytes, offset, &value, sizeof value); }
  // A length that ByteWriter wrote, of elements of `element_size` bytes each.
  size_t length(size_t element_size) const {
    uint64_t length = 0;
    number(length);
    if (length > (bytes.size() - *offset) / element_size) throw std::runtime_error("record bytes end too soon");
    return static_cast<size_t>(length);
  }
  void operator()(const char*, int64_t& value) const { number(value); }
  void operator()(const char*, double& value) const { number(value); }
  void operator()(const char*, std::string& value) const {
    value.assign(bytes.substr(*offset, length(1)));
    *offset += value.size();
  }
  template <class T>
  void operator()(const char*, std::vector<T>& values) const {
    values.resize(length(sizeof(T)));
    read_bytes(bytes, offset, values.data(), values.size() * sizeof(T));
  }
};

// Every field of a record, for the writer and the reader alike.
template <class Record, class Visit>
void visit_record(Record& r, Visit visit) {
  visit_root_attrs(r, visit);
  visit_seeds(r, visit);
  visit_env(r, visit);
  visit_metrics(r, visit);
  visit_timing(r, visit);
  visit_energy(r, visit);
  visit_ranks(r, visit);
  visit("ranks_energy_j", r.ranks.energy_j);
  visit("n_test", r.n_test);
  visit("n_classes", r.n_classes);
  visit("logits", r.logits);
  visit("logits_tta", r.logits_tta);
  visit("labels", r.labels);
  visit("groups", r.groups);
  visit("weights_flat", r.weights_flat);
  visit("last_layer_rows", r.last_layer_rows);
  visit("last_layer_cols", r.last_layer_cols);
  visit("last_layer", r.last_layer);
}

}  // namespace

void append_bytes(const void* value, size_t size, std::string* bytes) {
  bytes->append(static_cast<const char*>(value), size);
}

void read_bytes(std::string_view bytes, size_t* offset, void* value, size_t size) {
  if (size > bytes.size() - *offset) throw std::runtime_error("record bytes end too soon");
  if (size > 0) std::memcpy(value, bytes.data() + *offset, size);
  *offset += size;
}

void append_record_bytes(const RunRecord& record, std::string* bytes) {
  const ByteWriter writer{bytes};
  visit_record(record, writer);
  writer.number(static_cast<uint64_t>(record.settings.size()));
  for (const auto& [name, value] : record.settings) {
    writer("name", name);
    writer("value", value);
  }
}

RunRecord record_from_bytes(std::string_view bytes, size_t* offset) {
  RunRecord record;
  const ByteReader reader{bytes, offset};
  visit_record(record, reader);
  uint64_t settings = 0;
  reader.number(settings);
  for (uint64_t i = 0; i < settings; ++i) {
    std::string name, value;
    reader("name", name);
    reader("value", value);
    record.settings.emplace_back(std::move(name), std::move(value));
  }
  return record;
}

}  // namespace rs::runfile
