// The energy meter against tests/energy/fake_nvml.c, whose GPUs draw a constant, known power.
//
// No assertion depends on how long anything took: a constant power makes average power the
// same however long a run is, and joules are compared with what the same run's seconds imply.
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "energy/energy_meter.h"
#include "energy/gpu_target.h"
#include "temp_dir.h"

namespace {

using rs::energy::EnergyMeter;
using rs::energy::EnergyResult;

const char* const kFakeVariables[] = {"FAKE_NVML_INIT",          "FAKE_NVML_GPUS",  "FAKE_NVML_POWER_W",
                                      "FAKE_NVML_COUNTER",       "FAKE_NVML_POWER", "FAKE_NVML_RESET_AFTER_S",
                                      "FAKE_NVML_PROCESSES_FILE"};

const std::string kGpu0 = "GPU-00000000-0000-0000-0000-000000000000";
const std::string kGpu1 = "GPU-00000000-0000-0000-0000-000000000001";
const std::string kGpu2 = "GPU-00000000-0000-0000-0000-000000000002";
const std::string kMig1 = "MIG-11111111-1111-1111-1111-000000000001";
const std::string kMig2 = "MIG-11111111-1111-1111-1111-000000000002";

// A UUID as CUDA reports it: without the GPU- or MIG- prefix NVML names it with.
std::string bare(const std::string& uuid) { return uuid.substr(4); }

// Points the meter at the fake library, configured by `settings` alone.
void use_fake_nvml(const std::vector<std::pair<std::string, std::string>>& settings = {}) {
  setenv(rs::energy::kNvmlLibraryVariable, FAKE_NVML_PATH, 1);
  for (const char* name : kFakeVariables) unsetenv(name);
  for (const auto& [name, value] : settings) setenv(name.c_str(), value.c_str(), 1);
}

void sleep_s(double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); }

// A run of `seconds` on `gpu`, with RAPL read from a folder that has none.
EnergyResult measure(const std::string& gpu, double seconds) {
  rs::testing::TempDir no_rapl;
  EnergyMeter meter(gpu, no_rapl.path());
  meter.start();
  sleep_s(seconds);
  return meter.stop();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the energy counter gives joules at the GPU's power, per epoch and in total") {
  use_fake_nvml({{"FAKE_NVML_POWER_W", "250"}});
  rs::testing::TempDir no_rapl;
  EnergyMeter meter(kGpu0, no_rapl.path());
  meter.start();
  sleep_s(0.3);
  double epoch1 = meter.epoch_mark();
  sleep_s(0.3);
  double epoch2 = meter.epoch_mark();
  EnergyResult r = meter.stop();

  REQUIRE(r.method == "nvml-counter");
  REQUIRE(r.avg_gpu_w == Approx(250).epsilon(0.05));
  REQUIRE(r.gpu_j == Approx(250 * r.seconds).epsilon(0.05));
  REQUIRE(epoch1 == Approx(250 * 0.3).epsilon(0.2));
  REQUIRE(epoch2 == Approx(250 * 0.3).epsilon(0.2));
  REQUIRE(epoch1 + epoch2 <= Approx(r.gpu_j));  // the epochs are the run, up to its last moments
  REQUIRE(r.cpu_j == 0);
  REQUIRE(r.gpu == kGpu0 + " (Fake GPU, driver 999.99.99-fake)");
  REQUIRE_FALSE(r.whole_gpu_under_mig);
}

TEST_CASE("without an energy counter, power readings are integrated") {
  use_fake_nvml({{"FAKE_NVML_POWER_W", "100"}, {"FAKE_NVML_COUNTER", "unsupported"}});
  EnergyResult r = measure(kGpu0, 0.35);
  REQUIRE(r.method == "nvml-power");
  // Constant power: the trapezoids add up to exactly power x time.
  REQUIRE(r.avg_gpu_w == Approx(100).epsilon(1e-9));
  REQUIRE(r.gpu_j == Approx(100 * r.seconds).epsilon(1e-9));
  REQUIRE(contains(r.note, "older than Volta"));
}

TEST_CASE("a counter that goes backwards falls back to power readings") {
  use_fake_nvml({{"FAKE_NVML_POWER_W", "200"}, {"FAKE_NVML_RESET_AFTER_S", "0.2"}});
  rs::testing::TempDir no_rapl;
  EnergyMeter meter(kGpu0, no_rapl.path());
  meter.start();
  sleep_s(0.4);
  double epoch = meter.epoch_mark();
  EnergyResult r = meter.stop();

  REQUIRE(r.method == "nvml-power");
  REQUIRE(r.avg_gpu_w == Approx(200).epsilon(1e-9));
  REQUIRE(epoch > 0);
  REQUIRE(epoch <= Approx(r.gpu_j));
  REQUIRE(contains(r.note, "went backwards"));
}

TEST_CASE("a counter reset after the last epoch mark is noticed too") {
  use_fake_nvml({{"FAKE_NVML_POWER_W", "200"}, {"FAKE_NVML_RESET_AFTER_S", "0.2"}});
  EnergyResult r = measure(kGpu0, 0.4);
  REQUIRE(r.method == "nvml-power");
  REQUIRE(r.avg_gpu_w == Approx(200).epsilon(1e-9));
}

TEST_CASE("neither counter nor power readings: method none, saying why") {
  use_fake_nvml({{"FAKE_NVML_COUNTER", "unsupported"}, {"FAKE_NVML_POWER", "unsupported"}});
  EnergyResult r = measure(kGpu0, 0.05);
  REQUIRE(r.method == "none");
  REQUIRE(r.gpu_j == 0);
  REQUIRE(r.gpu.empty());
  REQUIRE(contains(r.note, "no power readings"));
}

