// The report's first section, "At a glance": the figures that compare the groups, which is the
// result a researcher came for. How much the runs of each group differ (the SD of the metric
// with its bootstrap interval), gathered by the noise source the group varies, and how far each
// configuration's ND runs lie from its D value (delta%, significant ones marked); before them,
// the sentence that says when ND equals D only because the runs were on a CPU.
#pragma once

#include <string>
#include <vector>

#include "report/sweep_summary.h"

namespace rs::report {

// An HTML <section>; `labels` names the groups (result_tables.h group_labels).
std::string headline_section(const SweepSummary& summary, const std::vector<std::string>& labels);

}  // namespace rs::report
