#include "report/evaluated_run.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contract/mode.h"
#include "stats/classification.h"
#include "runfile/environment_promise.h"

namespace rs::report {

namespace {

bool all_finite(const std::vector<float>& values) {
  return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
}

}  // namespace

std::string unusable_reason(const runfile::RunRecord& record, stats::Metric metric) {
  if (!contract::mode_named(record.mode)) {
    return fmt::format("mode is '{}', expected '{}' or '{}'", record.mode, contract::mode_name(contract::Mode::kNd),
                       contract::mode_name(contract::Mode::kD));
  }
  if (!nlohmann::json::accept(record.params_json)) return "params_json is not valid JSON";
  if (record.n_test < 1 || record.n_classes < 1) {
    return fmt::format("/eval/logits is {}x{}: no test samples or classes", record.n_test,
                       record.n_classes);
  }
  if (static_cast<int64_t>(record.labels.size()) != record.n_test) {
    return fmt::format("/eval/labels has {} entries for {} test samples", record.labels.size(),
                       record.n_test);
  }
  if (!record.groups.empty() && static_cast<int64_t>(record.groups.size()) != record.n_test) {
    return fmt::format("/eval/groups has {} entries for {} test samples", record.groups.size(),
                       record.n_test);
  }
  for (int64_t label : record.labels) {
    if (label < 0 || label >= record.n_classes) {
      return fmt::format("/eval/labels holds {}, outside [0, {})", label, record.n_classes);
    }
  }
  if (!all_finite(record.logits)) return "/eval/logits holds NaN or infinite values (diverged?)";
  if (!all_finite(record.logits_tta)) {
    return "/eval/logits_tta holds NaN or infinite values (diverged?)";
  }
  if (!all_finite(record.last_layer)) return "/weights/last_layer holds NaN or infinite values";
  if (std::string why = runfile::non_finite_numbers(record); !why.empty()) return why;
  return stats::metric_undefined_reason(metric, record.n_classes, record.labels);
}

std::optional<EvaluatedRun> read_run(const std::string& path, stats::Metric metric,
                                     std::string* why_not) {
  EvaluatedRun run;
  run.path = path;
  runfile::ReadParts parts;
  parts.weights = false;  // scanned in blocks instead
  parts.metrics = false;  // no statistic uses them
  try {
    runfile::RunFileReader file(path);
    run.record = file.read(parts);
    run.weights = scan_weights(&file);
  } catch (const runfile::RunFileError& e) {
    *why_not = e.what();
    return std::nullopt;
  }
  *why_not = unusable_reason(run.record, metric);
  if (why_not->empty() && !run.weights.finite) {
    *why_not = "/weights/flat holds NaN or infinite values";
  }
  if (!why_not->empty()) return std::nullopt;
  return run;
}

void evaluate(EvaluatedRun* run, stats::Metric metric) {
  const runfile::RunRecord& record = run->record;
  run->predicted = stats::predicted_classes(record.logits, record.n_classes);
  run->accuracy = stats::accuracy(run->predicted, record.labels);
  run->cross_entropy = stats::cross_entropy(record.logits, record.n_classes, record.labels);
  run->value =
      stats::metric_value(metric, record.logits, record.n_classes, run->predicted, record.labels);
  run->environment = runfile::environment_name(record);
  if (!record.logits_tta.empty()) {
    run->tta_predicted = stats::predicted_classes(record.logits_tta, record.n_classes);
    run->tta_accuracy = stats::accuracy(run->tta_predicted, record.labels);
    run->tta_cross_entropy =
        stats::cross_entropy(record.logits_tta, record.n_classes, record.labels);
  }
}

std::vector<double> metric_values(const std::vector<EvaluatedRun>& runs) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(run.value);
  return values;
}

std::vector<double> accuracies(const std::vector<EvaluatedRun>& runs) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(run.accuracy);
  return values;
}

Predictions plain_predictions(const EvaluatedRun& run) {
  return {&run.record.logits, &run.predicted, &run.record.labels, run.record.n_classes,
          run.accuracy, run.cross_entropy};
}

Predictions tta_predictions(const EvaluatedRun& run) {
  return {&run.record.logits_tta, &run.tta_predicted, &run.record.labels, run.record.n_classes,
          *run.tta_accuracy, *run.tta_cross_entropy};
}

}  // namespace rs::report
