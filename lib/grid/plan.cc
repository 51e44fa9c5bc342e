#include "grid/plan.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <unistd.h>
#include <unordered_map>

#include <fmt/format.h>

#include "contract/params.h"
#include "contract/plan_file.h"
#include "contract/ranks_config.h"
#include "grid/noise.h"
#include "grid/yaml_json.h"
#include "util/error.h"
#include "util/files.h"
#include "util/hash.h"
#include "util/parallel.h"

namespace rs::grid {

using nlohmann::json;

namespace {

// A member of a run's "seeds" object: its source and the text before its value ("{\"augment\":",
// ",\"bitflip\":", ...).
struct SeedMember {
  std::string text_before;
  contract::NoiseSource source;
};

// The members of "seeds" in the order nlohmann writes them: sorted by name.
std::array<SeedMember, contract::kNoiseSources.size()> sorted_seed_members() {
  std::array<contract::NoiseSource, contract::kNoiseSources.size()> sources = contract::kNoiseSources;
  std::sort(sources.begin(), sources.end(), [](contract::NoiseSource a, contract::NoiseSource b) {
    return std::string_view(contract::noise_source_name(a)) < contract::noise_source_name(b);
  });
  std::array<SeedMember, contract::kNoiseSources.size()> members;
  for (size_t i = 0; i < sources.size(); ++i)
    members[i] = {(i == 0 ? "{" : ",") + json(contract::noise_source_name(sources[i])).dump() + ":", sources[i]};
  return members;
}

// Calls visit(choice) for every combination of one value per list, first list slowest.
template <typename Visit>
void for_each_combination(const std::vector<size_t>& sizes, Visit visit) {
  for (size_t s : sizes)
    if (s == 0) return;
  std::vector<size_t> choice(sizes.size(), 0);
  while (true) {
    visit(choice);
    size_t k = sizes.size();
    while (k > 0) {
      --k;
      if (++choice[k] < sizes[k]) break;
      choice[k] = 0;
      if (k == 0) return;
    }
    if (sizes.empty()) return;
  }
}

// The value a match key tests: resources keys live under params.resources.
const json* lookup(const json& params, const std::string& key) {
  if (params.contains(key)) return &params[key];
  if (params.contains("resources") && params["resources"].contains(key)) return &params["resources"][key];
  return nullptr;
}

bool matches(const json& params, const json& match) {
  for (const auto& [key, expected] : match.items()) {
    const json* actual = lookup(params, key);
    if (!actual || *actual != expected) return false;
  }
  return true;
}

// A short description of a point for messages: its axis values.
std::string describe(const json& params, const GridSpec& spec) {
  std::string out;
  for (const auto& axis : spec.axes)
    for (const auto& key : axis.keys)
      if (params.contains(key)) out += fmt::format("{}{}={}", out.empty() ? "" : ", ", key, params[key].dump());
  return out.empty() ? params.dump() : out;
}

class Expander {
 public:
  Expander(const GridSpec& spec, int64_t max_array_size)
      : spec_(spec), max_array_size_(max_array_size) {
    plan_.name = spec.name;
    plan_.name_json = json(spec.name).dump();
  }

  Plan expand() {
    std::vector<Combination> combos = combinations();
    std::vector<bool> exclude_used(spec_.excludes.size(), false);
    for (size_t r = 0; r < combos.size(); ++r) {
      add_grid_points(combos[r], r, exclude_used);
      for (const auto& include : spec_.includes) add_include_points(include, combos[r], r);
    }
    for (size_t i = 0; i < spec_.excludes.size(); ++i)
      if (!exclude_used[i])
        plan_.warnings.push_back(fmt::format("{}: exclude entry matches no point",
                                             format_location(spec_.excludes[i].where)));
    for (const auto& environment : spec_.environments)
      if (!environment.trainer.empty() && environment.software.container.empty() &&
          access(environment.trainer.c_str(), X_OK) != 0)
        plan_.warnings.push_back(fmt::format("{}: environment '{}': trainer {} is not an executable here; its "
                                             "runs fail unless the nodes have it",
                                             format_location(environment.where), environment.name,
                                             environment.trainer));
    // Runs of different world sizes never share an array (plan.h).
    std::stable_sort(plan_.points.begin(), plan_.points.end(), [](const Point& a, const Point& b) {
      return std::tie(a.resources_index, a.world_size, a.nodes) < std::tie(b.resources_index, b.world_size, b.nodes);
    });
    add_runs();
    add_arrays(combos);
    return std::move(plan_);
  }

 private:
  // Where a point's runs go: an environment (or none) and a resources combination.
  struct Combination {
    const Environment* environment = nullptr;  // null: the grid has no environments
    json resources;
  };

