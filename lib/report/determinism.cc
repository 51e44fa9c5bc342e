#include "report/determinism.h"

#include <cstring>
#include <map>

#include "report/environments.h"

namespace rs::report {

namespace {

bool bit_identical(const EvaluatedRun& a, const EvaluatedRun& b) {
  return same_bytes(a.record.logits, b.record.logits) && same_weights(a.path, b.path);
}

}  // namespace

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

DeterminismCheck check_d_runs(const std::vector<EvaluatedRun>& d_runs) {
  DeterminismCheck check;
  using Key = std::pair<Environment, decltype(contract::SourceSeeds::by_source)>;
  std::map<Key, std::vector<const EvaluatedRun*>> by_seeds;
  for (const auto& run : d_runs)
    by_seeds[{environment_of(run.record.env, run.environment), run.record.seeds.by_source}].push_back(&run);

  for (const auto& [seeds, runs] : by_seeds) {
    if (runs.size() < 2) continue;
    bool identical = true;
    for (size_t i = 1; i < runs.size(); ++i) {
      if (!bit_identical(*runs[0], *runs[i])) identical = false;
    }
    check.d_identical = check.d_identical.value_or(true) && identical;
    if (!identical) {
      for (const auto* run : runs) check.differing_run_ids.push_back(run->record.run_id);
    }
  }
  if (!check.d_identical) {
    check.notes.push_back("d_identical: null: fewer than two D runs share the same seeds and environment");
  }
  return check;
}

}  // namespace rs::report
