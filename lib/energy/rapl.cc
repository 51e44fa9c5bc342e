#include "energy/rapl.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

namespace rs::energy {
namespace {

// The number in a one-line sysfs file; false when it cannot be read (often: not root).
bool read_number(const std::string& path, uint64_t* value) {
  std::ifstream file(path);
  return static_cast<bool>(file >> *value);
}

std::string read_line(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

}  // namespace

RaplCounter::RaplCounter(const std::string& powercap_dir) {
  const std::regex package_zone("intel-rapl:[0-9]+");
  std::vector<std::string> dirs;
  // The error_code forms: a missing or unreadable folder means no RAPL, not an exception.
  std::error_code error;
  std::filesystem::directory_iterator entry(powercap_dir, error), end;
  for (; !error && entry != end; entry.increment(error)) {
    if (std::regex_match(entry->path().filename().string(), package_zone))
      dirs.push_back(entry->path().string());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const std::string& dir : dirs) {
    if (read_line(dir + "/name") == "psys") continue;
    Zone zone;
    zone.energy_path = dir + "/energy_uj";
    if (read_number(zone.energy_path, &zone.last_uj) &&
        read_number(dir + "/max_energy_range_uj", &zone.range_uj))
      zones_.push_back(zone);
  }
  if (!zones_.empty()) return;
  why_not_ = dirs.empty() ? "no RAPL package zones in " + powercap_dir
                          : "RAPL energy_uj not readable (root only since Linux 5.10)";
}

void RaplCounter::update() {
  for (Zone& zone : zones_) {
    uint64_t now = 0;
    if (!read_number(zone.energy_path, &now)) continue;
    uint64_t advanced = now >= zone.last_uj ? now - zone.last_uj : zone.range_uj - zone.last_uj + now;
    microjoules_ += static_cast<double>(advanced);
    zone.last_uj = now;
  }
}

}  // namespace rs::energy