  // Environments (in file order) x resources combinations, the environment slowest.
  std::vector<Combination> combinations() const {
    std::vector<Combination> out;
    std::vector<const Environment*> environments;
    for (const auto& environment : spec_.environments) environments.push_back(&environment);
    if (environments.empty()) environments.push_back(nullptr);
    for (const Environment* environment : environments)
      for (json& resources : resource_combinations()) out.push_back({environment, std::move(resources)});
    return out;
  }

  std::vector<json> resource_combinations() const {
    std::vector<size_t> sizes;
    for (const auto& axis : spec_.resources) sizes.push_back(axis.values.size());
    std::vector<json> combos;
    for_each_combination(sizes, [&](const std::vector<size_t>& choice) {
      json combo = json::object();
      for (size_t a = 0; a < choice.size(); ++a)
        combo[spec_.resources[a].keys[0]] = spec_.resources[a].values[choice[a]][0];
      combos.push_back(std::move(combo));
    });
    return combos;
  }

  void add_grid_points(const Combination& combo, size_t resources_index, std::vector<bool>& exclude_used) {
    SourceLocation origin = spec_.axes.empty() ? SourceLocation{spec_.file} : spec_.axes[0].where;
    std::vector<size_t> sizes;
    for (const auto& axis : spec_.axes) sizes.push_back(axis.values.size());
    for_each_combination(sizes, [&](const std::vector<size_t>& choice) {
      json params = spec_.base;
      for (size_t a = 0; a < choice.size(); ++a)
        for (size_t k = 0; k < spec_.axes[a].keys.size(); ++k)
          params[spec_.axes[a].keys[k]] = spec_.axes[a].values[choice[a]][k];
      params = resolve(std::move(params), combo, origin);
      for (size_t i = 0; i < spec_.excludes.size(); ++i) {
        if (matches(params, spec_.excludes[i].values)) {
          exclude_used[i] = true;
          return;
        }
      }
      add_point(make_point(std::move(params), resources_index, origin), origin);
    });
  }

  void add_include_points(const Include& include, const Combination& combo, size_t resources_index) {
    // An include naming resources keys, or an environment, belongs to the combinations with
    // those values only.
    const json& resources = combo.resources;
    std::vector<size_t> sizes;
    for (size_t k = 0; k < include.keys.size(); ++k) sizes.push_back(include.choices[k].size());
    for_each_combination(sizes, [&](const std::vector<size_t>& choice) {
      json params = spec_.base;
      for (size_t k = 0; k < include.keys.size(); ++k) {
        const std::string& key = include.keys[k];
        const json& v = include.choices[k][choice[k]];
        if (resources.contains(key)) {
          check_resource_value(key, v, include.where);
          if (resources[key] != v) return;
        } else if (key == "environment" && combo.environment) {
          check_environment_name(v, include.where);
          if (v != combo.environment->name) return;
        } else {
          params[key] = v;
        }
      }
      params = resolve(std::move(params), combo, include.where);
      add_point(make_point(std::move(params), resources_index, include.where), include.where);
    });
  }

  void check_resource_value(const std::string& key, const json& v, const SourceLocation& where) const {
    for (const auto& axis : spec_.resources)
      if (axis.keys[0] == key)
        for (const auto& option : axis.values)
          if (option[0] == v) return;
    fail_at(where, fmt::format("include: {}={} is not one of the resources values of '{}'", key, v.dump(), key));
  }

  void check_environment_name(const json& v, const SourceLocation& where) const {
    for (const auto& environment : spec_.environments)
      if (v == environment.name) return;
    fail_at(where, fmt::format("include: environment={} is not the name of one of the environments", v.dump()));
  }

  // Fills in what the planner decides for a point: noise (default []), mode (from a preset, or
  // given, or nd), seed (default 0), the resources values and the environment's name.
  json resolve(json params, const Combination& combo, const SourceLocation& origin) const {
    json noise = params.contains("noise") ? params["noise"] : spec_.noise.value_or(json::array());
    params["noise"] = noise;
    if (auto fixed_mode = preset_mode(noise)) {
      if (params.contains("mode")) {
        auto at = spec_.key_locations.find("mode");
        fail_at(at != spec_.key_locations.end() ? at->second : origin,
                fmt::format("noise preset '{}' fixes the mode ({}); do not give 'mode' as well, or use an "
                            "explicit list of sources such as noise: [init, shuffle]",
                            noise.get<std::string>(), contract::mode_name(*fixed_mode)));
      }
      params["mode"] = contract::mode_name(*fixed_mode);
    } else if (!params.contains("mode")) {
      params["mode"] = contract::mode_name(contract::Mode::kNd);
    }
    if (!params.contains("seed")) params["seed"] = 0;
    if (!spec_.resources.empty()) params["resources"] = combo.resources;
    if (combo.environment) params["environment"] = combo.environment->name;
    return params;
  }

