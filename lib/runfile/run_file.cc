#include "runfile/run_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "runfile/hdf5_handle.h"
#include "runfile/hdf5_io.h"
#include "util/files.h"

namespace rs::runfile {

namespace {

// Each visit_* function below lists the fields of one part of the layout once, in file order,
// for the writer and the reader alike, so the two cannot drift apart. `Record` is
// `const RunRecord` when writing and `RunRecord` when reading; `visit(name, field)` is called
// for every field.

template <class Record, class Visit>
void visit_root_attrs(Record& r, Visit visit) {
  visit("run_id", r.run_id);
  visit("group_id", r.group_id);
  visit("sweep_name", r.sweep_name);
  visit("params_json", r.params_json);
  visit("mode", r.mode);
  visit("replica", r.replica);
  visit("started_at", r.started_at);
  visit("finished_at", r.finished_at);
}

template <class Record, class Visit>
void visit_seeds(Record& r, Visit visit) {
  visit("init", r.seeds.init);
  visit("shuffle", r.seeds.shuffle);
  visit("augment", r.seeds.augment);
  visit("dropout", r.seeds.dropout);
  visit("bitflip", r.seeds.bitflip);
}

template <class Record, class Visit>
void visit_env(Record& r, Visit visit) {
  visit("hostname", r.env.hostname);
  visit("user", r.env.user);
  visit("cpu_model", r.env.cpu_model);
  visit("gpu_name", r.env.gpu_name);
  visit("gpu_uuid", r.env.gpu_uuid);
  visit("driver_version", r.env.driver_version);
  visit("cuda_version", r.env.cuda_version);
  visit("cudnn_version", r.env.cudnn_version);
  visit("torch_version", r.env.torch_version);
  visit("compiler", r.env.compiler);
  visit("git_commit", r.env.git_commit);
  visit("slurm_job_id", r.env.slurm_job_id);
  visit("slurm_array_job_id", r.env.slurm_array_job_id);
  visit("slurm_array_task_id", r.env.slurm_array_task_id);
  visit("slurm_partition", r.env.slurm_partition);
  visit("slurm_account", r.env.slurm_account);
}

template <class Record, class Visit>
void visit_metrics(Record& r, Visit visit) {
  visit("epoch", r.metrics.epoch);
  visit("lr", r.metrics.lr);
  visit("train_loss", r.metrics.train_loss);
  visit("train_acc", r.metrics.train_acc);
  visit("test_loss", r.metrics.test_loss);
  visit("test_acc", r.metrics.test_acc);
  visit("seconds", r.metrics.seconds);
  visit("energy_j", r.metrics.energy_j);
}

template <class Record, class Visit>
void visit_timing(Record& r, Visit visit) {
  visit("wall_s", r.timing.wall_s);
  visit("train_s", r.timing.train_s);
  visit("eval_s", r.timing.eval_s);
  visit("gpu_s", r.timing.gpu_s);
}

template <class Record, class Visit>
void visit_energy(Record& r, Visit visit) {
  visit("gpu_j", r.energy.gpu_j);
  visit("cpu_j", r.energy.cpu_j);
  visit("method", r.energy.method);
  visit("avg_gpu_w", r.energy.avg_gpu_w);
}

// The rules that tie one dataset's length to another's. The writer checks them so that a bad
// record never becomes a file; the reader so that a bad file never becomes a record.
void check_lengths(const RunRecord& r, const ReadParts& parts) {
  size_t epochs = r.metrics.epoch.size();
  visit_metrics(r, [&](const char* name, const auto& values) {
    if (values.size() != epochs) {
      throw RunFileError(fmt::format("/metrics/{} has {} entries, /metrics/epoch has {}", name,
                                     values.size(), epochs));
    }
  });
  if (!parts.eval) return;
  if (static_cast<int64_t>(r.labels.size()) != r.n_test) {
    throw RunFileError(
        fmt::format("/eval/labels has {} entries, n_test is {}", r.labels.size(), r.n_test));
  }
  if (!r.groups.empty() && static_cast<int64_t>(r.groups.size()) != r.n_test) {
    throw RunFileError(
        fmt::format("/eval/groups has {} entries, n_test is {}", r.groups.size(), r.n_test));
  }
}

// Visitors that write or read each field they are given as an attribute of `object`.
struct AttrWriter {
  hid_t object;
  template <class T>
  void operator()(const char* name, const T& value) const { write_attr(object, name, value); }
};

struct AttrReader {
  hid_t object;
  template <class T>
  void operator()(const char* name, T& value) const { read_attr(object, name, &value); }
};

// Everything except the root `status`.
void write_contents(hid_t file, const RunRecord& record) {
  write_attr(file, "schema", kSchema);
  visit_root_attrs(record, AttrWriter{file});

  Hdf5Group seeds = create_group(file, "seeds");
  visit_seeds(record, AttrWriter{seeds.get()});

  Hdf5Group env = create_group(file, "env");
  visit_env(record, AttrWriter{env.get()});

  Hdf5Group metrics = create_group(file, "metrics");
  visit_metrics(record, [&](const char* name, const auto& values) {
    write_vector(metrics.get(), name, values);
  });

  Hdf5Group eval = create_group(file, "eval");
  write_matrix(eval.get(), "logits", record.n_test, record.n_classes, record.logits);
  if (!record.logits_tta.empty()) {
    write_matrix(eval.get(), "logits_tta", record.n_test, record.n_classes, record.logits_tta);
  }
  write_vector(eval.get(), "labels", record.labels);
  if (!record.groups.empty()) write_vector(eval.get(), "groups", record.groups);

  Hdf5Group weights = create_group(file, "weights");
  write_vector(weights.get(), "flat", record.weights_flat);
  write_matrix(weights.get(), "last_layer", record.last_layer_rows, record.last_layer_cols,
               record.last_layer);

  Hdf5Group timing = create_group(file, "timing");
  visit_timing(record, AttrWriter{timing.get()});

  Hdf5Group energy = create_group(file, "energy");
  visit_energy(record, AttrWriter{energy.get()});

  Hdf5Group settings = create_group(file, "settings");
  for (const auto& [name, value] : record.settings) write_attr(settings.get(), name.c_str(), value);
}

void write_hdf5_file(const std::string& path, const RunRecord& record) {
  Hdf5File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!file.valid()) {
    throw std::runtime_error("cannot create " + path + ": " + hdf5_error_message());
  }
  write_contents(file.get(), record);
  // Last, so that no file HDF5 wrote only part of can claim to be complete.
  write_attr(file.get(), "status", kStatusComplete);
  // Closing is what flushes HDF5's buffers to the file; every object in it is closed by now.
  if (file.close() < 0) {
    throw std::runtime_error("cannot close " + path + ": " + hdf5_error_message());
  }
}

Hdf5File open_read_only(const std::string& path) {
  if (!path_exists(path)) throw RunFileError("no such file");
  Hdf5File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) throw RunFileError("not an HDF5 file or corrupt: " + hdf5_error_message());
  return file;
}