TEST_CASE("the GPU is the one whose UUID CUDA reports, however CUDA_VISIBLE_DEVICES names it") {
  // A node of four GPUs drawing 100, 200, 300 and 400 W; the run's CUDA device is GPU 2. SLURM
  // may name it "0" (CUDA numbers only the GPUs it lets the job see; NVML numbers all four and
  // calls another one 0), by UUID, or by its MIG slice's UUID. CUDA reports the device's UUID
  // without a prefix, a slice's own UUID for a slice; the meter is given that, and reads GPU 2.
  use_fake_nvml({{"FAKE_NVML_GPUS", "4"}, {"FAKE_NVML_POWER_W", "100,200,300,400"}});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0", bare(kGpu2)}, {kGpu2, bare(kGpu2)}, {kMig2, bare(kMig2)}};
  for (const auto& [visible, cuda_uuid] : cases) {
    setenv("CUDA_VISIBLE_DEVICES", visible.c_str(), 1);
    EnergyResult r = measure(cuda_uuid, 0.2);
    REQUIRE(r.method == "nvml-counter");
    REQUIRE(contains(r.gpu, kGpu2));
    REQUIRE(r.avg_gpu_w == Approx(300).epsilon(0.05));
    const bool mig = visible == kMig2;
    REQUIRE(r.whole_gpu_under_mig == mig);
    REQUIRE(r.device_uuid == (mig ? kMig2 : kGpu2));
  }
  unsetenv("CUDA_VISIBLE_DEVICES");
}

TEST_CASE("a MIG device is measured as its whole GPU, and the result says so") {
  use_fake_nvml({{"FAKE_NVML_GPUS", "2"}});
  for (const std::string& mig : {kMig1, bare(kMig1)}) {
    EnergyResult r = measure(mig, 0.1);
    REQUIRE(r.method == "nvml-counter");
    REQUIRE(contains(r.gpu, kGpu1));
    REQUIRE(r.whole_gpu_under_mig);
    REQUIRE(r.device_uuid == kMig1);
    REQUIRE(contains(r.note, "whole GPU " + kGpu1));
  }
}

TEST_CASE("runs sharing a GPU each get an even share, and the shares add up to the GPU's counter") {
  rs::testing::TempDir dir;
  const std::string processes = dir.path() + "/processes";
  auto set_processes = [&](int n) { std::ofstream(processes) << n << "\n"; };
  set_processes(2);
  use_fake_nvml({{"FAKE_NVML_GPUS", "2"}, {"FAKE_NVML_POWER_W", "400"}, {"FAKE_NVML_PROCESSES_FILE", processes}});

  SECTION("two runs at once") {
    rs::testing::TempDir no_rapl;
    EnergyMeter a(bare(kGpu1), no_rapl.path()), b(bare(kGpu1), no_rapl.path());
    a.start();
    b.start();
    sleep_s(0.6);
    EnergyResult ra = a.stop(), rb = b.stop();
    REQUIRE(ra.method == "nvml-counter");
    REQUIRE(ra.avg_gpu_w == Approx(200).epsilon(0.1));
    REQUIRE(rb.avg_gpu_w == Approx(200).epsilon(0.1));
    // What the GPU's counter grew by over the (common) time both measured.
    REQUIRE(ra.gpu_j + rb.gpu_j == Approx(400 * (ra.seconds + rb.seconds) / 2).epsilon(0.1));
    REQUIRE(contains(ra.note, "GPU shared with other processes (up to 2 at once)"));
  }
  SECTION("the share follows the number of processes as it changes") {
    set_processes(1);
    rs::testing::TempDir no_rapl;
    EnergyMeter meter(bare(kGpu1), no_rapl.path());
    meter.start();
    sleep_s(0.5);
    const double alone = meter.epoch_mark();
    set_processes(4);
    sleep_s(0.5);
    const double shared = meter.epoch_mark();
    EnergyResult r = meter.stop();
    REQUIRE(alone == Approx(400 * 0.5).epsilon(0.25));
    REQUIRE(shared == Approx(400 * 0.5 / 4).epsilon(0.4));
    REQUIRE(contains(r.note, "up to 4 at once"));
  }
  SECTION("a run alone is charged with the whole GPU, without a note") {
    set_processes(1);
    EnergyResult r = measure(bare(kGpu1), 0.3);
    REQUIRE(r.avg_gpu_w == Approx(400).epsilon(0.05));
    REQUIRE_FALSE(contains(r.note, "shared"));
  }
}

TEST_CASE("a GPU NVML does not know gives method none, saying why") {
  use_fake_nvml();
  for (const std::string& gpu : {kGpu2, bare(kGpu2), std::string("MIG-unknown"), std::string("0")}) {
    EnergyResult r = measure(gpu, 0.01);
    REQUIRE(r.method == "none");
    REQUIRE(r.gpu_j == 0);
    REQUIRE(contains(r.note, gpu));
  }
}

TEST_CASE("without the NVML library or driver, the meter degrades to none") {
  SECTION("no library") {
    use_fake_nvml();
    setenv(rs::energy::kNvmlLibraryVariable, "/nonexistent/libnvidia-ml.so.1", 1);
    rs::testing::TempDir no_rapl;
    EnergyMeter meter(kGpu0, no_rapl.path());
    meter.start();
    REQUIRE(meter.epoch_mark() == 0);
    EnergyResult r = meter.stop();
    REQUIRE(r.method == "none");
    REQUIRE(contains(r.note, "cannot load NVML"));
  }
  SECTION("driver not loaded") {
    use_fake_nvml({{"FAKE_NVML_INIT", "fail"}});
    EnergyResult r = measure(kGpu0, 0.01);
    REQUIRE(r.method == "none");
    REQUIRE(contains(r.note, "Driver Not Loaded"));
  }
}
