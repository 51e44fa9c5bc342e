#include "grid/noise.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/error.h"

namespace rs::grid {
namespace {

using nlohmann::json;

const std::vector<std::string> kPresets = {"algo+impl", "algo", "impl", "control"};

uint64_t splitmix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int source_number(const std::string& source) {
  for (size_t i = 0; i < kSources.size(); ++i)
    if (source == kSources[i]) return static_cast<int>(i) + 1;
  return 0;
}

}  // namespace

json normalize_noise(const json& setting) {
  const char* expected =
      "a preset (algo+impl, algo, impl, control) or a list of sources "
      "(init, shuffle, augment, dropout, bitflip)";
  if (setting.is_string()) {
    std::string s = setting.get<std::string>();
    if (std::find(kPresets.begin(), kPresets.end(), s) != kPresets.end()) return setting;
    if (source_number(s) != 0)
      throw InputError(fmt::format("expected {}, got \"{}\"; to vary one source write [{}]",
                                   expected, s, s));
    throw InputError(fmt::format("expected {}, got \"{}\"", expected, s));
  }
  if (!setting.is_array()) throw InputError(fmt::format("expected {}, got {}", expected, setting.dump()));
  std::vector<bool> present(kSources.size(), false);
  for (const auto& item : setting) {
    int n = item.is_string() ? source_number(item.get<std::string>()) : 0;
    if (n == 0) throw InputError(fmt::format("expected {}, got {} in the list", expected, item.dump()));
    if (present[n - 1]) throw InputError(fmt::format("source {} is listed twice", item.dump()));
    present[n - 1] = true;
  }
  json sorted = json::array();
  for (size_t i = 0; i < kSources.size(); ++i)
    if (present[i]) sorted.push_back(kSources[i]);
  return sorted;
}

std::optional<std::string> preset_mode(const json& setting) {
  if (!setting.is_string()) return std::nullopt;
  std::string s = setting.get<std::string>();
  return (s == "algo+impl" || s == "impl") ? "nd" : "d";
}

bool source_varies(const json& setting, const std::string& source) {
  if (setting.is_string()) {
    std::string s = setting.get<std::string>();
    bool algo = s == "algo+impl" || s == "algo";
    return algo && source != "bitflip";
  }
  for (const auto& item : setting)
    if (item.get<std::string>() == source) return true;
  return false;
}

std::array<bool, kSources.size()> varying_sources(const json& setting) {
  std::array<bool, kSources.size()> varies{};
  for (size_t s = 0; s < kSources.size(); ++s) varies[s] = source_varies(setting, kSources[s]);
  return varies;
}

int64_t source_seed(bool varies, size_t source, int64_t seed, int64_t replica) {
  if (varies) return derive_seed(seed, static_cast<int>(source) + 1, replica);
  return std::string(kSources[source]) == "bitflip" ? -1 : seed;
}

int64_t derive_seed(int64_t seed, int source_number_1_to_5, int64_t replica) {
  uint64_t x = splitmix64(static_cast<uint64_t>(seed));
  x = splitmix64(x ^ static_cast<uint64_t>(source_number_1_to_5));
  x = splitmix64(x ^ static_cast<uint64_t>(replica));
  return static_cast<int64_t>(x >> 1);
}

}  // namespace rs::grid