// The root `status`, or "" when the writer never got as far as writing it.
std::string read_status(hid_t file) {
  if (H5Aexists(file, "status") <= 0) return "";
  std::string status;
  read_attr(file, "status", &status);
  return status;
}

// Checked before any other field, so that a foreign or unfinished file is reported as such
// rather than as a missing field.
void check_schema_and_status(hid_t file) {
  std::string schema;
  read_attr(file, "schema", &schema);
  if (schema != kSchema) {
    throw RunFileError(fmt::format("schema is {}, expected {}", schema, kSchema));
  }
  std::string status = read_status(file);
  if (status.empty()) throw RunFileError("not complete (no status)");
  if (status != kStatusComplete) {
    throw RunFileError(fmt::format("not complete (status={})", status));
  }
}

RunRecord read_contents(hid_t file, const ReadParts& parts) {
  RunRecord record;
  visit_root_attrs(record, AttrReader{file});

  if (parts.run_info) {
    Hdf5Group seeds = open_group(file, "seeds");
    visit_seeds(record, AttrReader{seeds.get()});

    Hdf5Group env = open_group(file, "env");
    visit_env(record, AttrReader{env.get()});

    Hdf5Group timing = open_group(file, "timing");
    visit_timing(record, AttrReader{timing.get()});

    Hdf5Group energy = open_group(file, "energy");
    visit_energy(record, AttrReader{energy.get()});

    if (H5Lexists(file, "settings", H5P_DEFAULT) > 0) {
      Hdf5Group settings = open_group(file, "settings");
      for (const std::string& name : attr_names(settings.get())) {
        std::string value;
        read_attr(settings.get(), name.c_str(), &value);
        record.settings.emplace_back(name, value);
      }
    }
  }
  if (parts.metrics) {
    Hdf5Group metrics = open_group(file, "metrics");
    visit_metrics(record, [&](const char* name, auto& values) {
      read_vector(metrics.get(), name, &values);
    });
  }

  if (parts.eval) {
    Hdf5Group eval = open_group(file, "eval");
    read_matrix(eval.get(), "logits", &record.n_test, &record.n_classes, &record.logits);
    if (H5Lexists(eval.get(), "logits_tta", H5P_DEFAULT) > 0) {
      int64_t rows = 0, cols = 0;
      read_matrix(eval.get(), "logits_tta", &rows, &cols, &record.logits_tta);
      if (rows != record.n_test || cols != record.n_classes) {
        throw RunFileError(fmt::format("/eval/logits_tta is {} x {}, /eval/logits {} x {}", rows,
                                       cols, record.n_test, record.n_classes));
      }
    }
    read_vector(eval.get(), "labels", &record.labels);
    if (H5Lexists(eval.get(), "groups", H5P_DEFAULT) > 0) {
      read_vector(eval.get(), "groups", &record.groups);
    }
  }
  if (parts.weights || parts.last_layer) {
    Hdf5Group weights = open_group(file, "weights");
    if (parts.weights) read_vector(weights.get(), "flat", &record.weights_flat);
    if (parts.last_layer) {
      read_matrix(weights.get(), "last_layer", &record.last_layer_rows, &record.last_layer_cols,
                  &record.last_layer);
    }
  }
  check_lengths(record, parts);
  return record;
}

}  // namespace

