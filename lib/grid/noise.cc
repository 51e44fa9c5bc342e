#include "grid/noise.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/error.h"
#include "util/splitmix64.h"

namespace rs::grid {
namespace {

using contract::Mode;
using contract::NoiseSource;
using nlohmann::json;

const std::vector<std::string> kPresets = {"algo+impl", "algo", "impl", "control"};

std::optional<NoiseSource> source_of(const json& item) {
  if (!item.is_string()) return std::nullopt;
  return contract::noise_source_named(item.get_ref<const std::string&>());
}

}  // namespace

json normalize_noise(const json& setting) {
  std::string sources;
  for (NoiseSource source : contract::kNoiseSources)
    sources += (sources.empty() ? "" : ", ") + std::string(contract::noise_source_name(source));
  const std::string expected = fmt::format("a preset ({}) or a list of sources ({})", fmt::join(kPresets, ", "), sources);
  if (setting.is_string()) {
    std::string s = setting.get<std::string>();
    if (std::find(kPresets.begin(), kPresets.end(), s) != kPresets.end()) return setting;
    if (source_of(setting))
      throw InputError(fmt::format("expected {}, got \"{}\"; to vary one source write [{}]",
                                   expected, s, s));
    throw InputError(fmt::format("expected {}, got \"{}\"", expected, s));
  }
  if (!setting.is_array()) throw InputError(fmt::format("expected {}, got {}", expected, setting.dump()));
  VaryingSources present{};
  for (const auto& item : setting) {
    std::optional<NoiseSource> source = source_of(item);
    if (!source) throw InputError(fmt::format("expected {}, got {} in the list", expected, item.dump()));
    bool& listed = present[static_cast<size_t>(*source)];
    if (listed) throw InputError(fmt::format("source {} is listed twice", item.dump()));
    listed = true;
  }
  json sorted = json::array();
  for (NoiseSource source : contract::kNoiseSources)
    if (present[static_cast<size_t>(source)]) sorted.push_back(contract::noise_source_name(source));
  return sorted;
}

std::optional<Mode> preset_mode(const json& setting) {
  if (!setting.is_string()) return std::nullopt;
  std::string s = setting.get<std::string>();
  return (s == "algo+impl" || s == "impl") ? Mode::kNd : Mode::kD;
}

bool source_varies(const json& setting, NoiseSource source) {
  if (setting.is_string()) {
    std::string s = setting.get<std::string>();
    bool algo = s == "algo+impl" || s == "algo";
    return algo && source != NoiseSource::kBitflip;
  }
  for (const auto& item : setting)
    if (source_of(item) == source) return true;
  return false;
}

VaryingSources varying_sources(const json& setting) {
  VaryingSources varies{};
  for (NoiseSource source : contract::kNoiseSources)
    varies[static_cast<size_t>(source)] = source_varies(setting, source);
  return varies;
}

contract::SourceSeeds replica_seeds(const VaryingSources& varies, int64_t seed, int64_t replica) {
  contract::SourceSeeds seeds;
  for (NoiseSource source : contract::kNoiseSources) {
    if (varies[static_cast<size_t>(source)]) seeds[source] = derive_seed(seed, source, replica);
    else seeds[source] = source == NoiseSource::kBitflip ? -1 : seed;
  }
  return seeds;
}

int64_t derive_seed(int64_t seed, NoiseSource source, int64_t replica) {
  const auto source_number = static_cast<uint64_t>(source) + 1;
  uint64_t x = splitmix64(static_cast<uint64_t>(seed));
  x = splitmix64(x ^ source_number);
  x = splitmix64(x ^ static_cast<uint64_t>(replica));
  return static_cast<int64_t>(x >> 1);
}

}  // namespace rs::grid
