// The tables of DIR/results/ and of the terminal, built from a SweepSummary.
//
// Accuracies are shown in percent with two decimals; a value that is not defined is "-", and
// the table's footnotes say why for each group ("#3: ..."). Groups are numbered 1..n in the
// order of summary.json's "groups".
#pragma once

#include <string>

#include "report/sweep_summary.h"
#include "report/table.h"

namespace rs::report {

// ND against D per group. The terminal form leaves out group_id, t and the time overhead so
// that it fits 100 columns; the parameters shown are those that differ between groups.
Table nd_vs_d_table(const SweepSummary& summary, bool for_terminal);

// Stability measures per group.
Table stability_table(const SweepSummary& summary);

// Significant groups per data set and optimizer (seed 000 Table V).
Table significance_table(const SweepSummary& summary);

// One line naming the groups whose D runs with identical seeds differ; "" when none do.
std::string determinism_banner(const SweepSummary& summary);

}  // namespace rs::report
