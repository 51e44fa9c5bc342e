// The per-epoch series of a run (RunRecord::metrics, the run file's /metrics), each named once
// for every piece of code that stores them: the run file (run_file_fields.h) and the trainer's
// checkpoint (Trainer::save() and load(), train/train_loop.h), so that neither keeps a list of
// the names of its own.
#pragma once

#include "runfile/run_file.h"

namespace rs::runfile {

// Calls visit(name, series) for each series of EpochMetrics, in file order: "epoch", then the
// seven metrics. `Metrics` is `const EpochMetrics` when writing and `EpochMetrics` when reading.
template <class Metrics, class Visit>
void visit_epoch_metrics(Metrics& m, Visit visit) {
  visit("epoch", m.epoch);
  visit("lr", m.lr);
  visit("train_loss", m.train_loss);
  visit("train_acc", m.train_acc);
  visit("test_loss", m.test_loss);
  visit("test_acc", m.test_acc);
  visit("seconds", m.seconds);
  visit("energy_j", m.energy_j);
}

}  // namespace rs::runfile
