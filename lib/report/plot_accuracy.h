// The accuracy plot of one group: each run's final test accuracy (or the metric compared) as a
// point, ND runs on one
// row and D runs on another, each over a box (quartiles and median, whiskers to min and max),
// with the D value as a vertical line. Seed 000's question at a glance: where do the ND runs
// fall around the deterministic value?
#pragma once

#include <string>

#include "report/group_stats.h"

namespace rs::report {

// An <svg> element; `title` names it (e.g. "#3 accuracy"), `metric_label` the values
// (stats::metric_label).
std::string accuracy_plot(const GroupStats& group, const std::string& title,
                          const std::string& metric_label);

}  // namespace rs::report
