// The last-layer cosine plot of one group (seed 000, Figs. 2 and 3): per epoch, the band
// between the smallest and largest cosine similarity over all pairs of runs, and the mean as a
// line. Runs that start alike and drift apart show as a band that widens with the epochs.
#pragma once

#include <string>

#include "report/stability.h"

namespace rs::report {

// An <svg> element, or "" when no epoch has a defined cosine (fewer than two runs, or shapes
// that differ).
std::string cosine_plot(const Stability& stability, const std::string& title);

}  // namespace rs::report
