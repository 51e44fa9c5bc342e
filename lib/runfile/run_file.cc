#include "runfile/run_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contract/layout.h"
#include "runfile/hdf5_handle.h"
#include "runfile/hdf5_io.h"
#include "runfile/hdf5_lock.h"
#include "runfile/run_file_fields.h"
#include "util/files.h"
#include "util/hash.h"
#include "util/text.h"

namespace rs::runfile {

namespace {

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
  if (parts.run_info) {
    const size_t ranks = r.ranks.size();
    visit_ranks(r, [&](const char* name, const auto& values) {
      if (values.size() != ranks)
        throw RunFileError(fmt::format("/ranks/{} has {} entries, /ranks/gpu_j has {}", name, values.size(), ranks));
    });
    if (parts.metrics && r.ranks.energy_j.size() != ranks * epochs)
      throw RunFileError(fmt::format("/ranks/energy_j has {} entries, not {} ranks x {} epochs",
                                     r.ranks.energy_j.size(), ranks, epochs));
  }
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

// The digest of an object's attributes (attribute kAttrsDigestAttr), fed one attribute at a
// time in the layout's order: its name and a NUL byte, then for a string 's', its UTF-8 bytes
// and a NUL byte; for an integer 'i' and its 8 bytes as int64; for a float 'f' and its 8 bytes
// as float64, all little-endian (docs/run-file.md).
class AttrsDigest {
 public:
  void add(const char* name, const std::string& value) {
    add_name(name, 's');
    stream_.add(value.c_str(), value.size() + 1);
  }
  void add(const char* name, int64_t value) { add_number(name, 'i', &value); }
  void add(const char* name, double value) { add_number(name, 'f', &value); }
  uint64_t value() const { return stream_.value(); }

 private:
  void add_name(const char* name, char type) {
    stream_.add(name, std::strlen(name) + 1);
    stream_.add(&type, 1);
  }
  void add_number(const char* name, char type, const void* value) {
    add_name(name, type);
    stream_.add(value, 8);
  }
  Xxh3Stream stream_;
};

// The digest of the attributes `fields(add)` goes through, with add(name, value) as the
// visit_* functions call their visitor.
template <class Fields>
uint64_t attrs_digest(Fields fields) {
  AttrsDigest digest;
  fields([&](const char* name, const auto& value) { digest.add(name, value); });
  return digest.value();
}

template <class Record>
uint64_t root_digest(Record& record) {
  return attrs_digest([&](auto add) {
    add("schema", std::string(kSchema));
    visit_root_attrs(record, add);
  });
}

// /env environment (docs/run-file.md): the grid's environment the run was planned in, as its
// params name it; "" for a run of a grid without environments, whose file has no such attribute
// and so keeps the layout and digest it always had.
std::string params_environment(const std::string& params_json) {
  const nlohmann::json params = nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false);
  if (!params.is_object()) return "";
  const auto it = params.find("environment");
  return it != params.end() && it->is_string() ? it->get<std::string>() : "";
}

// /env's attributes: every field of visit_env, and `environment` where the file has one.
template <class Record>
uint64_t env_digest(Record& record, const std::string& environment) {
  return attrs_digest([&](auto add) {
    visit_env(record, add);
    if (!environment.empty()) add("environment", environment);
  });
}

// /settings in name order, the order in which HDF5 lists them back.
uint64_t settings_digest(std::vector<std::pair<std::string, std::string>> settings) {
  std::sort(settings.begin(), settings.end());
  return attrs_digest([&](auto add) {
    for (const auto& [name, value] : settings) add(name.c_str(), value);
  });
}

// Checks attrs_xxh3 of `object` against `computed`, the digest of the attributes as read.
// `required`: the file has digests, so every group must have one.
void check_attrs_digest(hid_t object, uint64_t computed, bool required) {
  if (!has_attr(object, kAttrsDigestAttr)) {
    if (required) throw RunFileError("corrupt: no attribute digest on " + object_path(object));
    return;
  }
  uint64_t stored = 0;
  read_attr(object, kAttrsDigestAttr, &stored);
  if (stored != computed)
    throw RunFileError("corrupt: digest mismatch of the attributes of " + object_path(object));
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
  write_attr(file, kAttrsDigestAttr, root_digest(record));

  Hdf5Group seeds = create_group(file, "seeds");
  visit_seeds(record, AttrWriter{seeds.get()});
  write_attr(seeds.get(), kAttrsDigestAttr, attrs_digest([&](auto add) { visit_seeds(record, add); }));

  Hdf5Group env = create_group(file, "env");
  visit_env(record, AttrWriter{env.get()});
  const std::string environment = params_environment(record.params_json);
  if (!environment.empty()) write_attr(env.get(), "environment", environment);
  write_attr(env.get(), kAttrsDigestAttr, env_digest(record, environment));

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
  write_attr(timing.get(), kAttrsDigestAttr, attrs_digest([&](auto add) { visit_timing(record, add); }));

  Hdf5Group energy = create_group(file, "energy");
  visit_energy(record, AttrWriter{energy.get()});
  write_attr(energy.get(), kAttrsDigestAttr, attrs_digest([&](auto add) { visit_energy(record, add); }));

  // Only runs of several ranks have /ranks: a one-process run's file stays as it always was.
  if (record.ranks.size() > 0) {
    Hdf5Group ranks = create_group(file, "ranks");
    visit_ranks(record, [&](const char* name, const auto& values) { write_vector(ranks.get(), name, values); });
    write_matrix(ranks.get(), "energy_j", static_cast<int64_t>(record.ranks.size()),
                 static_cast<int64_t>(record.metrics.epoch.size()), record.ranks.energy_j);
  }

  Hdf5Group settings = create_group(file, "settings");
  for (const auto& [name, value] : record.settings) {
    if (name == kAttrsDigestAttr) throw std::runtime_error(fmt::format("/settings cannot hold {}", name));
    write_attr(settings.get(), name.c_str(), value);
  }
  write_attr(settings.get(), kAttrsDigestAttr, settings_digest(record.settings));
}

// HDF5's file format of version 1.8 and later, whose superblock and object headers carry
// checksums that HDF5 checks on every read: a changed byte in the file's structure is then an
// error rather than a misread. h5py and every HDF5 since 1.8 (2008) read it.
Hdf5PropertyList checksummed_format() {
  Hdf5PropertyList access(H5Pcreate(H5P_FILE_ACCESS));
  if (!access.valid() || H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST) < 0)
    throw std::runtime_error("cannot choose the HDF5 file format: " + hdf5_error_message());
  return access;
}

