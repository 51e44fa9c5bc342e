// CPU energy from the RAPL counters Linux shows under /sys/class/powercap.
//
// Each CPU package is a zone intel-rapl:<N> (also on AMD) with energy_uj, a counter in
// microjoules that wraps to 0 after max_energy_range_uj. Only the package zones are summed:
// their sub-zones (cores, uncore, dram: intel-rapl:N:M) and the platform zone "psys" overlap
// them. Since Linux 5.10 energy_uj is readable by root only, so on most clusters nothing is
// available and the CPU's energy is recorded as 0.
//
// A counter can wrap within minutes at full load, and a wrap is only recognised when it
// happened at most once between two readings: call update() more often than that (the meter
// does, every ~100 ms).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rs::energy {

inline constexpr char kPowercapDir[] = "/sys/class/powercap";

class RaplCounter {
 public:
  // Finds and reads the package zones under `powercap_dir`.
  explicit RaplCounter(const std::string& powercap_dir = kPowercapDir);

  // True when at least one package zone could be read.
  bool available() const { return !zones_.empty(); }
  // Why nothing is available ("" when something is).
  const std::string& why_not() const { return why_not_; }

  // Reads every zone and adds what it advanced since the last reading.
  void update();
  // Joules since construction, as of the last update().
  double joules() const { return microjoules_ / 1e6; }

 private:
  struct Zone {
    std::string energy_path;
    uint64_t range_uj = 0;  // max_energy_range_uj: the counter goes up to it, then from 0 again
    uint64_t last_uj = 0;
  };
  std::vector<Zone> zones_;
  std::string why_not_;
  double microjoules_ = 0;
};

}  // namespace rs::energy