  Point make_point(json params, size_t resources_index, const SourceLocation& origin) {
    warn_of_missing_data(validate(params, origin).dataset.path, params, origin);
    Point point;
    point.resources_index = resources_index;
    const contract::RanksConfig placement = contract::parse_ranks_config(params);  // valid: validate() passed
    point.world_size = placement.world_size;
    point.nodes = placement.nodes;
    if (point.world_size > 1 && spec_.slurm.runs_per_task > 1) {
      auto at = spec_.key_locations.find("world_size");
      fail_at(at != spec_.key_locations.end() ? at->second : origin,
              fmt::format("world_size {} with slurm.runs_per_task {}: a packed task starts one trainer per run, "
                          "a distributed run one per rank on srun's placement; pack runs of world_size 1 only "
                          "(plan distributed runs in a grid without runs_per_task)",
                          point.world_size, spec_.slurm.runs_per_task));
    }
    // The nd and d points of a configuration, in every environment, are one group.
    json group_params = params;
    group_params.erase("mode");
    group_params.erase("environment");
    point.group_id = short_hash(group_params.dump());
    point.replicas = spec_.repeat;
    point.adaptive = spec_.adaptive;
    for (const auto& rule : spec_.repeat_when) {
      if (matches(params, rule.match.values)) {
        point.replicas = rule.repeat;
        point.adaptive = rule.adaptive;
        break;
      }
    }
    for (const auto& [key, value] : params.items()) {
      size_t piece = key < "replica" ? 0 : key < "seeds" ? 1 : 2;
      if (!point.params_text_pieces[piece].empty()) point.params_text_pieces[piece] += ',';
      point.params_text_pieces[piece] += json(key).dump() + ":" + value.dump();
    }
    point.params = std::move(params);
    return point;
  }

  // The trainer's own checks, run on the planner so mistakes surface before anything is queued.
  contract::TrainConfig validate(const json& params, const SourceLocation& origin) const {
    try {
      return contract::parse_train_config(params);
    } catch (const contract::ParamError& e) {
      // A value given with --set is the command line's mistake, not the grid file's.
      for (const auto& assignment : spec_.overrides) {
        std::string set_key = assignment.substr(0, assignment.find('='));
        if (e.key == set_key || e.key.rfind(set_key + ".", 0) == 0) {
          throw InputError(fmt::format("--set {}: {} (in point {})", assignment, e.what(),
                                       describe(params, spec_)));
        }
      }
      auto at = spec_.key_locations.find(e.key.substr(0, e.key.find('.')));
      fail_at(at != spec_.key_locations.end() ? at->second : origin,
              fmt::format("{} (in point {})", e.what(), describe(params, spec_)));
    }
  }

  // A data set path that is not on this machine may well be on the nodes (a login node need not
  // see their scratch space): a warning, once per path, where the trainer would refuse it.
  void warn_of_missing_data(const std::string& path, const json& params, const SourceLocation& origin) {
    if (path.empty() || path_exists(path) || !missing_data_paths_.insert(path).second) return;
    auto at = spec_.key_locations.find("dataset");
    plan_.warnings.push_back(fmt::format(
        "{}: dataset.path {} does not exist here; the runs that read it fail unless it exists where "
        "they run (first in point {})",
        format_location(at != spec_.key_locations.end() ? at->second : origin), path, describe(params, spec_)));
  }

  void add_point(Point point, const SourceLocation& origin) {
    std::string identity = point.params.dump();
    auto [it, inserted] = point_index_.emplace(identity, plan_.points.size());
    if (!inserted)
      fail_at(origin, fmt::format("duplicate point {}: it is already point {} of the grid; remove the "
                                  "include entry or the axis value that repeats it",
                                  describe(point.params, spec_), it->second));
    plan_.points.push_back(std::move(point));
  }

  void add_runs() {
    int64_t total = 0;
    for (const auto& point : plan_.points) total += point.replicas;
    plan_.runs.resize(static_cast<size_t>(total));
    std::vector<VaryingSources> varies;
    std::vector<int64_t> point_seed;
    int64_t index = 0;
    for (size_t p = 0; p < plan_.points.size(); ++p) {
      varies.push_back(varying_sources(plan_.points[p].params["noise"]));
      point_seed.push_back(plan_.points[p].params["seed"].get<int64_t>());
      for (int64_t r = 0; r < plan_.points[p].replicas; ++r) {
        Run& run = plan_.runs[static_cast<size_t>(index)];
        run.index = index++;
        run.point = p;
        run.replica = r;
      }
    }
    // Seeds and the hash of each run's text are most of the expansion's time at a million runs:
    // spread them over the cores.
    const int64_t kBlock = 4096;
    parallel_for((total + kBlock - 1) / kBlock, [&](int64_t block) {
      std::string text;
      int64_t end = std::min(total, (block + 1) * kBlock);
      for (int64_t i = block * kBlock; i < end; ++i) {
        Run& run = plan_.runs[static_cast<size_t>(i)];
        run.seeds = replica_seeds(varies[run.point], point_seed[run.point], run.replica);
        text.clear();
        append_run_params_text(text, plan_, run);
        run.run_id = short_hash(text);
      }
    });
  }

