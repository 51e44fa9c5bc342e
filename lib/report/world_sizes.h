// The world-size axis (issue 16): does the number of GPUs a run is trained on change its result?
//
// world_size (and nodes) are parameters like any other, so the runs of one configuration at two
// world sizes are two groups. Groups whose params differ in world_size and nodes alone are one
// configuration here, and so are compared: each world size's stability runs (the group's
// stability_over, so that ND against D does not mix in), summarised as the environment axis
// summarises an environment's (environments.h). A group without world_size in its params ran
// at world size 1, on one node.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contract/mode.h"
#include "report/group_stats.h"

namespace rs::report {

// One world size of a configuration: one group's stability runs.
struct WorldSizeStats {
  size_t group = 0;  // index into the groups measured
  int64_t world_size = 1, nodes = 1;
  std::vector<std::string> run_ids;
  std::optional<double> mean, sd, min, max;  // accuracy; sd needs two runs
};

// A configuration that ran at two world sizes or more, over runs of one mode.
struct WorldSizeAxis {
  contract::Mode over = contract::Mode::kNd;
  std::vector<WorldSizeStats> sizes;  // by world_size, then nodes
  // Both need two world sizes, as the environment axis's ranges need two environments:
  double range = 0;       // max - min of the world sizes' mean accuracies
  double range_runs = 0;  // max - min of the accuracies of all their runs
  std::vector<std::string> notes;
};

// The configurations of `groups` that ran at two world sizes or more, in the order of their
// first group.
std::vector<WorldSizeAxis> measure_world_sizes(const std::vector<GroupStats>& groups);

}  // namespace rs::report
