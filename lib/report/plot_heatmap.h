// A heat-map: a row per item, a column per category, each cell coloured by its value on a
// diverging scale (blue below 0, white at 0, red above, in nine steps up to the largest |value|)
// and labelled with a short text. The report's environment matrix (seed 003): a row per
// configuration, a column per environment, the colour how far the environment's mean lies from
// the configuration's.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rs::report {

struct HeatMap {
  std::string title;         // the image's accessible name
  std::string legend;        // under the cells: what the colour means
  std::vector<std::string> row_labels, row_tooltips;
  std::vector<std::string> columns;  // written above the cells, turned to read upwards
  // [row][column]: the colour's value (nullopt: an empty cell) and the cell's text.
  std::vector<std::vector<std::optional<double>>> values;
  std::vector<std::vector<std::string>> texts;
};

// The colour step of `value` on the scale up to `largest` (> 0): 0 (most negative) to 8 (most
// positive), 4 for 0. As the CSS classes heat-0 ... heat-8 of the report's style sheet.
int heat_step(double value, double largest);

// An <svg> element.
std::string heat_map(const HeatMap& map);

}  // namespace rs::report
