// Horizontal bar charts with one row per group: the determinism overhead (D/ND time, with a
// line at 1 = no overhead) and the energy of each group.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rs::report {

struct BarSeries {
  std::string name;       // shown in the legend and tooltips
  std::string css_class;  // the bars' colour, from the report's style sheet
  std::vector<std::optional<double>> values;  // one per row; nullopt draws "-" instead
};

struct BarChart {
  std::string title;       // the image's accessible name
  std::string axis_title;  // under the value axis
  std::vector<std::string> labels;    // one per row, left of the bars ("#3")
  std::vector<std::string> tooltips;  // one per row, on hover (group id and parameters)
  std::vector<BarSeries> series;      // drawn side by side within each row
  std::optional<double> reference;    // a dashed vertical line at this value
};

// An <svg> element. Bars start at 0; values are written at the bars' ends.
std::string bar_chart(const BarChart& chart);

}  // namespace rs::report
