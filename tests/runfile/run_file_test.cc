#include "runfile/run_file.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include <catch2/catch.hpp>

#include "example_run.h"
#include "require_same.h"
#include "temp_dir.h"
#include "contract/layout.h"
#include "runfile/hdf5_handle.h"
#include "runfile/hdf5_io.h"

namespace rs::runfile {
namespace {

namespace fs = std::filesystem;
using testing::example_run_record;
using testing::require_same;

using rs::testing::TempDir;

// The reason read_run_file() gives for `path`, or "" when it reads the file fine.
std::string read_error(const std::string& path) {
  try {
    read_run_file(path);
  } catch (const RunFileError& e) {
    return e.what();
  }
  return "";
}

// The broken files below are made by editing a good one with HDF5 directly.
Hdf5File open_for_edit(const std::string& path) {
  Hdf5File file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
  REQUIRE(file.valid());
  return file;
}

void replace_root_attr(const std::string& path, const char* name, const std::string& value) {
  Hdf5File file = open_for_edit(path);
  REQUIRE(H5Adelete(file.get(), name) >= 0);
  write_attr(file.get(), name, value);
}

void delete_root_attr(const std::string& path, const char* name) {
  Hdf5File file = open_for_edit(path);
  REQUIRE(H5Adelete(file.get(), name) >= 0);
}

void delete_object(const std::string& path, const char* object) {
  Hdf5File file = open_for_edit(path);
  REQUIRE(H5Ldelete(file.get(), object, H5P_DEFAULT) >= 0);
}

TEST_CASE("a run file gives back every field it was written with", "[runfile]") {
  TempDir dir;
  RunRecord written = example_run_record();
  std::string path = write_run_file(dir.path(), written);
  CHECK(path == dir.path() + "/" + written.run_id + ".h5");
  CHECK_FALSE(fs::exists(contract::partial_path(path)));
  require_same(read_run_file(path), written);
}

TEST_CASE("empty datasets round-trip: no epochs, no test set, no weights", "[runfile]") {
  TempDir dir;
  RunRecord written = example_run_record();
  written.metrics = EpochMetrics{};
  written.n_test = 0;
  written.logits.clear();
  written.logits_tta.clear();
  written.labels.clear();
  written.groups.clear();
  written.weights_flat.clear();
  written.last_layer_rows = 1;
  written.last_layer_cols = 0;
  written.last_layer.clear();
  std::string path = write_run_file(dir.path(), written);
  require_same(read_run_file(path), written);
}

TEST_CASE("/eval/logits_tta is written only for a run that has it", "[runfile]") {
  TempDir dir;
  RunRecord written = example_run_record();
  written.logits_tta.clear();
  std::string path = write_run_file(dir.path(), written);
  {
    Hdf5File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    REQUIRE(file.valid());
    CHECK(H5Lexists(file.get(), "/eval/logits_tta", H5P_DEFAULT) == 0);
  }
  require_same(read_run_file(path), written);

  written.logits_tta = {1.0f, 2.0f};
  CHECK_THROWS_WITH(write_run_file(dir.path(), written),
                    Catch::Contains("/eval/logits_tta: 2 values do not make 6 x 4"));
}

TEST_CASE("read_run_file loads only the parts asked for", "[runfile]") {
  TempDir dir;
  RunRecord written = example_run_record();
  std::string path = write_run_file(dir.path(), written);

  ReadParts metadata_only;
  metadata_only.eval = false;
  metadata_only.weights = false;
  metadata_only.last_layer = false;
  RunRecord read = read_run_file(path, metadata_only);
  CHECK(read.run_id == written.run_id);
  CHECK(read.metrics.test_acc == written.metrics.test_acc);
  CHECK(read.energy.method == written.energy.method);
  CHECK(read.logits.empty());
  CHECK(read.logits_tta.empty());
  CHECK(read.labels.empty());
  CHECK(read.weights_flat.empty());
  CHECK(read.last_layer.empty());

  ReadParts last_layer_only = metadata_only;
  last_layer_only.last_layer = true;
  read = read_run_file(path, last_layer_only);
  CHECK(read.last_layer == written.last_layer);
  CHECK(read.weights_flat.empty());
}

TEST_CASE("a failed write leaves neither the run file nor the partial file", "[runfile]") {
  TempDir dir;
  RunRecord record = example_run_record();
  std::string path = contract::run_file_path(dir.path(), record.run_id);

  SECTION("the directory does not exist") {
    std::string missing_dir = dir.path() + "/no/such/dir";
    CHECK_THROWS_AS(write_run_file(missing_dir, record), std::runtime_error);
    CHECK(fs::is_empty(dir.path()));
  }
  SECTION("the record is inconsistent") {
    record.labels.pop_back();
    CHECK_THROWS_WITH(write_run_file(dir.path(), record),
                      Catch::Contains("/eval/labels has 5 entries, n_test is 6"));
    CHECK(fs::is_empty(dir.path()));
  }
  SECTION("logits do not fill n_test x n_classes") {
    record.logits.pop_back();
    CHECK_THROWS_WITH(write_run_file(dir.path(), record),
                      Catch::Contains("/eval/logits: 23 values do not make 6 x 4"));
    CHECK(fs::is_empty(dir.path()));
  }
  SECTION("the rename fails after the whole file was written") {
    fs::create_directory(path);  // a directory where the run file should go
    CHECK_THROWS_WITH(write_run_file(dir.path(), record), Catch::Contains("cannot rename"));
    CHECK(fs::is_directory(path));
    CHECK_FALSE(fs::exists(contract::partial_path(path)));
  }
}

TEST_CASE("writing a run again replaces the earlier file", "[runfile]") {
  TempDir dir;
  RunRecord record = example_run_record();
  write_run_file(dir.path(), record);
  record.replica = 7;
  std::string path = write_run_file(dir.path(), record);
  CHECK(read_run_file(path).replica == 7);
}

TEST_CASE("two processes writing the same run at once never write into each other's file", "[runfile]") {
  // As two submissions of one run would where its lock does not reach: each writes through a
  // partial file of its own, so every write succeeds and the run file is one of them, whole.
  TempDir dir;
  const RunRecord record = example_run_record();
  std::vector<pid_t> writers;
  for (int w = 0; w < 2; ++w) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int failed = 0;
      for (int i = 0; i < 40; ++i) {
        try {
          write_run_file(dir.path(), record);
        } catch (const std::exception&) {
          ++failed;
        }
      }
      ::_exit(failed == 0 ? 0 : 1);
    }
    writers.push_back(pid);
  }
  for (pid_t pid : writers) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  const std::string path = contract::run_file_path(dir.path(), record.run_id);
  require_same(read_run_file(path), record);
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);  // no partial left
  CHECK(contract::partial_path(path, "node1 42") != contract::partial_path(path, "node1 43"));
  CHECK(contract::partial_path(path, "node1.site 42") == path + ".node1-site-42.partial");
}

