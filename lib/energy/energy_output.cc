#include "energy/energy_output.h"

#include <fmt/format.h>

#include "energy/energy_format.h"

namespace rs::energy {
namespace {

using nlohmann::json;

std::string shown_key(const std::string& key) { return key.empty() ? "(none)" : key; }

std::string kwh(double joules) { return kwh_text(joules / kJoulesPerKwh); }

}  // namespace

Table energy_table(const EnergyReport& report, const SiteConfig& site) {
  Table table;
  table.title = "Energy by " + group_by_name(report.by);
  EnergyColumns columns = energy_columns();
  table.headers = {group_by_name(report.by)};
  table.headers.insert(table.headers.end(), columns.headers.begin(), columns.headers.end());
  table.align = "l" + columns.align;
  auto add_row = [&](const EnergyTotals& totals) {
    std::vector<std::string> row = {shown_key(totals.key)};
    std::vector<std::string> cells = energy_cells(totals, site);
    row.insert(row.end(), cells.begin(), cells.end());
    table.rows.push_back(row);
  };
  for (const EnergyTotals& group : report.groups) add_row(group);
  add_row(report.total);
  table.footnotes = energy_footnotes();
  return table;
}

Table slurm_table(const SlurmCheck& check) {
  Table table;
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
  std::vector<std::string> notes = site_lines(site);
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
  json out = {{"by", group_by_name(report.by)},
              {"definitions", energy_definitions()},
              {"groups", groups},
              {"total", totals_json(report.total, site)},
              {"unknown_gpu_models", report.unknown_gpu_models},
              {"runs_before_since", scanned.before_since},
              {"skipped", skipped},
              {"slurm",
               {{"done", check.done}, {"summary", check.summary}, {"local_runs", check.local_runs},
                {"runs_without_job", check.runs_without_job}, {"jobs", jobs}}}};
  out.update(site_json(site));
  return out;
}

}  // namespace rs::energy
