#include "report/plot_bars.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/svg.h"

namespace rs::report {

namespace {

constexpr double kPlotWidth = 520, kMinLeft = 56, kMaxLeft = 420, kRight = 64, kTop = 28,
                 kBottom = 44;
constexpr double kBarHeight = 12, kRowPadding = 8;

}  // namespace

std::string bar_chart(const BarChart& chart) {
  double max_value = chart.reference.value_or(0);
  for (const auto& series : chart.series) {
    for (const auto& value : series.values) {
      if (value) max_value = std::max(max_value, *value);
    }
  }
  if (max_value <= 0) max_value = 1;
  // The row labels name the groups; the plot starts right of the longest.
  double left = kMinLeft;
  for (const auto& label : chart.labels) left = std::max(left, text_width(label) + 16);
  left = std::min(left, kMaxLeft);
  const double width = left + kPlotWidth + kRight;
  Scale x{0, max_value * 1.05, left, width - kRight};
  double row_height = kRowPadding + kBarHeight * static_cast<double>(chart.series.size());
  double plot_bottom = kTop + row_height * static_cast<double>(chart.labels.size());

  Svg svg;
  svg.width = width;
  svg.height = plot_bottom + kBottom;
  for (size_t s = 0; s < chart.series.size(); ++s) {  // the legend, along the top
    double legend_x = left + 160 * static_cast<double>(s);
    add_rect(&svg, {legend_x, 8}, 10, 10, chart.series[s].css_class);
    add_text(&svg, {legend_x + 14, 17}, chart.series[s].name, "legend");
  }
  for (size_t row = 0; row < chart.labels.size(); ++row) {
    double top = kTop + row_height * static_cast<double>(row) + kRowPadding / 2;
    add_text(&svg, {left - 8, top + row_height / 2}, fit_text(chart.labels[row], left - 16),
             "row-label", Anchor::kEnd);
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const std::optional<double>& value = chart.series[s].values[row];
      double bar_top = top + kBarHeight * static_cast<double>(s);
      if (!value) {
        add_text(&svg, {left + 4, bar_top + kBarHeight - 2}, "-", "value");
        continue;
      }
      add_rect(&svg, {left, bar_top + 1}, x(*value) - left, kBarHeight - 2,
               chart.series[s].css_class,
               fmt::format("{}: {}: {:.4g}", chart.tooltips[row], chart.series[s].name, *value));
      add_text(&svg, {x(*value) + 4, bar_top + kBarHeight - 2}, fmt::format("{:.3g}", *value),
               "value");
    }
  }
  if (chart.reference) {
    add_line(&svg, {x(*chart.reference), kTop}, {x(*chart.reference), plot_bottom}, "ref-line");
  }
  add_x_axis(&svg, x, plot_bottom, nice_ticks(x.lo, x.hi, 6), chart.axis_title);
  return to_svg(svg, chart.title);
}

}  // namespace rs::report