void write_hdf5_file(const std::string& path, const RunRecord& record) {
  Hdf5PropertyList access = checksummed_format();
  Hdf5File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()));
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

// Reads the attributes `visit_group` lists from group `name` and checks their digest.
template <class VisitGroup>
void read_attr_group(hid_t file, const char* name, RunRecord* record, bool digests,
                     VisitGroup visit_group) {
  Hdf5Group group = open_group(file, name);
  visit_group(*record, AttrReader{group.get()});
  check_attrs_digest(group.get(), attrs_digest([&](auto add) { visit_group(*record, add); }), digests);
}

// `digests`: the file has them (its root has attrs_xxh3), so every part read must have its own.
RunRecord read_contents(hid_t file, const ReadParts& parts, bool digests) {
  RunRecord record;
  visit_root_attrs(record, AttrReader{file});
  check_attrs_digest(file, root_digest(record), digests);
  const DigestCheck check = digests ? DigestCheck::kRequired : DigestCheck::kIfPresent;

  if (parts.run_info) {
    read_attr_group(file, "seeds", &record, digests, [](auto& r, auto visit) { visit_seeds(r, visit); });
    {
      Hdf5Group env = open_group(file, "env");
      visit_env(record, AttrReader{env.get()});
      std::string environment;  // the run's params name it; read here for the digest
      if (has_attr(env.get(), "environment")) read_attr(env.get(), "environment", &environment);
      check_attrs_digest(env.get(), env_digest(record, environment), digests);
    }
    read_attr_group(file, "timing", &record, digests, [](auto& r, auto visit) { visit_timing(r, visit); });
    read_attr_group(file, "energy", &record, digests, [](auto& r, auto visit) { visit_energy(r, visit); });

    if (H5Lexists(file, "ranks", H5P_DEFAULT) > 0) {
      Hdf5Group ranks = open_group(file, "ranks");
      visit_ranks(record, [&](const char* name, auto& values) { read_vector(ranks.get(), name, &values, check); });
      int64_t rows = 0, cols = 0;
      read_matrix(ranks.get(), "energy_j", &rows, &cols, &record.ranks.energy_j, check);
      if (rows != static_cast<int64_t>(record.ranks.size()))
        throw RunFileError(fmt::format("/ranks/energy_j has {} rows, /ranks/gpu_j {} entries", rows,
                                       record.ranks.size()));
    }
    if (H5Lexists(file, "settings", H5P_DEFAULT) > 0) {
      Hdf5Group settings = open_group(file, "settings");
      for (const std::string& name : attr_names(settings.get())) {
        if (name == kAttrsDigestAttr) continue;
        if (!is_valid_utf8(name))
          throw RunFileError(fmt::format("attribute name {} on /settings is not valid UTF-8", printable(name)));
        std::string value;
        read_attr(settings.get(), name.c_str(), &value);
        record.settings.emplace_back(name, value);
      }
      check_attrs_digest(settings.get(), settings_digest(record.settings), digests);
    }
  }
  if (parts.metrics) {
    Hdf5Group metrics = open_group(file, "metrics");
    visit_metrics(record, [&](const char* name, auto& values) {
      read_vector(metrics.get(), name, &values, check);
    });
  }

  if (parts.eval) {
    Hdf5Group eval = open_group(file, "eval");
    read_matrix(eval.get(), "logits", &record.n_test, &record.n_classes, &record.logits, check);
    if (H5Lexists(eval.get(), "logits_tta", H5P_DEFAULT) > 0) {
      int64_t rows = 0, cols = 0;
      read_matrix(eval.get(), "logits_tta", &rows, &cols, &record.logits_tta, check);
      if (rows != record.n_test || cols != record.n_classes) {
        throw RunFileError(fmt::format("/eval/logits_tta is {} x {}, /eval/logits {} x {}", rows,
                                       cols, record.n_test, record.n_classes));
      }
    }
    read_vector(eval.get(), "labels", &record.labels, check);
    if (H5Lexists(eval.get(), "groups", H5P_DEFAULT) > 0) {
      read_vector(eval.get(), "groups", &record.groups, check);
    }
  }
  if (parts.weights || parts.last_layer) {
    Hdf5Group weights = open_group(file, "weights");
    if (parts.weights) read_vector(weights.get(), "flat", &record.weights_flat, check);
    if (parts.last_layer) {
      read_matrix(weights.get(), "last_layer", &record.last_layer_rows, &record.last_layer_cols,
                  &record.last_layer, check);
    }
  }
  check_lengths(record, parts);
  return record;
}

}  // namespace