  // One stretch of runs per (environment x resources combination, world_size, nodes), in run order.
  void add_arrays(const std::vector<Combination>& combos) {
    auto array_key = [&](size_t run) {
      const Point& p = plan_.points[plan_.runs[run].point];
      return std::make_tuple(p.resources_index, p.world_size, p.nodes);
    };
    for (size_t begin = 0, next_run = 0; begin < plan_.runs.size(); begin = next_run) {
      while (next_run < plan_.runs.size() && array_key(next_run) == array_key(begin)) ++next_run;
      const Point& point = plan_.points[plan_.runs[begin].point];
      const Combination& combo = combos[point.resources_index];
      slurm::SlurmOptions options = spec_.slurm;
      const Environment* environment = combo.environment;
      if (environment)
        for (const auto& [key, text] : environment->slurm) slurm::set_slurm_option(options, key, text);
      for (const auto& [key, v] : combo.resources.items())
        slurm::set_slurm_option(options, key, v.is_string() ? v.get<std::string>() : v.dump());
      // max_array_size counts tasks; a task trains runs_per_task runs.
      const int64_t chunk_runs = max_array_size_ * options.runs_per_task;
      for (size_t offset = begin; offset < next_run; offset += static_cast<size_t>(chunk_runs)) {
        ArrayChunk chunk;
        chunk.script = fmt::format("array-{:03d}.sbatch", plan_.arrays.size());
        chunk.offset = static_cast<int64_t>(offset);
        chunk.count = std::min<int64_t>(chunk_runs, static_cast<int64_t>(next_run - offset));
        chunk.resources = combo.resources;
        chunk.slurm = options;
        chunk.world_size = point.world_size;
        chunk.nodes = point.nodes;
        if (environment) {
          chunk.environment = environment->name;
          chunk.software = environment->software;
          chunk.trainer = environment->trainer;
        }
        plan_.arrays.push_back(std::move(chunk));
      }
    }
  }

  const GridSpec& spec_;
  int64_t max_array_size_;
  Plan plan_;
  std::unordered_map<std::string, size_t> point_index_;
  std::set<std::string> missing_data_paths_;
};

}  // namespace

Plan expand_grid(const GridSpec& spec, int64_t max_array_size) {
  return Expander(spec, max_array_size).expand();
}

json run_params(const Plan& plan, const Run& run) {
  json params = plan.points[run.point].params;
  params["replica"] = run.replica;
  json seeds = json::object();
  for (contract::NoiseSource source : contract::kNoiseSources)
    seeds[contract::noise_source_name(source)] = run.seeds[source];
  params["seeds"] = std::move(seeds);
  return params;
}

void append_run_params_text(std::string& out, const Plan& plan, const Run& run) {
  // nlohmann writes members in sorted key order: the point's members before "replica", replica,
  // those between, seeds (its keys sorted too), then the rest.
  static const std::array<SeedMember, contract::kNoiseSources.size()> seed_members = sorted_seed_members();
  const auto& pieces = plan.points[run.point].params_text_pieces;
  out += '{';
  if (!pieces[0].empty()) {
    out += pieces[0];
    out += ',';
  }
  out += "\"replica\":";
  contract::append_decimal(out, run.replica);
  if (!pieces[1].empty()) {
    out += ',';
    out += pieces[1];
  }
  out += ",\"seeds\":";
  for (const auto& [text_before, source] : seed_members) {
    out += text_before;
    contract::append_decimal(out, run.seeds[source]);
  }
  out += '}';
  if (!pieces[2].empty()) {
    out += ',';
    out += pieces[2];
  }
  out += '}';
}

std::string run_params_text(const Plan& plan, const Run& run) {
  std::string text;
  append_run_params_text(text, plan, run);
  return text;
}

void append_plan_line(std::string& out, const Plan& plan, const Run& run) {
  contract::append_plan_line(out, {run.index, run.run_id, plan.points[run.point].group_id, plan.name_json},
                             [&](std::string& params) { append_run_params_text(params, plan, run); });
}

std::string plan_line(const Plan& plan, const Run& run) {
  std::string line;
  append_plan_line(line, plan, run);
  return line;
}

std::vector<contract::AdaptivePoint> adaptive_points(const Plan& plan) {
  std::vector<contract::AdaptivePoint> points;
  for (const auto& run : plan.runs) {
    const Point& point = plan.points[run.point];
    if (point.adaptive && run.replica == 0) points.push_back({run.index, *point.adaptive});
  }
  return points;
}

}  // namespace rs::grid
