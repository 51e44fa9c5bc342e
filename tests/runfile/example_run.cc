#include "example_run.h"

#include <stdexcept>

#include "util/files.h"

namespace rs::runfile::testing {

namespace {

// first, first + step, first + 2 * step, ...: distinct values, so a swapped or misplaced
// element shows up in a round trip.
std::vector<float> ramp(size_t n, float first, float step) {
  std::vector<float> values(n);
  for (size_t i = 0; i < n; ++i) values[i] = first + step * static_cast<float>(i);
  return values;
}

}  // namespace

RunRecord example_run_record() {
  RunRecord r;
  r.run_id = "3f9a1c2b7d4e5f60";
  r.group_id = "a1b2c3d4e5f60718";
  r.sweep_name = "resnet18-determinism";
  r.params_json = R"({"batch_size":128,"epochs":3,"lr":0.1,"model":"resnet18","seed":42})";
  r.mode = "d";
  r.replica = 2;
  r.started_at = "2026-11-25T11:20:00Z";
  r.finished_at = "2026-11-25T11:24:13Z";

  r.seeds = {42, 43, 44, -1, -1};

  r.env.hostname = "gpu-node-07";
  r.env.user = "zoë";  // not ASCII: strings are UTF-8
  r.env.cpu_model = "AMD EPYC 7763 64-Core Processor";
  r.env.gpu_name = "NVIDIA H100 80GB HBM3";
  r.env.gpu_uuid = "GPU-5f1c2a3b-7d4e-4f60-a1b2-c3d4e5f60718";
  r.env.driver_version = "550.54.15";
  r.env.cuda_version = "12.4";
  r.env.cudnn_version = "9.1.0";
  r.env.torch_version = "2.11.0";
  r.env.compiler = "GCC 12.2.0";
  r.env.git_commit = "e847032f1c9b2a7d4e5f60718293a4b5c6d7e8f9";
  r.env.slurm_job_id = "123456";
  r.env.slurm_array_job_id = "123450";
  r.env.slurm_array_task_id = "6";
  r.env.slurm_partition = "gpu";
  r.env.slurm_account = "ml-repro";

  r.metrics.epoch = {1, 2, 3};
  r.metrics.lr = {0.1, 0.05, 0.025};
  r.metrics.train_loss = {1.9, 1.2, 0.8};
  r.metrics.train_acc = {0.31, 0.58, 0.72};
  r.metrics.test_loss = {1.7, 1.1, 0.9};
  r.metrics.test_acc = {0.36, 0.61, 0.69};
  r.metrics.seconds = {80.5, 79.75, 80.0};
  r.metrics.energy_j = {20100.5, 19950.25, 20011.0};

  r.n_test = 6;
  r.n_classes = 4;
  r.logits = ramp(6 * 4, -2.5f, 0.25f);
  r.logits_tta = ramp(6 * 4, -2.25f, 0.125f);
  r.labels = {0, 1, 2, 3, 0, 1};
  r.groups = {0, 0, 1, 1, 2, 2};

  r.weights_flat = ramp(10, 0.125f, -0.03125f);
  r.last_layer_rows = 4;  // after init and after each of the 3 epochs
  r.last_layer_cols = 8;
  r.last_layer = ramp(4 * 8, 0.5f, 0.0625f);

  r.timing = {253.5, 240.25, 9.75, 231.0};
  r.energy.gpu_j = 61234.5;
  r.energy.cpu_j = 8123.25;
  r.energy.avg_gpu_w = 254.9;
  r.energy.method = "nvml-counter";
  r.settings = {{"cudnn_benchmark", "off"}, {"device", "cuda:0"}, {"threads", "8"}};  // sorted
  return r;
}

void make_hdf5_hang(const std::string& path) {
  std::string bytes = read_file(path);
  const size_t heap = bytes.find("GCOL");
  if (heap == std::string::npos || heap + 32 > bytes.size())
    throw std::runtime_error(path + " has no global heap");
  // After the collection's 16-byte header: the first object's index (2 bytes), reference count
  // (2), reserved (4) and size (8). Index 0 marks free space, whose size the deserializer steps
  // by: a size of 0 never moves it on.
  bytes.replace(heap + 16, 2, 2, '\0');
  bytes.replace(heap + 24, 8, 8, '\0');
  write_file_atomic(path, bytes);
}

void replace_bytes(const std::string& path, const std::string& old_bytes, const std::string& bytes) {
  if (old_bytes.size() != bytes.size()) throw std::invalid_argument("replace_bytes: lengths differ");
  std::string content = read_file(path);
  const size_t at = content.find(old_bytes);
  if (at == std::string::npos) throw std::runtime_error(path + " does not hold " + old_bytes);
  content.replace(at, bytes.size(), bytes);
  write_file_atomic(path, content);
}

}  // namespace rs::runfile::testing
