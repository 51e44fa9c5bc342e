#include "report/portability.h"

#include <algorithm>
#include <map>

#include "report/determinism.h"
#include "report/weight_blocks.h"

namespace rs::report {

namespace {

PortabilityPair compare(const EvaluatedRun& a, const EvaluatedRun& b) {
  PortabilityPair pair;
  pair.environment_a = environment_of(a.record.env, a.environment);
  pair.environment_b = environment_of(b.record.env, b.environment);
  pair.run_a = a.record.run_id;
  pair.run_b = b.record.run_id;
  pair.seeds = a.record.seeds;
  pair.logits_identical = same_bytes(a.record.logits, b.record.logits);
  pair.weights_identical = same_weights(a.path, b.path);
  const double norm = std::max(a.weights.norm, b.weights.norm);
  if (pair.weights_identical) {
    pair.rel_l2_weights = 0.0;
  } else if (a.weights.size == b.weights.size && a.weights.size > 0 && norm > 0) {
    // Unit "norms" make unit_l2_distances the plain distance ||w_a - w_b||, in double.
    pair.rel_l2_weights = unit_l2_distances({a.path, b.path}, {1.0, 1.0})[0] / norm;
  }
  int64_t differing = 0;
  for (size_t i = 0; i < a.predicted.size() && i < b.predicted.size(); ++i)
    differing += a.predicted[i] != b.predicted[i];
  if (!a.predicted.empty()) pair.disagreement_pct = 100.0 * static_cast<double>(differing) / static_cast<double>(a.predicted.size());
  return pair;
}

}  // namespace

Portability measure_portability(const std::vector<EvaluatedRun>& d_runs) {
  // Per set of seeds, the first D run of each environment (sorted, so pairs come out a < b).
  std::map<decltype(contract::SourceSeeds::by_source), std::map<Environment, const EvaluatedRun*>> by_seeds;
  for (const auto& run : d_runs)
    by_seeds[run.record.seeds.by_source].emplace(environment_of(run.record.env, run.environment), &run);

  Portability result;
  bool unmeasured = false;
  for (const auto& [seeds, by_environment] : by_seeds) {
    for (auto a = by_environment.begin(); a != by_environment.end(); ++a) {
      for (auto b = std::next(a); b != by_environment.end(); ++b) {
        result.pairs.push_back(compare(*a->second, *b->second));
        const PortabilityPair& pair = result.pairs.back();
        const bool identical = pair.weights_identical && pair.logits_identical;
        result.identical = result.identical.value_or(true) && identical;
        unmeasured = unmeasured || !pair.rel_l2_weights;
      }
    }
  }
  std::map<Environment, int> environments;
  for (const auto& run : d_runs) environments[environment_of(run.record.env, run.environment)] = 1;
  if (!result.identical && environments.size() > 1)
    result.notes.push_back("portability: none: the D runs ran in several environments, but no two "
                           "environments have D runs with the same seeds");
  if (unmeasured)
    result.notes.push_back("portability: rel_l2_weights null where the two runs' /weights/flat differ in length or are all zero");
  return result;
}

}  // namespace rs::report