TEST_CASE("read_run_file says why it cannot use a file", "[runfile]") {
  TempDir dir;
  std::string path = write_run_file(dir.path(), example_run_record());
  REQUIRE(read_error(path).empty());

  SECTION("no file") { CHECK(read_error(dir.path() + "/none.h5") == "no such file"); }
  SECTION("not HDF5") {
    std::ofstream(path, std::ios::trunc) << "epoch,loss\n1,0.5\n";
    CHECK_THAT(read_error(path), Catch::StartsWith("not an HDF5 file or corrupt: "));
  }
  SECTION("truncated") {
    fs::resize_file(path, fs::file_size(path) / 2);
    CHECK_THAT(read_error(path), Catch::StartsWith("not an HDF5 file or corrupt: "));
  }
  SECTION("another schema") {
    replace_root_attr(path, "schema", "reprosweep-run/2");
    CHECK(read_error(path) == "schema is reprosweep-run/2, expected reprosweep-run/1");
  }
  SECTION("no status: the writer stopped part way") {
    delete_root_attr(path, "status");
    CHECK(read_error(path) == "not complete (no status)");
  }
  SECTION("a status other than complete") {
    replace_root_attr(path, "status", "running");
    CHECK(read_error(path) == "not complete (status=running)");
  }
  SECTION("a missing dataset") {
    delete_object(path, "/eval/logits");
    CHECK(read_error(path) == "missing /eval/logits");
  }
  SECTION("a missing group") {
    delete_object(path, "/timing");
    CHECK(read_error(path) == "missing /timing");
  }
  SECTION("a missing attribute") {
    delete_root_attr(path, "finished_at");
    CHECK(read_error(path) == "missing attribute finished_at on /");
  }
  SECTION("labels that do not match the logits") {
    delete_object(path, "/eval/labels");
    {
      Hdf5File file = open_for_edit(path);
      Hdf5Group eval = open_group(file.get(), "eval");
      write_vector(eval.get(), "labels", std::vector<int64_t>{0, 1});
    }
    CHECK(read_error(path) == "/eval/labels has 2 entries, n_test is 6");
  }
  SECTION("logits_tta of another shape than the logits") {
    delete_object(path, "/eval/logits_tta");
    {
      Hdf5File file = open_for_edit(path);
      Hdf5Group eval = open_group(file.get(), "eval");
      write_matrix(eval.get(), "logits_tta", 4, 6, std::vector<float>(24));
    }
    CHECK(read_error(path) == "/eval/logits_tta is 4 x 6, /eval/logits 6 x 4");
  }
  SECTION("logits that are not 2-D") {
    delete_object(path, "/eval/logits");
    {
      Hdf5File file = open_for_edit(path);
      Hdf5Group eval = open_group(file.get(), "eval");
      write_vector(eval.get(), "logits", std::vector<float>(24));
    }
    CHECK(read_error(path) == "/eval/logits is 1-D, expected 2-D");
  }
  SECTION("a metric shorter than the others") {
    delete_object(path, "/metrics/lr");
    {
      Hdf5File file = open_for_edit(path);
      Hdf5Group metrics = open_group(file.get(), "metrics");
      write_vector(metrics.get(), "lr", std::vector<double>{0.1});
    }
    CHECK(read_error(path) == "/metrics/lr has 1 entries, /metrics/epoch has 3");
  }
}

