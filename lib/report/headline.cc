#include "report/headline.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "contract/mode.h"
#include "report/number_text.h"
#include "report/plot_dots.h"
#include "util/html_escape.h"

namespace rs::report {

namespace {

// "noise [init] · D runs": what a group varies, from its params' noise list and the runs its
// spread is measured over.
std::string noise_heading(const GroupStats& group) {
  std::string noise = "-";
  if (group.params.contains("noise")) {
    const nlohmann::json& value = group.params.at("noise");
    if (value.is_string()) {
      noise = value.get<std::string>();
    } else if (value.is_array()) {  // [init, shuffle], as the tables write it
      std::vector<std::string> names;
      for (const auto& name : value) {
        names.push_back(name.is_string() ? name.get<std::string>() : name.dump());
      }
      noise = fmt::format("[{}]", fmt::join(names, ","));
    } else {
      noise = value.dump();
    }
  }
  std::string runs = group.stability_over == contract::Mode::kD ? "D runs" : "ND runs";
  if (noise == "[]") {
    return fmt::format("noise [] (every source fixed) · {}: {}", runs,
                       group.stability_over == contract::Mode::kD ? "nothing should vary"
                                                   : "the kernels' nondeterminism alone");
  }
  return fmt::format("noise {} · {}", noise, runs);
}

std::string spread_figure(const SweepSummary& summary, const std::vector<std::string>& labels) {
  DotPlot plot;
  plot.title = "how much the runs of each group differ";
  plot.axis_title = fmt::format("SD of the {} across the runs (%); whiskers: 95 % bootstrap CI",
                                stats::metric_label(summary.metric));
  std::map<std::string, size_t> section_of;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const Stability& s = group.stability;
    if (s.n_runs < 2) continue;
    std::string heading = noise_heading(group);
    if (!section_of.count(heading)) {
      section_of[heading] = plot.sections.size();
      plot.sections.push_back({heading, {}});
    }
    DotRow row;
    row.label = fmt::format("#{} {}", g + 1, labels[g]);
    if (s.metric_sd) row.value = 100 * *s.metric_sd;
    if (s.metric_sd_ci95) {
      row.interval_lo = 100 * s.metric_sd_ci95->lo;
      row.interval_hi = 100 * s.metric_sd_ci95->hi;
      row.weak_interval = s.n_runs < kBootstrapCaveatBelow;
    }
    row.tooltip = fmt::format("{}: SD {} %, n = {} runs", row.label, fixed(row.value, 2), s.n_runs);
    plot.sections[section_of[heading]].rows.push_back(row);
  }
  if (plot.sections.empty()) {
    return "<p class=\"empty\">No group has two runs of one mode to compare.</p>\n";
  }
  return dot_plot(plot);
}

std::string nd_vs_d_figure(const SweepSummary& summary, const std::vector<std::string>& labels) {
  DotPlot plot;
  plot.title = "ND vs D per configuration";
  plot.axis_title = fmt::format("delta% of the {}: small: each ND run, large: mean (red: p <= 0.05)",
                                stats::metric_label(summary.metric));
  plot.reference = 0;
  DotSection section;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const NdVsD& r = group.nd_vs_d;
    if (r.n_nd == 0 || r.n_d == 0) continue;
    DotRow row;
    row.label = fmt::format("#{} {}", g + 1, labels[g]);
    row.value = r.delta_pct;
    row.highlight = r.significant.value_or(false);
    if (r.d_value && *r.d_value != 0) {
      for (double x : group.nd_values) row.values.push_back(100 * (x - *r.d_value) / *r.d_value);
    }
    row.tooltip = fmt::format("{}: delta {} %, p {}", row.label, signed_fixed(r.delta_pct, 2),
                              p_value_text(r.p_value));
    section.rows.push_back(row);
  }
  if (section.rows.empty()) {
    return "<p class=\"empty\">No group has both ND and D runs: nothing to compare ND with D "
           "in (a one-source-at-a-time design shows its result in the figure above).</p>\n";
  }
  plot.sections.push_back(section);
  return dot_plot(plot);
}

}  // namespace

std::string headline_section(const SweepSummary& summary, const std::vector<std::string>& labels) {
  std::string out = "<section id=\"glance\">\n<h2>At a glance</h2>\n";
  if (std::string note = cpu_note(summary); !note.empty()) {
    out += "<p class=\"note\">" + escape_html(note) + "</p>\n";
  }
  out += "<h3>How much the runs of each group differ, by noise source</h3>\n" +
         spread_figure(summary, labels);
  bool weak = std::any_of(summary.groups.begin(), summary.groups.end(), [](const GroupStats& g) {
    return g.stability.n_runs >= 2 && g.stability.n_runs < kBootstrapCaveatBelow;
  });
  if (weak) {
    out += fmt::format("<p class=\"caption\">Dashed whiskers: fewer than {} runs, too few for a "
                       "bootstrap interval to be read as 95 %.</p>\n",
                       kBootstrapCaveatBelow);
  }
  out += "<h3>ND against D, per configuration</h3>\n" + nd_vs_d_figure(summary, labels);
  return out + "</section>\n";
}

}  // namespace rs::report