std::string write_run_file(const std::string& dir, const RunRecord& record) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  std::string path = contract::run_file_path(dir, record.run_id);
  const std::string partial = contract::partial_path(path);
  try {
    if (record.run_id.empty() || record.run_id.find('/') != std::string::npos) {
      throw std::runtime_error(fmt::format("run_id '{}' is not a file name", record.run_id));
    }
    check_lengths(record, ReadParts{});
    write_hdf5_file(partial, record);
    fsync_path(partial);
    install_file(partial, path);  // the folder's fsync makes the rename itself survive a crash
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
  explicit Handles(Hdf5File opened) : file(std::move(opened)) {}
  Hdf5File file;
  bool digests = false;                // the root has attrs_xxh3
  std::optional<Hdf5Dataset> weights;  // /weights/flat, opened when first asked for
  int64_t weights_size = 0;
  // The digest of /weights/flat as far as it has been read from the start in order, block
  // after block, and how far that is; -1 once a read went elsewhere.
  std::optional<uint64_t> weights_digest;
  Xxh3Stream weights_stream;
  int64_t weights_hashed = 0;
};

RunFileReader::RunFileReader(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  Hdf5File file = open_read_only(path);
  check_schema_and_status(file.get());
  handles_ = std::make_unique<Handles>(std::move(file));
  handles_->digests = has_attr(handles_->file.get(), kAttrsDigestAttr);
}

RunFileReader::~RunFileReader() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  handles_.reset();
}

RunRecord RunFileReader::read(const ReadParts& parts) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  return read_contents(handles_->file.get(), parts, handles_->digests);
}

bool RunFileReader::has_digests() const { return handles_->digests; }

void RunFileReader::check_structure() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  silence_hdf5_errors();
  auto visit = [](hid_t, const char*, const H5O_info_t*, void*) -> herr_t { return 0; };
  if (H5Ovisit2(handles_->file.get(), H5_INDEX_NAME, H5_ITER_INC, visit, nullptr, H5O_INFO_ALL) < 0)
    throw RunFileError("corrupt: damaged HDF5 structure: " + hdf5_error_message());
}

int64_t RunFileReader::weights_size() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_lock());
  if (!handles_->weights) {
    silence_hdf5_errors();
    Hdf5Group weights = open_group(handles_->file.get(), "weights");
    handles_->weights.emplace(open_vector(weights.get(), "flat", &handles_->weights_size));
    handles_->weights_digest = dataset_digest(handles_->weights->get());
    if (!handles_->weights_digest && handles_->digests)
      throw RunFileError("corrupt: no digest on /weights/flat");
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
  Handles& h = *handles_;
  if (!h.weights_digest || offset != h.weights_hashed) {
    h.weights_hashed = -1;  // not read in order: a caller that reads in order checks it
    return;
  }
  h.weights_stream.add(out, static_cast<size_t>(count) * sizeof(float));
  h.weights_hashed += count;
  if (h.weights_hashed == h.weights_size && h.weights_stream.value() != *h.weights_digest)
    throw RunFileError("corrupt: digest mismatch of /weights/flat");
}

std::string non_finite_numbers(const RunRecord& record) {
  const Timing& t = record.timing;
  const Energy& e = record.energy;
  for (auto [name, value] : {std::pair{"/timing wall_s", t.wall_s}, {"/timing train_s", t.train_s},
                             {"/timing eval_s", t.eval_s}, {"/timing gpu_s", t.gpu_s},
                             {"/energy gpu_j", e.gpu_j}, {"/energy cpu_j", e.cpu_j},
                             {"/energy avg_gpu_w", e.avg_gpu_w}}) {
    if (!std::isfinite(value)) return fmt::format("{} is {}, not a number", name, value);
  }
  return "";
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
