// The tables of DIR/results/ and of the terminal, built from a SweepSummary.
//
// Accuracies are shown in percent with two decimals; a value that is not defined is "-", and
// the table's footnotes say why for each group ("#3: ..."). Groups are numbered 1..n in the
// order of summary.json's "groups".
#pragma once

#include <cstddef>
#include <string>

#include "report/sweep_summary.h"
#include "util/table.h"

namespace rs::report {

// What tells each group apart from the others, for headings and plot labels: the parameters
// that differ between groups, string values alone and the others as "name value", joined by
// " · " (e.g. "adam · seed 1 · noise [init]"); "all runs" when no parameter differs. One per
// group, in the order of summary.groups.
std::vector<std::string> group_labels(const SweepSummary& summary);

// ND against D per group, in the metric compared. The terminal form leaves out group_id, d_sd,
// t, df and the time overhead so that it fits 100 columns, and the groups that lack ND or D
// runs; the parameters shown are those that differ between groups.
Table nd_vs_d_table(const SweepSummary& summary, bool for_terminal);

// Stability measures per group; with another metric than accuracy, its SD too. The terminal
// form keeps the SDs, disagreement, correlation and ensemble gain of the groups with two runs
// or more.
Table stability_table(const SweepSummary& summary, bool for_terminal);

// Significant groups per data set and optimizer (seed 000 Table V).
Table significance_table(const SweepSummary& summary);

// Per group, the SD across runs of each class's accuracy and the largest over the overall SD
// (seed 001). A column per class only while the sweep has at most kMaxClassColumns classes.
inline constexpr size_t kMaxClassColumns = 10;
Table per_class_table(const SweepSummary& summary);

// Per group, the mean train and GPU seconds of the ND and D runs, their ratio D/ND (seed 001)
// and 100 (ND - D) / D (seed 000 Table IV).
Table overhead_table(const SweepSummary& summary);

// Per group and in total, the energy columns of `sweep energy` (energy/energy_format.h), with
// the PUE and carbon intensity in the title and, with their sources, in the footnotes. CSV has no
// footnotes, so the CSV form carries the factors and their sources as four more columns.
Table energy_table(const SweepSummary& summary, bool for_csv);

// True when some group's stability runs have TTA logits (tta.h); only then does the collector
// write the TTA table.
bool has_tta(const SweepSummary& summary);

// For each group whose stability runs have TTA logits, a row per reduction (tta.h): the
// measure without and with TTA, the reduction and its formula; then the two averages.
Table tta_table(const SweepSummary& summary);

// True when some group's runs ran in more than one environment (environments.h); only then
// does the collector write the environment table.
bool has_several_environments(const SweepSummary& summary);

// One row per environment of each group that ran in more than one: n, mean, SD, min and max
// accuracy, and the group's ranges over environment means and over runs (seed 003).
Table environment_table(const SweepSummary& summary);

// "ENVIRONMENT MISMATCH: 2 run(s) did not see what their environment promised: ..." naming each
// run, its environment and what differed; for a sweep with summary.broken_promises.
std::string broken_promises_note(const SweepSummary& summary);

// True when some group has D runs with the same seeds in two environments (portability.h);
// only then does the collector write the portability table.
bool has_portability(const SweepSummary& summary);

// One row per pair of such runs: the two environments, whether weights and logits are
// byte-identical, the relative L2 distance of the weights and the predictions that differ. The
// terminal form has one row per group and pair of environments, over the seeds: for how many
// the two are byte-identical, and the largest distance and disagreement; environments by name.
Table portability_table(const SweepSummary& summary, bool for_terminal);

// One row per adaptive point (summary.adaptive): its group, mode, rule, the runs read, their
// accuracy SD, the half-width of its 95 % interval and why the point stopped adding replicas.
Table adaptive_table(const SweepSummary& summary);

// `sweep plan --forecast-from`'s forecast beside the measured totals (summary.forecast, which
// must be set): per measure the estimate, its interval, the measured value, measured/estimate and
// whether it lies inside the interval.
Table forecast_table(const SweepSummary& summary);

// One line naming the groups whose D runs with identical seeds differ; "" when none do.
std::string determinism_banner(const SweepSummary& summary);

}  // namespace rs::report
