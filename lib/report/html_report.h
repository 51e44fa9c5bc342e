// DIR/results/report.html: the collector's results on one self-contained page that opens from
// the file system in any browser, without a server: the tables, and the plots (per group the
// accuracies of the runs around the D value and the last-layer cosine per epoch; across groups
// the determinism overhead and the energy). Inline CSS and SVG; no script, nothing fetched.
#pragma once

#include <string>

#include "report/sweep_summary.h"

namespace rs::report {

std::string html_report(const SweepSummary& summary);

}  // namespace rs::report
