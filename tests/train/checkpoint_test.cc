// Checkpoint and resume: a run stopped (as on a signal) or killed (an exception, so no
// checkpoint of its own) at various points and resumed in new processes, simulated by fresh
// run_training() calls, ends bit-identical to the same run without interruption.
#include "catch_torch.h"  // first: see there

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <torch/serialize/output-archive.h>

#include "contract/layout.h"
#include "train/checkpoint.h"
#include "train/run.h"
#include "train_test_util.h"
#include "util/hash.h"

namespace rs::train {
namespace {

using nlohmann::json;
using testing::digits_params;
using testing::plan_entry;
using testing::same_bytes;
using testing::setting;
using testing::TempDir;

// digits has 1437 training samples: 23 batches of 64 per epoch.
constexpr int64_t kBatches = 23;

// What a stop() that throws stands for: a process killed without warning (SIGKILL).
struct Killed {};

// One process's part: stop (checkpoint, then end) or be killed after its `batch`-th batch.
struct Interruption {
  enum Kind { kStop, kKill } kind;
  int64_t batch;
};

// Everything a process wrote to its log.
class Log {
 public:
  Log() : file_(std::tmpfile()) { REQUIRE(file_ != nullptr); }
  ~Log() { std::fclose(file_); }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string text;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file_)) > 0;) text.append(buffer, n);
    return text;
  }

 private:
  std::FILE* file_;
};

runfile::RunRecord uninterrupted(const json& params) {
  return *run_training(plan_entry(params), contract::parse_train_config(params), nullptr);
}

// Runs `params` with a checkpoint at `path` in one process per interruption and a last one
// that finishes; returns the last one's record. `log` gets every process's lines.
runfile::RunRecord interrupted(const json& params, const std::string& path,
                               const std::vector<Interruption>& interruptions, Log* log = nullptr) {
  const contract::TrainConfig config = contract::parse_train_config(params);
  std::FILE* out = log != nullptr ? log->file() : nullptr;
  for (const Interruption& at : interruptions) {
    int64_t batches = 0;
    Checkpointing checkpointing{path, [&] {
                                  if (++batches < at.batch) return false;
                                  if (at.kind == Interruption::kKill) throw Killed{};
                                  return true;
                                }};
    if (at.kind == Interruption::kStop) {
      REQUIRE_FALSE(run_training(plan_entry(params), config, out, checkpointing).has_value());
      REQUIRE(batches == at.batch);
    } else {
      REQUIRE_THROWS_AS(run_training(plan_entry(params), config, out, checkpointing), Killed);
    }
  }
  std::optional<runfile::RunRecord> record = run_training(plan_entry(params), config, out, {path, {}});
  REQUIRE(record.has_value());
  return *record;
}

void require_identical(const runfile::RunRecord& a, const runfile::RunRecord& b) {
  CHECK(same_bytes(a.weights_flat, b.weights_flat));
  CHECK(same_bytes(a.logits, b.logits));
  CHECK(same_bytes(a.logits_tta, b.logits_tta));
  CHECK(same_bytes(a.last_layer, b.last_layer));
  CHECK(a.metrics.epoch == b.metrics.epoch);
  CHECK(a.metrics.lr == b.metrics.lr);
  CHECK(a.metrics.train_loss == b.metrics.train_loss);
  CHECK(a.metrics.train_acc == b.metrics.train_acc);
  CHECK(a.metrics.test_loss == b.metrics.test_loss);
  CHECK(a.metrics.test_acc == b.metrics.test_acc);
  CHECK(a.metrics.seconds.size() == b.metrics.seconds.size());
  CHECK(a.metrics.energy_j.size() == b.metrics.energy_j.size());
}

TEST_CASE("resume: SGD with momentum and BatchNorm, stopped and killed around periodic checkpoints") {
  json params = digits_params();
  params["epochs"] = 3;
  params["batchnorm"] = true;
  params["checkpoint_every"] = 1;
  const runfile::RunRecord reference = uninterrupted(params);
  TempDir dir;
  const std::string path = contract::checkpoint_path(dir.path(), "0123456789abcdef");
  Log log;
  const runfile::RunRecord resumed = interrupted(params, path,
                                                 {
                                                     {Interruption::kStop, 5},  // epoch 1, batch 5
                                                     // Epoch 1 ends (checkpoint), killed in epoch 2.
                                                     {Interruption::kKill, kBatches - 5 + 12},
                                                     // Epochs 2 and 3, stopped after the very last batch.
                                                     {Interruption::kStop, 2 * kBatches},
                                                 },
                                                 &log);
  require_identical(reference, resumed);
  CHECK(setting(resumed, "resumed") == "epoch 1 batch 5; epoch 2 batch 0; epoch 3 batch 23");
  const std::string text = log.text();
  CHECK(text.find("checkpoint: resuming from epoch 1 (batch 5) of " + path) != std::string::npos);
  CHECK(text.find("checkpoint: wrote " + path + " after epoch 1") != std::string::npos);
  CHECK(resumed.timing.wall_s >= resumed.timing.train_s + resumed.timing.eval_s);
}

