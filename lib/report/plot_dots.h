// A dot plot with one row per item, rows gathered under headings: a point per row, optionally
// with an interval (whiskers) and the individual values as small points, and a dashed reference
// line. The report's headline figures: how much each group's runs differ (the SD with its
// bootstrap interval, by noise source) and how far each configuration's ND runs lie from D.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rs::report {

struct DotRow {
  std::string label;    // left of the row (the group's name)
  std::string tooltip;  // on hover
  std::optional<double> value;                        // the point; nullopt draws "-"
  std::optional<double> interval_lo, interval_hi;     // whiskers, when both are set
  bool weak_interval = false;                         // whiskers dashed: too few values
  std::vector<double> values;                         // individual values, drawn small
  bool highlight = false;                             // the point in the highlight colour
};

struct DotSection {
  std::string heading;  // a line above its rows; "" for none
  std::vector<DotRow> rows;
};

struct DotPlot {
  std::string title;       // the image's accessible name
  std::string axis_title;  // under the value axis
  std::vector<DotSection> sections;
  std::optional<double> reference;  // a dashed vertical line at this value
};

// An <svg> element; the value axis spans every point, interval and value (and the reference).
std::string dot_plot(const DotPlot& plot);

}  // namespace rs::report
