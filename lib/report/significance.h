// Across groups (seed 000 Table V): per data set and optimizer, how many groups' ND runs differ
// significantly from their D value, and the mean |delta_pct| over those and over all groups.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/group_stats.h"

namespace rs::report {

struct SignificanceRow {
  std::string dataset;    // params "dataset" (its "name" when an object); "" when absent
  std::string optimizer;  // params "optimizer"; "" when absent
  int64_t n_groups = 0;       // groups with this data set and optimizer
  int64_t n_tested = 0;       // of which have a p-value
  int64_t n_significant = 0;  // of which have p_value <= kSignificanceLevel
  int64_t n_one_sample = 0;   // tested groups whose test is one-sample (D one value)
  int64_t n_welch = 0;        // tested groups whose test is Welch's (D runs differ)
  std::optional<double> mean_abs_delta_pct_significant;  // over significant groups
  std::optional<double> mean_abs_delta_pct_all;          // over groups with a delta_pct
};

// One row per (dataset, optimizer), sorted by dataset, then optimizer.
std::vector<SignificanceRow> significance_by_dataset_optimizer(
    const std::vector<GroupStats>& groups);

}  // namespace rs::report
