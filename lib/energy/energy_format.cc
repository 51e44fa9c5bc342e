#include "energy/energy_format.h"

#include <cmath>

#include <fmt/format.h>

namespace rs::energy {
namespace {

using nlohmann::json;

// "nvml-counter 12 (1.234 kWh), estimate 3 (0.456 kWh)"
std::string method_mix(const EnergyTotals& totals) {
  std::string mix;
  for (const auto& [method, share] : totals.methods)
    mix += fmt::format("{}{} {} ({} kWh)", mix.empty() ? "" : ", ", method, share.runs,
                       kwh_text(share.joules / kJoulesPerKwh));
  return mix;
}

json site_value_json(const SiteValue& v) { return {{"value", v.value}, {"source", v.source}}; }

}  // namespace

std::vector<std::string> site_lines(const SiteConfig& site) {
  return {fmt::format("PUE {}; source: {}", site.pue.value, site.pue.source),
          fmt::format("carbon intensity {} kg CO2e/kWh; source: {}", site.carbon_intensity.value,
                      site.carbon_intensity.source)};
}

json site_json(const SiteConfig& site) {
  return {{"pue", site_value_json(site.pue)},
          {"carbon_intensity_kg_per_kwh", site_value_json(site.carbon_intensity)}};
}

EnergyColumns energy_columns() {
  return {{"runs", "GPU-h", "GPU kWh", "CPU kWh", "kWh", "CO2 kg", "est. kWh", "est. CO2 kg",
           "methods (runs, kWh)"},
          "rrrrrrrrl"};
}

std::vector<std::string> energy_cells(const EnergyTotals& t, const SiteConfig& site) {
  return {std::to_string(t.runs),
          fmt::format("{:.2f}", t.gpu_hours),
          kwh_text(t.gpu_j / kJoulesPerKwh),
          kwh_text(t.cpu_j / kJoulesPerKwh),
          kwh_text(t.kwh()),
          kwh_text(co2_kg(t.kwh(), site)),
          kwh_text(t.estimated_kwh()),
          kwh_text(co2_kg(t.estimated_kwh(), site)),
          method_mix(t)};
}

std::string energy_line(const EnergyTotals& t, const SiteConfig& site) {
  std::string line = fmt::format("energy: {} runs, {} kWh measured ({}), {} kg CO2e", t.runs,
                                 kwh_text(t.kwh()), method_mix(t), kwh_text(co2_kg(t.kwh(), site)));
  if (t.estimated_j > 0) {
    line += fmt::format("; {} kWh estimated, not measured ({} kg CO2e)",
                        kwh_text(t.estimated_kwh()), kwh_text(co2_kg(t.estimated_kwh(), site)));
  }
  return line;
}

std::vector<std::string> energy_footnotes() {
  return {
      "GPU kWh, CPU kWh, kWh: measured (nvml-counter, nvml-power, rapl); kWh = (gpu_j + cpu_j) / 3.6e6.",
      "est.: not measured but estimated, as GPU TDP x wall time (usually too high) or by the run file's "
      "writer; never part of the measured columns.",
      "CO2 kg = kWh x PUE x carbon intensity, for measured and estimated energy alike.",
      "GPU-h: /timing/wall_s of the runs on a GPU (/env/gpu_name set), one GPU each.",
      "methods: the runs by how their energy was obtained, with the kWh they contribute; none = "
      "nothing measured and nothing to estimate from (counted as 0 J).",
  };
}

std::string kwh_text(double kwh) {
  int decimals = 3;
  if (kwh != 0 && std::isfinite(kwh) && std::fabs(kwh) < 0.1)
    decimals = 2 - static_cast<int>(std::floor(std::log10(std::fabs(kwh))));
  return fmt::format("{:.{}f}", kwh, decimals);
}

json totals_json(const EnergyTotals& t, const SiteConfig& site) {
  json methods = json::object();
  for (const auto& [method, share] : t.methods) methods[method] = {{"runs", share.runs}, {"joules", share.joules}};
  return {{"key", t.key},
          {"runs", t.runs},
          {"gpu_j", t.gpu_j},
          {"cpu_j", t.cpu_j},
          {"kwh", t.kwh()},
          {"co2_kg", co2_kg(t.kwh(), site)},
          {"estimated_j", t.estimated_j},
          {"estimated_kwh", t.estimated_kwh()},
          {"estimated_co2_kg", co2_kg(t.estimated_kwh(), site)},
          {"gpu_hours", t.gpu_hours},
          {"methods", methods}};
}

json energy_definitions() {
  return {{"kwh", "(gpu_j + cpu_j) / 3.6e6, measured joules only"},
          {"co2_kg", "kwh * pue * carbon_intensity_kg_per_kwh"},
          {"estimated_j", "not measured: GPU TDP * /timing/wall_s, or the run file's own estimate"},
          {"estimated_co2_kg", "estimated_kwh * pue * carbon_intensity_kg_per_kwh"},
          {"gpu_hours", "/timing/wall_s / 3600 of runs with /env/gpu_name set, one GPU each"},
          {"methods", "the runs by the method their energy is listed under, with their measured and "
                      "estimated joules"}};
}

}  // namespace rs::energy