// Writes `values` over dataset `name` in place, leaving its digest as it was: what a changed
// byte on disk does.
template <class T>
void overwrite_values(const std::string& path, const char* name, const std::vector<T>& values, hid_t type) {
  Hdf5File file = open_for_edit(path);
  Hdf5Dataset dataset(H5Dopen2(file.get(), name, H5P_DEFAULT));
  REQUIRE(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
}

void overwrite_attr(const std::string& path, const char* object, const char* name, double value) {
  Hdf5File file = open_for_edit(path);
  Hdf5Group group = open_group(file.get(), object);
  Hdf5Attribute attr(H5Aopen(group.get(), name, H5P_DEFAULT));
  REQUIRE(attr.valid());
  REQUIRE(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value) >= 0);
}

void delete_attr(const std::string& path, const char* object, const char* name) {
  Hdf5File file = open_for_edit(path);
  REQUIRE(H5Adelete_by_name(file.get(), object, name, H5P_DEFAULT) >= 0);
}

TEST_CASE("digests: a run file whose content changed after writing is corrupt", "[runfile]") {
  TempDir dir;
  const RunRecord record = example_run_record();
  std::string path = write_run_file(dir.path(), record);
  REQUIRE(RunFileReader(path).has_digests());

  SECTION("a logit") {
    std::vector<float> logits = record.logits;
    logits[5] = std::nextafter(logits[5], 1.0f);
    overwrite_values(path, "/eval/logits", logits, H5T_NATIVE_FLOAT);
    CHECK(read_error(path) == "corrupt: digest mismatch of /eval/logits");
  }
  SECTION("a weight, read whole and read in blocks") {
    std::vector<float> weights = record.weights_flat;
    weights.back() = -weights.back();
    overwrite_values(path, "/weights/flat", weights, H5T_NATIVE_FLOAT);
    CHECK(read_error(path) == "corrupt: digest mismatch of /weights/flat");
    RunFileReader reader(path);
    const int64_t size = reader.weights_size();
    std::vector<float> block(static_cast<size_t>(size));
    reader.read_weights(0, size - 3, block.data());
    CHECK_THROWS_WITH(reader.read_weights(size - 3, 3, block.data()),
                      "corrupt: digest mismatch of /weights/flat");
  }
  SECTION("a metric") {
    overwrite_values(path, "/metrics/epoch", std::vector<int64_t>{1, 2, 4}, H5T_NATIVE_INT64);
    CHECK(read_error(path) == "corrupt: digest mismatch of /metrics/epoch");
  }
  SECTION("a root attribute") {
    replace_root_attr(path, "params_json", R"({"lr":0.2})");
    CHECK(read_error(path) == "corrupt: digest mismatch of the attributes of /");
  }
  SECTION("a timing attribute") {
    overwrite_attr(path, "/timing", "train_s", record.timing.train_s + 1);
    CHECK(read_error(path) == "corrupt: digest mismatch of the attributes of /timing");
  }
  SECTION("a setting") {
    {
      Hdf5File file = open_for_edit(path);
      Hdf5Group settings = open_group(file.get(), "settings");
      write_attr(settings.get(), "added", std::string("later"));
    }
    CHECK(read_error(path) == "corrupt: digest mismatch of the attributes of /settings");
  }
  SECTION("a dataset's digest removed while the file has digests") {
    delete_attr(path, "/eval/labels", kDigestAttr);
    CHECK(read_error(path) == "corrupt: no digest on /eval/labels");
  }
  SECTION("a group's digest removed while the file has digests") {
    delete_attr(path, "/env", kAttrsDigestAttr);
    CHECK(read_error(path) == "corrupt: no attribute digest on /env");
  }
}