TEST_CASE("resume: Adam, dropout, augmentation, warm-up and cosine, test-time augmentation") {
  json params = digits_params();
  params["epochs"] = 3;
  params["optimizer"] = "adam";
  params["lr"] = 0.01;
  params["dropout"] = 0.3;
  params["augment"] = true;
  params["tta"] = "flip";
  params["schedule"] = "cosine";
  params["warmup_epochs"] = 1;
  params["checkpoint_every"] = 0;  // signals only
  params["seeds"] = {{"init", 3}, {"shuffle", 4}, {"augment", 5}, {"dropout", 6}};
  const runfile::RunRecord reference = uninterrupted(params);
  TempDir dir;
  const runfile::RunRecord resumed = interrupted(params, contract::checkpoint_path(dir.path(), "0123456789abcdef"),
                                                 {
                                                     {Interruption::kStop, 1},             // epoch 1, batch 1
                                                     {Interruption::kStop, kBatches - 1 + 12},  // epoch 2, batch 12
                                                     {Interruption::kStop, kBatches - 12},  // end of epoch 2
                                                     {Interruption::kKill, 10},  // epoch 3: back to the last
                                                 });
  require_identical(reference, resumed);
  CHECK(setting(resumed, "resumed") == "epoch 1 batch 1; epoch 2 batch 12; epoch 2 batch 23");
}

TEST_CASE("resume: no checkpoint is written without a signal when checkpoint_every is 0 or above the epochs") {
  TempDir dir;
  const std::string path = contract::checkpoint_path(dir.path(), "0123456789abcdef");
  for (int every : {0, 2}) {
    json params = digits_params();  // 2 epochs
    params["checkpoint_every"] = every;
    REQUIRE(run_training(plan_entry(params), contract::parse_train_config(params), nullptr, {path, {}}).has_value());
    CHECK_FALSE(std::filesystem::exists(path));
  }
}

TEST_CASE("resume: a checkpoint of other params, a corrupt one or another file is ignored") {
  const json params = digits_params();
  const runfile::RunRecord reference = uninterrupted(params);
  TempDir dir;
  const std::string path = contract::checkpoint_path(dir.path(), "0123456789abcdef");
  auto stop_after_three = [&](const json& p) {
    int64_t batches = 0;
    REQUIRE_FALSE(
        run_training(plan_entry(p), contract::parse_train_config(p), nullptr, {path, [&] { return ++batches == 3; }}));
  };
  auto finish = [&](const std::string& expected_log) {
    Log log;
    const runfile::RunRecord r = *run_training(plan_entry(params), contract::parse_train_config(params), log.file(), {path, {}});
    CHECK(log.text().find("checkpoint: ignoring " + path + ": " + expected_log) != std::string::npos);
    CHECK(log.text().find("resuming") == std::string::npos);
    require_identical(reference, r);
    CHECK(setting(r, "resumed").empty());
  };

  SECTION("other params") {
    json other = params;
    other["seed"] = 8;
    stop_after_three(other);
    finish("it belongs to another run or to other params");
  }
  SECTION("truncated") {
    stop_after_three(params);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
    finish("corrupt (no digest: cut short, or written before checkpoints had one), renamed to " + path +
           ".corrupt; starting from scratch");
    CHECK(std::filesystem::exists(path + ".corrupt"));
  }
  SECTION("one byte changed, in the archive or in its digest") {
    // A third into the archive, then the digest's last byte. Each time a new checkpoint, whose
    // size is its own: the archive holds times, so two checkpoints may differ in length.
    for (bool in_digest : {false, true}) {
      stop_after_three(params);
      const uintmax_t size = std::filesystem::file_size(path);
      const uintmax_t at = in_digest ? size - 1 : size / 3;
      std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
      file.seekg(static_cast<std::streamoff>(at));
      const char byte = static_cast<char>(file.get() ^ 0x10);
      file.seekp(static_cast<std::streamoff>(at));
      file.put(byte);
      file.close();
      finish("corrupt (digest mismatch), renamed to " + path + ".corrupt; starting from scratch");
    }
  }
  SECTION("not a checkpoint") {
    std::ofstream(path) << "not a zip file\n";
    finish("corrupt (no digest: cut short, or written before checkpoints had one)");
  }
  SECTION("the format before dropout masks and crops came from the counter hash") {
    torch::serialize::OutputArchive old;
    old.write("format", c10::IValue(std::string("reprosweep-checkpoint/1")));
    old.write("run_id", c10::IValue(std::string("0123456789abcdef")));
    old.write("params_json", c10::IValue(params.dump()));
    // With a valid digest trailer (checkpoint.h), so that the format is what is refused.
    std::ostringstream archive;
    old.save_to(archive);
    const uint64_t digest = rs::xxh3_64(archive.str().data(), archive.str().size());
    std::ofstream file(path, std::ios::binary);
    file << archive.str() << "rsdigest";
    file.write(reinterpret_cast<const char*>(&digest), sizeof digest);
    file.close();
    finish("format 'reprosweep-checkpoint/1', not reprosweep-checkpoint/2");
  }
}

TEST_CASE("resume: the checkpoint's header is checked before anything is loaded") {
  const json params = digits_params();
  TempDir dir;
  const std::string path = contract::checkpoint_path(dir.path(), "0123456789abcdef");
  int64_t batches = 0;
  REQUIRE_FALSE(run_training(plan_entry(params), contract::parse_train_config(params), nullptr,
                             {path, [&] { return ++batches == 3; }}));
  RunSoFar so_far;
  std::string why;
  {
    // Another run id: rejected before anything is loaded (there is no trainer to load into),
    // and `so_far` untouched.
    so_far.started_at = "untouched";
    CHECK_FALSE(read_checkpoint(path, "ffffffffffffffff", params.dump(), c10::Device(c10::kCPU), &so_far, nullptr, &why));
    CHECK(why == "it belongs to another run or to other params");
    CHECK(so_far.started_at == "untouched");
  }
  remove_checkpoint(path);
  CHECK_FALSE(std::filesystem::exists(path));
  remove_checkpoint(path);  // a missing file is fine
}

}  // namespace
}  // namespace rs::train
