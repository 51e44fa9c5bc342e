#include "report/significance.h"

#include <cmath>
#include <map>
#include <utility>

#include "stats/descriptive.h"

namespace rs::report {

namespace {

std::string param_text(const nlohmann::json& params, const char* key) {
  if (!params.contains(key)) return "";
  const nlohmann::json& value = params.at(key);
  if (value.is_object() && value.contains("name") && value.at("name").is_string()) {
    return value.at("name").get<std::string>();
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

std::vector<SignificanceRow> significance_by_dataset_optimizer(
    const std::vector<GroupStats>& groups) {
  struct Accumulator {
    SignificanceRow row;
    std::vector<double> abs_delta_significant, abs_delta_all;
  };
  std::map<std::pair<std::string, std::string>, Accumulator> by_key;
  for (const auto& group : groups) {
    std::string dataset = param_text(group.params, "dataset");
    std::string optimizer = param_text(group.params, "optimizer");
    Accumulator& acc = by_key[{dataset, optimizer}];
    acc.row.dataset = dataset;
    acc.row.optimizer = optimizer;
    acc.row.n_groups += 1;
    const NdVsD& result = group.nd_vs_d;
    if (result.p_value) {
      acc.row.n_tested += 1;
      if (result.test == stats::TTestKind::kWelch) {
        acc.row.n_welch += 1;
      } else {
        acc.row.n_one_sample += 1;
      }
    }
    bool significant = result.significant.value_or(false);
    if (significant) acc.row.n_significant += 1;
    if (result.delta_pct) {
      acc.abs_delta_all.push_back(std::fabs(*result.delta_pct));
      if (significant) acc.abs_delta_significant.push_back(std::fabs(*result.delta_pct));
    }
  }
  std::vector<SignificanceRow> rows;
  for (auto& [key, acc] : by_key) {
    acc.row.mean_abs_delta_pct_significant = stats::mean(acc.abs_delta_significant);
    acc.row.mean_abs_delta_pct_all = stats::mean(acc.abs_delta_all);
    rows.push_back(acc.row);
  }
  return rows;
}

}  // namespace rs::report