// The example run as two ranks would have written it: the run's figures are their sums.
RunRecord two_rank_record() {
  RunRecord record = example_run_record();
  record.ranks.gpu_j = {1000.5, 1200.25};
  record.ranks.cpu_j = {30.0, 0.0};
  record.ranks.gpu_s = {40.5, 41.0};
  record.ranks.energy_j = {300, 310, 420.5, 350, 360, 520.25};  // [2 ranks, 3 epochs]
  record.energy.gpu_j = 2200.75;
  record.energy.cpu_j = 30.0;
  record.timing.gpu_s = 81.5;
  record.metrics.energy_j = {650, 670, 940.75};
  return record;
}

TEST_CASE("/ranks is written only for a run of several ranks, and read back whole", "[runfile]") {
  TempDir dir;
  auto has_ranks = [](const std::string& path) {
    Hdf5File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    REQUIRE(file.valid());
    return H5Lexists(file.get(), "/ranks", H5P_DEFAULT) > 0;
  };
  CHECK_FALSE(has_ranks(write_run_file(dir.path(), example_run_record())));

  const RunRecord written = two_rank_record();
  const std::string path = write_run_file(dir.path(), written);
  CHECK(has_ranks(path));
  require_same(read_run_file(path), written);

  SECTION("its energy_j is a [ranks, epochs] matrix") {
    Hdf5File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    Hdf5Group ranks = open_group(file.get(), "ranks");
    int64_t rows = 0, cols = 0;
    std::vector<double> values;
    read_matrix(ranks.get(), "energy_j", &rows, &cols, &values, DigestCheck::kRequired);
    CHECK(rows == 2);
    CHECK(cols == 3);
  }
  SECTION("a changed figure is corrupt") {
    overwrite_values(path, "/ranks/gpu_j", std::vector<double>{1000.5, 1300.0}, H5T_NATIVE_DOUBLE);
    CHECK(read_error(path) == "corrupt: digest mismatch of /ranks/gpu_j");
  }
  SECTION("figures that do not fit the ranks or the epochs are never written, nor read") {
    RunRecord short_one = written;
    short_one.ranks.gpu_s = {40.5};
    CHECK_THROWS_WITH(write_run_file(dir.path(), short_one),
                      Catch::Contains("/ranks/gpu_s has 1 entries, /ranks/gpu_j has 2"));
    short_one = written;
    short_one.ranks.energy_j.pop_back();
    CHECK_THROWS_WITH(write_run_file(dir.path(), short_one),
                      Catch::Contains("/ranks/energy_j has 5 entries, not 2 ranks x 3 epochs"));
    delete_object(path, "/ranks/cpu_j");
    CHECK(read_error(path) == "missing /ranks/cpu_j");
  }
}

