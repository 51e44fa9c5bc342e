#include "report/plot_heatmap.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/svg.h"
#include "util/html_escape.h"

namespace rs::report {

namespace {

constexpr double kMinLeft = 80, kMaxLeft = 420, kCellWidth = 96, kCellHeight = 26, kRight = 24,
                 kMaxHeader = 240, kBottom = 34, kLegendLeft = 8;

}  // namespace

int heat_step(double value, double largest) {
  if (!(largest > 0)) return 4;
  const double step = std::round(4 * value / largest);
  return 4 + static_cast<int>(std::clamp(step, -4.0, 4.0));
}

std::string heat_map(const HeatMap& map) {
  double largest = 0;
  for (const auto& row : map.values)
    for (const auto& value : row)
      if (value) largest = std::max(largest, std::abs(*value));
  double left = kMinLeft;
  for (const auto& label : map.row_labels) left = std::max(left, text_width(label) + 16);
  left = std::min(left, kMaxLeft);
  double label_width = 0;
  for (const auto& column : map.columns) label_width = std::max(label_width, text_width(column) + 12);
  label_width = std::min(label_width, kMaxHeader);
  // The labels are turned by 60 degrees: they rise sin 60 and reach cos 60 of their width.
  const double header = 0.87 * label_width;

  Svg svg;
  svg.width = std::max(left + kCellWidth * static_cast<double>(map.columns.size()) + std::max(kRight, 0.5 * label_width),
                       kLegendLeft + text_width(map.legend) + kRight);
  for (size_t c = 0; c < map.columns.size(); ++c) {
    // Column names read upwards from just above their column, as in a printed matrix; each is
    // also the tooltip of its cells.
    const double x = left + kCellWidth * (static_cast<double>(c) + 0.5);
    svg.body += fmt::format("<text class=\"column-label\" transform=\"translate({:.1f},{:.1f}) rotate(-60)\">"
                            "{}<title>{}</title></text>\n",
                            x, header - 4, escape_html(fit_text(map.columns[c], kMaxHeader - 12)),
                            escape_html(map.columns[c]));
  }
  double y = header;
  for (size_t r = 0; r < map.row_labels.size(); ++r) {
    const double middle = y + kCellHeight / 2;
    add_text(&svg, {left - 8, middle + 4}, fit_text(map.row_labels[r], left - 16), "row-label", Anchor::kEnd);
    for (size_t c = 0; c < map.columns.size(); ++c) {
      const double x = left + kCellWidth * static_cast<double>(c);
      const std::optional<double>& value = map.values[r][c];
      const std::string tooltip = fmt::format("{} | {}: {}", r < map.row_tooltips.size() ? map.row_tooltips[r] : map.row_labels[r],
                                              map.columns[c], map.texts[r][c]);
      const int step = value ? heat_step(*value, largest) : 4;
      add_rect(&svg, {x + 1, y + 1}, kCellWidth - 2, kCellHeight - 2,
               value ? fmt::format("heat-{}", step) : "heat-none", tooltip);
      // The two darkest steps at either end carry white text.
      add_text(&svg, {x + kCellWidth / 2, middle + 4}, value ? map.texts[r][c] : "-",
               std::abs(step - 4) >= 3 ? "cell-text on-dark" : "cell-text", Anchor::kMiddle);
    }
    y += kCellHeight;
  }
  add_text(&svg, {kLegendLeft, y + 20}, map.legend, "axis-title");
  svg.height = y + kBottom;
  return to_svg(svg, map.title);
}

}  // namespace rs::report
