#include "energy/energy_output.h"

#include <fmt/format.h>

namespace rs::energy {
namespace {

using nlohmann::json;

std::string shown_key(const std::string& key) { return key.empty() ? "(none)" : key; }

std::string kwh(double joules) { return fmt::format("{:.3f}", joules / kJoulesPerKwh); }

// "nvml-counter 12 (1.234 kWh), estimate 3 (0.456 kWh)"
std::string method_mix(const EnergyTotals& totals) {
  std::string mix;
  for (const auto& [method, share] : totals.methods)
    mix += fmt::format("{}{} {} ({} kWh)", mix.empty() ? "" : ", ", method, share.runs, kwh(share.joules));
  return mix;
}

std::vector<std::string> energy_row(const EnergyTotals& t, const SiteConfig& site) {
  return {shown_key(t.key),
          std::to_string(t.runs),
          fmt::format("{:.2f}", t.gpu_hours),
          kwh(t.gpu_j),
          kwh(t.cpu_j),
          fmt::format("{:.3f}", t.kwh()),
          fmt::format("{:.3f}", co2_kg(t.kwh(), site)),
          fmt::format("{:.3f}", t.estimated_kwh()),
          fmt::format("{:.3f}", co2_kg(t.estimated_kwh(), site)),
          method_mix(t)};
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

json site_value_json(const SiteValue& v) { return {{"value", v.value}, {"source", v.source}}; }

}  // namespace

report::Table energy_table(const EnergyReport& report, const SiteConfig& site) {
  report::Table table;
  table.title = "Energy by " + group_by_name(report.by);
  table.headers = {group_by_name(report.by), "runs", "GPU-h", "GPU kWh", "CPU kWh", "kWh", "CO2 kg",
                   "est. kWh", "est. CO2 kg", "methods (runs, kWh)"};
  table.align = "lrrrrrrrrl";
  for (const EnergyTotals& group : report.groups) table.rows.push_back(energy_row(group, site));
  table.rows.push_back(energy_row(report.total, site));
  table.footnotes = {
      "GPU kWh, CPU kWh, kWh: measured (nvml-counter, nvml-power, rapl); kWh = (gpu_j + cpu_j) / 3.6e6.",
      "est.: not measured but estimated, as GPU TDP x wall time (usually too high) or by the run file's "
      "writer; never part of the measured columns.",
      "CO2 kg = kWh x PUE x carbon intensity, for measured and estimated energy alike.",
      "GPU-h: /timing/wall_s of the runs on a GPU (/env/gpu_name set), one GPU each.",
      "methods: each group's runs by how their energy was obtained, with the kWh they contribute.",
  };
  return table;
}

report::Table slurm_table(const SlurmCheck& check) {
  report::Table table;
  table.title = check.summary;
  table.headers = {"job", "runs", "our wall s", "SLURM elapsed s", "our kWh", "SLURM kWh", "AllocTRES", "note"};
  table.align = "lrrrrrll";
  for (const JobComparison& job : check.jobs) {
    const bool known = job.slurm.has_value();
    const bool has_energy = known && job.slurm->consumed_j.has_value();
    table.rows.push_back({job.job_id, std::to_string(job.runs), fmt::format("{:.0f}", job.wall_s),
                          known ? fmt::format("{:.0f}", job.slurm->elapsed_s) : "-", kwh(job.measured_j),
                          has_energy ? kwh(*job.slurm->consumed_j) : "-", known ? job.slurm->alloc_tres : "-",
                          job.note});
  }
  if (check.done)
    table.footnotes = {"SLURM's energy (ConsumedEnergyRaw) is per node and records NVIDIA GPUs as 0 J: it is a "
                       "cross-check of scale at best, never a replacement for the runs' own measurements."};
  return table;
}

std::vector<std::string> energy_notes(const EnergyReport& report, const SiteConfig& site,
                                      const SlurmCheck& check, const ScannedRuns& scanned) {
  std::vector<std::string> notes = {
      fmt::format("PUE {}; source: {}", site.pue.value, site.pue.source),
      fmt::format("carbon intensity {} kg CO2e/kWh; source: {}", site.carbon_intensity.value,
                  site.carbon_intensity.source),
  };
  for (const auto& [model, runs] : report.unknown_gpu_models)
    notes.push_back(fmt::format("{} run{} on '{}' measured nothing and the TDP table does not know the model: "
                                "no energy counted for them", runs, runs == 1 ? "" : "s", model));
  if (scanned.before_since > 0)
    notes.push_back(fmt::format("{} run{} finished before --since and are left out", scanned.before_since,
                                scanned.before_since == 1 ? "" : "s"));
  for (const SkippedFile& file : scanned.skipped) notes.push_back("skipped " + file.path + ": " + file.reason);
  notes.push_back(check.summary);
  if (check.local_runs > 0)
    notes.push_back(fmt::format("{} run{} ran under `sweep run`, not SLURM", check.local_runs,
                                check.local_runs == 1 ? "" : "s"));
  if (check.runs_without_job > 0)
    notes.push_back(fmt::format("{} run{} name no SLURM job", check.runs_without_job,
                                check.runs_without_job == 1 ? "" : "s"));
  return notes;
}

json energy_json(const EnergyReport& report, const SiteConfig& site, const SlurmCheck& check,
                 const ScannedRuns& scanned) {
  json groups = json::array();
  for (const EnergyTotals& group : report.groups) groups.push_back(totals_json(group, site));
  json jobs = json::array();
  for (const JobComparison& job : check.jobs) {
    json slurm = nullptr;
    if (job.slurm) {
      slurm = {{"elapsed_s", job.slurm->elapsed_s}, {"alloc_tres", job.slurm->alloc_tres},
               {"consumed_j", job.slurm->consumed_j ? json(*job.slurm->consumed_j) : json(nullptr)},
               {"nodes", job.slurm->nodes}};
    }
    jobs.push_back({{"job_id", job.job_id}, {"runs", job.runs}, {"wall_s", job.wall_s},
                    {"measured_j", job.measured_j}, {"slurm", slurm}, {"note", job.note}});
  }
  json skipped = json::array();
  for (const SkippedFile& file : scanned.skipped) skipped.push_back({{"path", file.path}, {"reason", file.reason}});
  return {{"by", group_by_name(report.by)},
          {"pue", site_value_json(site.pue)},
          {"carbon_intensity_kg_per_kwh", site_value_json(site.carbon_intensity)},
          {"definitions",
           {{"kwh", "(gpu_j + cpu_j) / 3.6e6, measured joules only"},
            {"co2_kg", "kwh * pue * carbon_intensity_kg_per_kwh"},
            {"estimated_j", "not measured: GPU TDP * /timing/wall_s, or the run file's own estimate"},
            {"gpu_hours", "/timing/wall_s / 3600 of runs with /env/gpu_name set, one GPU each"}}},
          {"groups", groups},
          {"total", totals_json(report.total, site)},
          {"unknown_gpu_models", report.unknown_gpu_models},
          {"runs_before_since", scanned.before_since},
          {"skipped", skipped},
          {"slurm",
           {{"done", check.done}, {"summary", check.summary}, {"local_runs", check.local_runs},
            {"runs_without_job", check.runs_without_job}, {"jobs", jobs}}}};
}

}  // namespace rs::energy