std::string run_file_path(const std::string& dir, const std::string& run_id) {
  return (std::filesystem::path(dir) / (run_id + ".h5")).string();
}

namespace {

// Debian's HDF5 is built without thread safety. Every call into it from this file holds this
// lock, so that the collector can read run files on one thread while it computes on others.
// Recursive: RunFileReader's methods call one another.
std::recursive_mutex& hdf5_lock() {
  static std::recursive_mutex lock;
  return lock;
}

}  // namespace

std::string write_run_file(const std::string& dir, const RunRecord& record) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  std::string path = run_file_path(dir, record.run_id);
  std::string partial = path + kPartialSuffix;
  try {
    if (record.run_id.empty() || record.run_id.find('/') != std::string::npos) {
      throw std::runtime_error(fmt::format("run_id '{}' is not a file name", record.run_id));
    }
    check_lengths(record, ReadParts{});
    write_hdf5_file(partial, record);
    fsync_path(partial);
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
      throw std::runtime_error(fmt::format("cannot rename {}: {}", partial, std::strerror(errno)));
    }
    fsync_path(dir.empty() ? "." : dir);  // makes the rename itself survive a crash
  } catch (const std::exception& e) {
    std::remove(partial.c_str());
    throw std::runtime_error(fmt::format("cannot write run file {}: {}", path, e.what()));
  }
  return path;
}

RunRecord read_run_file(const std::string& path, const ReadParts& parts) {
  return RunFileReader(path).read(parts);
}

struct RunFileReader::Handles {
  Hdf5File file;
  std::optional<Hdf5Dataset> weights;  // /weights/flat, opened when first asked for
  int64_t weights_size = 0;
};

RunFileReader::RunFileReader(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  Hdf5File file = open_read_only(path);
  check_schema_and_status(file.get());
  handles_.reset(new Handles{std::move(file), std::nullopt, 0});
}

RunFileReader::~RunFileReader() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  handles_.reset();
}

RunRecord RunFileReader::read(const ReadParts& parts) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  return read_contents(handles_->file.get(), parts);
}

int64_t RunFileReader::weights_size() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  if (!handles_->weights) {
    silence_hdf5_errors();
    Hdf5Group weights = open_group(handles_->file.get(), "weights");
    handles_->weights.emplace(open_vector(weights.get(), "flat", &handles_->weights_size));
  }
  return handles_->weights_size;
}

void RunFileReader::read_weights(int64_t offset, int64_t count, float* out) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  if (offset + count > weights_size()) {
    throw RunFileError(
        fmt::format("/weights/flat has {} entries, not {}", weights_size(), offset + count));
  }
  read_block(handles_->weights->get(), offset, count, out);
}

bool run_is_complete(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  try {
    Hdf5File file = open_read_only(path);
    return read_status(file.get()) == kStatusComplete;
  } catch (const std::exception&) {
    return false;  // missing, unreadable or not HDF5: not a finished run either way
  }
}

}  // namespace rs::runfile
