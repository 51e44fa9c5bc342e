#include "report/plot_accuracy.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/svg.h"
#include "stats/descriptive.h"

namespace rs::report {

namespace {

constexpr double kWidth = 440, kLeft = 44, kRight = 16, kTop = 24, kRowHeight = 44,
                 kBottom = 44;

struct Row {
  std::string name;  // "ND" or "D"
  const std::vector<std::string>* run_ids;
  const std::vector<double>* values;  // fractions
};

// A row's points spread over its height so that equal accuracies stay visible: the golden
// ratio sequence k * 0.618... mod 1 spreads points evenly whatever their number, and depends on
// nothing but k, so the plot is the same on every run.
double spread(size_t k) {
  double unused;
  return std::modf(static_cast<double>(k) * 0.6180339887498949, &unused) - 0.5;
}

void draw_box(Svg* svg, const Scale& x, double y, const std::vector<double>& percents) {
  double lo = *std::min_element(percents.begin(), percents.end());
  double hi = *std::max_element(percents.begin(), percents.end());
  double q1 = *stats::quantile(percents, 0.25), median = *stats::quantile(percents, 0.5);
  double q3 = *stats::quantile(percents, 0.75);
  add_line(svg, {x(lo), y}, {x(q1), y}, "whisker");
  add_line(svg, {x(q3), y}, {x(hi), y}, "whisker");
  add_line(svg, {x(lo), y - 5}, {x(lo), y + 5}, "whisker");
  add_line(svg, {x(hi), y - 5}, {x(hi), y + 5}, "whisker");
  add_rect(svg, {x(q1), y - 10}, x(q3) - x(q1), 20, "box",
           fmt::format("quartiles {:.2f} to {:.2f} %, median {:.2f} %", q1, q3, median));
  add_line(svg, {x(median), y - 10}, {x(median), y + 10}, "median");
}

}  // namespace

std::string accuracy_plot(const GroupStats& group, const std::string& title,
                          const std::string& metric_label) {
  std::vector<Row> rows;
  if (!group.nd_values.empty()) rows.push_back({"ND", &group.nd_run_ids, &group.nd_values});
  if (!group.d_values.empty()) rows.push_back({"D", &group.d_run_ids, &group.d_values});

  std::vector<double> all;
  for (const auto& row : rows) {
    for (double a : *row.values) all.push_back(100 * a);
  }
  double lo = *std::min_element(all.begin(), all.end());
  double hi = *std::max_element(all.begin(), all.end());
  double pad = std::max(0.5, 0.08 * (hi - lo));  // percentage points
  Scale x{lo - pad, hi + pad, kLeft, kWidth - kRight};

  Svg svg;
  svg.width = kWidth;
  svg.height = kTop + kRowHeight * static_cast<double>(rows.size()) + kBottom;
  double plot_bottom = kTop + kRowHeight * static_cast<double>(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    double y = kTop + kRowHeight * (static_cast<double>(r) + 0.5);
    add_text(&svg, {kLeft - 8, y + 4}, rows[r].name, "row-label", Anchor::kEnd);
    std::vector<double> percents;
    for (double a : *rows[r].values) percents.push_back(100 * a);
    if (percents.size() >= 2) draw_box(&svg, x, y, percents);
    for (size_t k = 0; k < percents.size(); ++k) {
      add_circle(&svg, {x(percents[k]), y + 24 * spread(k)}, 3.5,
                 rows[r].name == "ND" ? "nd-point" : "d-point",
                 fmt::format("{} run {}: {:.2f} %", rows[r].name, (*rows[r].run_ids)[k],
                             percents[k]));
    }
  }
  if (group.nd_vs_d.d_value) {
    double d = 100 * *group.nd_vs_d.d_value;
    add_line(&svg, {x(d), kTop - 6}, {x(d), plot_bottom}, "d-line");
    // Several D runs: their mean, and whether they agree (the usual design) or not (D runs
    // with seeds of their own).
    size_t n_d = group.d_values.size();
    std::string label = fmt::format("D = {:.2f} %", d);
    if (n_d > 1) {
      label = stats::all_equal(group.d_values)
                  ? fmt::format("D = {:.2f} % ({} runs, all equal)", d, n_d)
                  : fmt::format("D = mean of {} runs = {:.2f} %", n_d, d);
    }
    add_text(&svg, {x(d), kTop - 10}, label, "d-label", Anchor::kMiddle);
  }
  add_x_axis(&svg, x, plot_bottom, nice_ticks(x.lo, x.hi, 5),
             fmt::format("final test {} (%)", metric_label));
  return to_svg(svg, title);
}

}  // namespace rs::report
