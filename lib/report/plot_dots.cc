#include "report/plot_dots.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/svg.h"

namespace rs::report {

namespace {

constexpr double kPlotWidth = 460, kMinLeft = 80, kMaxLeft = 420, kRight = 24, kTop = 12,
                 kBottom = 44, kRowHeight = 20, kHeadingHeight = 22;

// Every value the axis must show.
std::vector<double> extent(const DotPlot& plot) {
  std::vector<double> all;
  if (plot.reference) all.push_back(*plot.reference);
  for (const auto& section : plot.sections) {
    for (const auto& row : section.rows) {
      if (row.value) all.push_back(*row.value);
      if (row.interval_lo && row.interval_hi) {
        all.push_back(*row.interval_lo);
        all.push_back(*row.interval_hi);
      }
      all.insert(all.end(), row.values.begin(), row.values.end());
    }
  }
  return all;
}

}  // namespace

std::string dot_plot(const DotPlot& plot) {
  std::vector<double> all = extent(plot);
  double lo = all.empty() ? 0 : *std::min_element(all.begin(), all.end());
  double hi = all.empty() ? 1 : *std::max_element(all.begin(), all.end());
  double pad = std::max(0.05 * (hi - lo), hi == lo ? 0.5 : 0.0);
  double left = kMinLeft;
  for (const auto& section : plot.sections) {
    for (const auto& row : section.rows) left = std::max(left, text_width(row.label) + 16);
  }
  left = std::min(left, kMaxLeft);
  Scale x{lo - pad, hi + pad, left, left + kPlotWidth};

  Svg svg;
  svg.width = left + kPlotWidth + kRight;
  double y = kTop;
  for (const auto& section : plot.sections) {
    if (!section.heading.empty()) {
      y += kHeadingHeight;
      add_text(&svg, {8, y - 6}, section.heading, "section-label");
    }
    for (const auto& row : section.rows) {
      double middle = y + kRowHeight / 2;
      add_text(&svg, {left - 8, middle + 4}, fit_text(row.label, left - 16), "row-label",
               Anchor::kEnd);
      add_line(&svg, {left, middle}, {left + kPlotWidth, middle}, "row-rule");
      for (double value : row.values) add_circle(&svg, {x(value), middle}, 2.2, "dot-value");
      if (row.interval_lo && row.interval_hi) {
        const char* whisker = row.weak_interval ? "whisker-weak" : "whisker";
        add_line(&svg, {x(*row.interval_lo), middle}, {x(*row.interval_hi), middle}, whisker);
        for (double end : {*row.interval_lo, *row.interval_hi}) {
          add_line(&svg, {x(end), middle - 4}, {x(end), middle + 4}, whisker);
        }
      }
      if (row.value) {
        add_circle(&svg, {x(*row.value), middle}, 4.5, row.highlight ? "dot-highlight" : "dot",
                   row.tooltip);
      } else {
        add_text(&svg, {left + 4, middle + 4}, "-", "value");
      }
      y += kRowHeight;
    }
  }
  if (plot.reference) {
    add_line(&svg, {x(*plot.reference), kTop}, {x(*plot.reference), y}, "ref-line");
  }
  add_x_axis(&svg, x, y + 4, nice_ticks(x.lo, x.hi, 6), plot.axis_title);
  svg.height = y + 4 + kBottom;
  return to_svg(svg, plot.title);
}

}  // namespace rs::report
