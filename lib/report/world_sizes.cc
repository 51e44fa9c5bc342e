#include "report/world_sizes.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "contract/ranks_config.h"
#include "stats/descriptive.h"

namespace rs::report {

std::vector<WorldSizeAxis> measure_world_sizes(const std::vector<GroupStats>& groups) {
  // A configuration: the params but world_size and nodes, and the mode its runs are over.
  std::map<std::pair<std::string, contract::Mode>, size_t> index_of;
  std::vector<WorldSizeAxis> axes;
  for (size_t g = 0; g < groups.size(); ++g) {
    const GroupStats& group = groups[g];
    const bool over_nd = group.stability_over == contract::Mode::kNd;
    const std::vector<double>& accuracies = over_nd ? group.nd_accuracies : group.d_accuracies;
    if (accuracies.empty()) continue;
    nlohmann::json configuration = group.params;
    configuration.erase("world_size");
    configuration.erase("nodes");
    const auto key = std::make_pair(configuration.dump(), group.stability_over);
    auto [at, added] = index_of.emplace(key, axes.size());
    if (added) axes.emplace_back().over = group.stability_over;

    const contract::RanksConfig placement = contract::parse_ranks_config(group.params);
    WorldSizeStats stats;
    stats.group = g;
    stats.world_size = placement.world_size;
    stats.nodes = placement.nodes;
    stats.run_ids = over_nd ? group.nd_run_ids : group.d_run_ids;
    stats.mean = stats::mean(accuracies);
    stats.sd = stats::sample_sd(accuracies);
    stats.min = *std::min_element(accuracies.begin(), accuracies.end());
    stats.max = *std::max_element(accuracies.begin(), accuracies.end());
    axes[at->second].sizes.push_back(stats);
  }

  std::vector<WorldSizeAxis> compared;
  for (WorldSizeAxis& axis : axes) {
    if (axis.sizes.size() < 2) continue;
    std::sort(axis.sizes.begin(), axis.sizes.end(), [](const WorldSizeStats& a, const WorldSizeStats& b) {
      return std::tie(a.world_size, a.nodes) < std::tie(b.world_size, b.nodes);
    });
    std::vector<double> means, all_accuracies;
    for (const WorldSizeStats& size : axis.sizes) {
      means.push_back(*size.mean);
      const GroupStats& group = groups[size.group];
      const std::vector<double>& accuracies = axis.over == contract::Mode::kNd ? group.nd_accuracies : group.d_accuracies;
      all_accuracies.insert(all_accuracies.end(), accuracies.begin(), accuracies.end());
      if (!size.sd) axis.notes.push_back("world sizes: sd null where a world size has one run");
    }
    axis.range = *stats::range(means);
    axis.range_runs = *stats::range(all_accuracies);
    std::sort(axis.notes.begin(), axis.notes.end());
    axis.notes.erase(std::unique(axis.notes.begin(), axis.notes.end()), axis.notes.end());
    compared.push_back(std::move(axis));
  }
  return compared;
}

}  // namespace rs::report