TEST_CASE("digests are optional: a file written before them reads as before", "[runfile]") {
  TempDir dir;
  const RunRecord record = example_run_record();
  std::string path = write_run_file(dir.path(), record);
  for (const char* object : {"/", "/seeds", "/env", "/timing", "/energy", "/settings"})
    delete_attr(path, object, kAttrsDigestAttr);
  for (const char* dataset : {"/metrics/epoch", "/metrics/lr", "/eval/logits", "/eval/labels", "/weights/flat",
                              "/weights/last_layer"})
    delete_attr(path, dataset, kDigestAttr);
  CHECK_FALSE(RunFileReader(path).has_digests());
  require_same(read_run_file(path), record);
  // What is left is still checked: /eval/logits_tta kept its digest.
  std::vector<float> tta = record.logits_tta;
  tta[0] += 1;
  overwrite_values(path, "/eval/logits_tta", tta, H5T_NATIVE_FLOAT);
  CHECK(read_error(path) == "corrupt: digest mismatch of /eval/logits_tta");
}

TEST_CASE("a string that is not UTF-8 makes the file unusable, with the reason in printable text", "[runfile]") {
  TempDir dir;
  std::string path = write_run_file(dir.path(), example_run_record());
  Hdf5File file = open_for_edit(path);
  SECTION("an attribute's value") {
    Hdf5Group env = open_group(file.get(), "env");
    REQUIRE(H5Adelete(env.get(), "hostname") >= 0);
    write_attr(env.get(), "hostname", std::string("node\xff\xfe" "01"));
    file.close();
    CHECK(read_error(path) == "attribute hostname on /env is not valid UTF-8");
  }
  SECTION("a setting's name") {
    Hdf5Group settings = open_group(file.get(), "settings");
    write_attr(settings.get(), "bad\xc3", std::string("x"));
    file.close();
    CHECK(read_error(path) == "attribute name bad\\xc3 on /settings is not valid UTF-8");
  }
}

TEST_CASE("run_is_complete is true only for a finished run file", "[runfile]") {
  TempDir dir;
  std::string path = write_run_file(dir.path(), example_run_record());
  CHECK(run_is_complete(path));

  CHECK_FALSE(run_is_complete(dir.path() + "/none.h5"));
  CHECK_FALSE(run_is_complete(dir.path()));

  std::string text = dir.path() + "/text.h5";
  std::ofstream(text) << "not hdf5";
  CHECK_FALSE(run_is_complete(text));

  std::string truncated = dir.path() + "/truncated.h5";
  fs::copy_file(path, truncated);
  fs::resize_file(truncated, fs::file_size(truncated) / 2);
  CHECK_FALSE(run_is_complete(truncated));

  replace_root_attr(path, "status", "running");
  CHECK_FALSE(run_is_complete(path));
  delete_root_attr(path, "status");
  CHECK_FALSE(run_is_complete(path));
}

}  // namespace
}  // namespace rs::runfile
