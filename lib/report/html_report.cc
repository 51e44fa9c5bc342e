#include "report/html_report.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "contract/mode.h"
#include "energy/energy_format.h"
#include "report/headline.h"
#include "report/number_text.h"
#include "report/plot_accuracy.h"
#include "report/plot_bars.h"
#include "report/plot_cosine.h"
#include "report/plot_heatmap.h"
#include "report/result_tables.h"
#include "stats/descriptive.h"
#include "util/html_escape.h"

namespace rs::report {

namespace {

const char kStyle[] = R"(body { font-family: system-ui, sans-serif; color: #222; max-width: 1320px;
       margin: 1.5em auto; padding: 0 1em; }
h2 { border-bottom: 2px solid #444; padding-bottom: 0.2em; margin-top: 2em; }
nav a { margin-right: 1em; }
.banner { background: #b00020; color: #fff; padding: 0.6em 0.8em; font-weight: bold; }
.note { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.6em 0.8em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 1.2em 0 0.3em; font-size: 0.85em; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
th, td { padding: 0.2em 0.5em; border-bottom: 1px solid #ddd; }
td.r { white-space: nowrap; }
th { vertical-align: bottom; }
thead th { border-bottom: 2px solid #444; }
.r { text-align: right; font-variant-numeric: tabular-nums; }
.footnotes { font-size: 0.8em; color: #555; margin-top: 0.2em; }
.group { border-top: 1px solid #ccc; margin-top: 1em; }
.group h3 { margin-bottom: 0.2em; }
.params { font-size: 0.85em; color: #444; word-break: break-all; }
details { color: #444; }
.plots { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.empty { color: #777; font-style: italic; }
.caption { font-size: 0.85em; color: #555; margin-top: 0; }
svg text { font-size: 11px; fill: #333; }
svg .axis-title { font-size: 12px; }
svg .axis, svg .whisker { stroke: #444; stroke-width: 1; }
svg .whisker-weak { stroke: #888; stroke-width: 1; stroke-dasharray: 3 2; }
svg .box { fill: #cfe0f3; stroke: #3b6ea8; }
svg .median { stroke: #1d3f66; stroke-width: 2; }
svg .nd-point { fill: #3b6ea8; fill-opacity: 0.8; }
svg .d-point { fill: #c0392b; }
svg .d-line { stroke: #c0392b; stroke-width: 2; stroke-dasharray: 5 3; }
svg .d-label { fill: #c0392b; font-weight: bold; }
svg .band { fill: #3b6ea8; fill-opacity: 0.25; }
svg .mean-line { fill: none; stroke: #1d3f66; stroke-width: 2; }
svg .mean-point { fill: #1d3f66; }
svg .bar-train { fill: #3b6ea8; }
svg .bar-gpu { fill: #e08e0b; }
svg .bar-energy { fill: #2e8b57; }
svg .bar-estimate { fill: #9acd32; }
svg .ref-line { stroke: #c0392b; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .section-label { font-weight: bold; font-size: 12px; }
svg .row-rule { stroke: #eee; stroke-width: 1; }
svg .dot { fill: #3b6ea8; }
svg .dot-highlight { fill: #c0392b; }
svg .dot-value { fill: #3b6ea8; fill-opacity: 0.45; }
svg .heat-0 { fill: #2166ac; } svg .heat-1 { fill: #4393c3; } svg .heat-2 { fill: #92c5de; }
svg .heat-3 { fill: #d1e5f0; } svg .heat-4 { fill: #f7f7f7; } svg .heat-5 { fill: #fddbc7; }
svg .heat-6 { fill: #f4a582; } svg .heat-7 { fill: #d6604d; } svg .heat-8 { fill: #b2182b; }
svg .heat-none { fill: #fff; stroke: #ddd; }
svg .cell-text { font-size: 10px; } svg .on-dark { fill: #fff; }
)";

// A table as the page shows it: the columns that name a row's group (#, group_id and one per
// parameter that differs, which grow without bound) become "#" and one "group" column with the
// group's name, which wraps (the hash is in each group's details); the table scrolls sideways
// inside its box if it still does not fit. A row without a group number (the energy table's
// total) keeps its first named cell.
std::string table_html(Table table, const std::vector<std::string>& labels) {
  if (table.group_columns > 1) {
    const size_t n = table.group_columns;
    auto replace_group_cells = [&](std::vector<std::string>* cells,
                                   std::vector<std::string> group) {
      cells->erase(cells->begin(), cells->begin() + static_cast<std::ptrdiff_t>(n));
      cells->insert(cells->begin(), group.begin(), group.end());
    };
    replace_group_cells(&table.headers, {"#", "group"});
    table.align.replace(0, std::min(n, table.align.size()), "rl");
    for (auto& row : table.rows) {
      size_t number = 0;
      std::string label;
      const char* end = row[0].data() + row[0].size();
      if (std::from_chars(row[0].data(), end, number).ptr == end && number >= 1 &&
          number <= labels.size()) {
        label = labels[number - 1];
      } else {
        for (size_t c = 1; c < n && label.empty(); ++c) label = row[c];
      }
      replace_group_cells(&row, {row[0], label});
    }
    table.group_columns = 2;
  }
  return "<div class=\"scroll\">\n" + to_html(table) + "</div>\n";
}

std::string group_section(const SweepSummary& summary, const std::vector<std::string>& labels,
                          size_t g) {
  const GroupStats& group = summary.groups[g];
  std::string title = fmt::format("#{}", g + 1);
  std::string cosine = cosine_plot(group.stability, title + " last-layer cosine per epoch");
  if (cosine.empty()) {
    cosine = "<p class=\"empty\">No last-layer cosine: it needs two runs of one mode with "
             "last-layer weights of the same shape.</p>\n";
  }
  return fmt::format(
      "<article class=\"group\" id=\"group-{}\">\n<h3>{} {}</h3>\n"
      "<details><summary>group {} and its parameters</summary><p class=\"params\"><code>{}"
      "</code></p></details>\n<div class=\"plots\">\n{}{}</div>\n</article>\n",
      g + 1, title, escape_html(labels[g]), escape_html(group.group_id),
      escape_html(group.params.dump()),
      accuracy_plot(group,
                    fmt::format("{} final test {} of the runs", title,
                                stats::metric_label(summary.metric)),
                    stats::metric_label(summary.metric)),
      cosine);
}

bool has_values(const BarSeries& series) {
  return std::any_of(series.values.begin(), series.values.end(),
                     [](const auto& value) { return value.has_value(); });
}

// A chart with one row per group, labelled "#3 sgd · seed 0", the hash in the tooltip.
BarChart group_chart(const SweepSummary& summary, const std::vector<std::string>& labels) {
  BarChart chart;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    chart.labels.push_back(fmt::format("#{} {}", g + 1, labels[g]));
    chart.tooltips.push_back(fmt::format("#{} {} (group {})", g + 1, labels[g],
                                         summary.groups[g].group_id));
  }
  return chart;
}

std::string overhead_section(const SweepSummary& summary,
                             const std::vector<std::string>& labels) {
  BarChart chart = group_chart(summary, labels);
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    if (summary.groups[g].nd_vs_d.overhead_reliable == false) chart.labels[g] += " (too short)";
  }
  chart.title = "determinism overhead, D/ND time per group (seed 001's form)";
  chart.axis_title = "mean time of the D runs / mean time of the ND runs (1 = no overhead)";
  chart.reference = 1.0;
  BarSeries train{"train_s D/ND", "bar-train", {}}, gpu{"gpu_s D/ND", "bar-gpu", {}};
  for (const auto& group : summary.groups) {
    train.values.push_back(group.nd_vs_d.overhead_train);
    gpu.values.push_back(group.nd_vs_d.overhead_gpu);
  }
  if (has_values(train)) chart.series.push_back(train);
  if (has_values(gpu)) chart.series.push_back(gpu);
  std::string plot = chart.series.empty()
                         ? "<p class=\"empty\">No group has both ND and D runs.</p>\n"
                         : bar_chart(chart);
  std::string caveat;
  if (std::any_of(summary.groups.begin(), summary.groups.end(), [](const GroupStats& group) {
        return group.nd_vs_d.overhead_reliable == false;
      })) {
    caveat = fmt::format(
        "<p class=\"note\">Groups marked \"too short\" train for less than {} s: start-up and "
        "the timer's resolution weigh as much as the training, so their ratio says little about "
        "what determinism costs. The table gives each mode's spread (sd) beside its mean.</p>\n",
        kMinTimedSeconds);
  }
  return "<section id=\"overhead\">\n<h2>Determinism overhead</h2>\n" + caveat + plot +
         table_html(overhead_table(summary), labels) + "</section>\n";
}

// Seed 003's matrix: a row per group that ran in two environments or more, a column per
// environment, each cell the environment's mean and n, coloured by how far that mean lies from
// the mean of the group's environment means; then the environment and portability tables.
std::string environments_section(const SweepSummary& summary, const std::vector<std::string>& labels) {
  HeatMap map;
  map.title = "mean accuracy per configuration and environment";
  map.legend = "colour: the environment's mean minus the mean of the group's environment means, in "
               "percentage points (red above, blue below); text: mean % (n runs)";
  std::vector<size_t> rows;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    if (summary.groups[g].environments.environments.size() < 2) continue;
    rows.push_back(g);
    for (const auto& entry : summary.groups[g].environments.environments) {
      const std::string column = environment_label(entry.environment);
      if (std::find(map.columns.begin(), map.columns.end(), column) == map.columns.end())
        map.columns.push_back(column);
    }
  }
  std::sort(map.columns.begin(), map.columns.end());
  for (size_t g : rows) {
    const EnvironmentAxis& axis = summary.groups[g].environments;
    std::vector<double> means;
    for (const auto& entry : axis.environments) means.push_back(*entry.mean);
    const double centre = *stats::mean(means);  // two environments or more
    map.row_labels.push_back(fmt::format("#{} {}", g + 1, labels[g]));
    map.row_tooltips.push_back(fmt::format("#{} {} (group {}, over {} runs)", g + 1, labels[g],
                                           summary.groups[g].group_id, contract::mode_name(summary.groups[g].stability_over)));
    map.values.emplace_back(map.columns.size());
    map.texts.emplace_back(map.columns.size());
    for (const auto& entry : axis.environments) {
      const size_t c = static_cast<size_t>(
          std::find(map.columns.begin(), map.columns.end(), environment_label(entry.environment)) -
          map.columns.begin());
      map.values.back()[c] = 100 * (*entry.mean - centre);
      map.texts.back()[c] = fmt::format("{} ({})", percent(entry.mean), entry.run_ids.size());
    }
  }
  std::string out = "<section id=\"environments\">\n<h2>Environments</h2>\n<p>The same configurations in "
                    "several environments (seed 003): the environment's name from the grid, the device "
                    "and the versions the runs saw.</p>\n" + heat_map(map) +
                    table_html(environment_table(summary), labels);
  if (has_portability(summary)) out += table_html(portability_table(summary, false), labels);
  if (!summary.adaptive.empty()) out += table_html(adaptive_table(summary), labels);
  if (summary.forecast) out += table_html(forecast_table(summary), labels);
  if (!summary.broken_promises.empty())
    out += "<p class=\"banner\">" + escape_html(broken_promises_note(summary)) + "</p>\n";
  return out + "</section>\n";
}

// Why a sweep measured no energy at all, from the methods its runs are listed under.
std::string nothing_measured(const energy::EnergyTotals& total) {
  return fmt::format(
      "<p class=\"empty\">No energy was measured: all {} runs are listed under method "
      "<code>none</code>: where they ran, no NVIDIA GPU offered an NVML energy counter or power "
      "reading, no RAPL counter was readable (<code>/sys/class/powercap</code>), and no GPU "
      "model gave a TDP to estimate from. docs/energy.md says how to enable them; on a GPU "
      "node the same sweep measures itself.</p>\n",
      total.runs);
}

std::string energy_section(const SweepSummary& summary,
                           const std::vector<std::string>& labels) {
  BarChart chart = group_chart(summary, labels);
  chart.title = "energy per group (kWh)";
  chart.axis_title = "kWh: measured (gpu_j + cpu_j) / 3.6e6, and estimated apart";
  BarSeries measured{"kWh", "bar-energy", {}}, estimated{"est. kWh", "bar-estimate", {}};
  for (const auto& group : summary.groups) {
    measured.values.push_back(group.energy.kwh());
    estimated.values.push_back(group.energy.estimated_kwh());
  }
  const energy::SiteConfig& site = summary.site;
  energy::EnergyTotals total = total_energy(summary);
  bool measured_nothing = total.runs_by("none") == total.runs;
  chart.series.push_back(measured);
  if (total.estimated_j > 0) chart.series.push_back(estimated);
  std::string factors;
  for (const auto& line : energy::site_lines(site)) factors += "<li>" + escape_html(line) + "</li>\n";
  return fmt::format(
      "<section id=\"energy\">\n<h2>Energy</h2>\n<p>{} kWh measured in all, {} kg CO2; {} kWh "
      "estimated, {} kg CO2. CO2 = kWh x PUE x carbon intensity, with:</p>\n<ul>\n{}</ul>\n"
      "{}{}</section>\n",
      energy::kwh_text(total.kwh()), energy::kwh_text(energy::co2_kg(total.kwh(), site)),
      energy::kwh_text(total.estimated_kwh()),
      energy::kwh_text(energy::co2_kg(total.estimated_kwh(), site)), factors,
      measured_nothing ? nothing_measured(total) : bar_chart(chart),
      table_html(energy_table(summary, false), labels));
}

std::string runs_section(const SweepSummary& summary) {
  std::string out = "<section id=\"runs\">\n<h2>Runs not counted</h2>\n";
  if (summary.skipped.empty() && summary.missing_run_ids.empty()) {
    return out + "<p>None: every run file was read and every planned run is there.</p>\n"
                 "</section>\n";
  }
  if (!summary.skipped.empty()) {
    out += "<h3>Skipped run files</h3>\n<ul>\n";
    for (const auto& run : summary.skipped) {
      out += "<li><code>" + escape_html(run.path_or_run_id) + "</code>: " +
             escape_html(run.reason) + "</li>\n";
    }
    out += "</ul>\n";
  }
  if (!summary.missing_run_ids.empty()) {
    out += "<h3>Missing planned runs (rerun these)</h3>\n<p><code>";
    for (size_t i = 0; i < summary.missing_run_ids.size(); ++i) {
      out += (i > 0 ? " " : "") + escape_html(summary.missing_run_ids[i]);
    }
    out += "</code></p>\n";
  }
  return out + "</section>\n";
}

// "3 run files", "1 run file".
std::string count_of(size_t n, const char* thing) {
  return fmt::format("{} {}{}", n, thing, n == 1 ? "" : "s");
}

// What the page is about: runs read (of how many planned, when there is a plan), groups,
// skipped and missing runs, and what is compared.
std::string overview(const SweepSummary& summary) {
  std::string read = summary.runs_planned > 0
                         ? fmt::format("{} read of {} planned", count_of(summary.runs_read, "run"),
                                       summary.runs_planned)
                         : fmt::format("{} read (no plan.jsonl)", count_of(summary.runs_read, "run"));
  return fmt::format(
      "<p>{}, in {}; {} skipped, {} missing. ND and D are compared in final test {} (%); every "
      "SD is the sample SD (ddof = 1). Every number, with its formula, is in "
      "<code>summary.json</code>.</p>\n",
      read, count_of(summary.groups.size(), "group"),
      count_of(summary.skipped.size(), "run file"),
      count_of(summary.missing_run_ids.size(), "planned run"),
      escape_html(stats::metric_label(summary.metric)));
}

}  // namespace

std::string html_report(const SweepSummary& summary) {
  std::string name = escape_html(summary.sweep_name);
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>{0}: ReproSweep results</title>\n<style>\n{1}</style>\n</head>\n<body>\n"
      "<h1>ReproSweep results: {0}</h1>\n",
      name, kStyle);
  out += overview(summary);
  std::string banner = determinism_banner(summary);
  if (!banner.empty()) out += "<p class=\"banner\">" + escape_html(banner) + "</p>\n";
  if (summary.groups.empty()) {
    return out + "<p>" + escape_html(no_runs_sentence(summary)) + "</p>\n" + runs_section(summary) +
           "</body>\n</html>\n";
  }
  std::vector<std::string> labels = group_labels(summary);
  out += "<nav><a href=\"#glance\">At a glance</a><a href=\"#nd-vs-d\">ND vs D</a>"
         "<a href=\"#groups\">Groups</a>"
         "<a href=\"#stability\">Stability</a>" +
         std::string(has_several_environments(summary) ? "<a href=\"#environments\">Environments</a>" : "") +
         "<a href=\"#overhead\">Overhead</a>"
         "<a href=\"#energy\">Energy</a><a href=\"#runs\">Runs not counted</a></nav>\n";

  out += headline_section(summary, labels);
  out += "<section id=\"nd-vs-d\">\n<h2>ND vs D</h2>\n" +
         table_html(nd_vs_d_table(summary, false), labels) +
         table_html(significance_table(summary), labels) +
         "</section>\n";
  out += "<section id=\"groups\">\n<h2>Groups</h2>\n<p>Per group: each run's value (ND and "
         "D rows, box = quartiles, whiskers = min and max, dashed line = the D value) and the "
         "cosine similarity of the runs' last-layer weights per epoch (band = min to max over "
         "pairs, line = mean).</p>\n";
  for (size_t g = 0; g < summary.groups.size(); ++g) out += group_section(summary, labels, g);
  out += "</section>\n";
  out += "<section id=\"stability\">\n<h2>Stability</h2>\n" +
         table_html(stability_table(summary, false), labels) +
         table_html(per_class_table(summary), labels);
  if (has_tta(summary)) out += table_html(tta_table(summary), labels);
  out += "</section>\n";
  if (has_several_environments(summary)) out += environments_section(summary, labels);
  out += overhead_section(summary, labels) + energy_section(summary, labels) +
         runs_section(summary);
  return out + "</body>\n</html>\n";
}

}  // namespace rs::report
