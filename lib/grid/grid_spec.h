// A grid file, parsed and checked but not yet expanded (docs/grid-file.md).
//
// load_grid() reads the YAML, checks the grid's own keys and values (sections, axes, `slurm`,
// `noise`, ...) and that every parameter key is one the trainer knows, and keeps where each came
// from; the parameters' values are checked per point by expand_grid() (plan.h), which can then
// still point at the file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/adaptive_repeat.h"
#include "slurm/options.h"
#include "slurm/software.h"

namespace rs::grid {

struct SourceLocation {
  std::string file;
  int line = 0, column = 0;  // 1-based; 0 = unknown
};

// "file:line:col"
std::string format_location(const SourceLocation& where);

// One axis of the cartesian product: a `grid` key (one key) or a `zip` entry (several keys
// advanced together). values[i][k] is the i-th value of keys[k].
struct Axis {
  std::vector<std::string> keys;
  std::vector<std::vector<nlohmann::json>> values;
  SourceLocation where;
};

// A map of key -> value, e.g. an `exclude` entry or a `repeat_when` match.
struct Match {
  nlohmann::json values;  // object: key -> the value a point must have
  SourceLocation where;
};

// An `include` entry: each key has a list of choices; the entry adds their cartesian product.
struct Include {
  std::vector<std::string> keys;
  std::vector<std::vector<nlohmann::json>> choices;
  SourceLocation where;
};

// `repeat: N`, or adaptive `repeat: {min, max, step, until}` (then `repeat` is its max).
struct RepeatRule {
  Match match;
  int64_t repeat = 1;
  std::optional<contract::AdaptiveRepeat> adaptive;
};

// An `environments:` entry (docs/grid-file.md, "Environments"): the same runs again on other
// nodes or with other software. Its name enters each run's params, and so its run id, but not
// its group id: the collector compares a configuration across environments.
struct Environment {
  std::string name;
  // Its `slurm:` options (key, value as text), applied over the grid's `slurm:`.
  std::vector<std::pair<std::string, std::string>> slurm;
  slurm::Software software;
  // The trainer executable its runs use: absolute (a relative path in the file is resolved
  // against the grid file's folder), or inside the container; "" = the sweep's own trainer.
  std::string trainer;
  int64_t threads = 0;  // the runs' CPU threads (its arrays' cpus_per_task); 0 = as slurm says
  // What the runs must report in their run file's /env (e.g. torch_version), field -> value.
  std::map<std::string, std::string> expect;
  SourceLocation where;
};

// The /env fields an environment may promise in `expect:`.
const std::vector<std::string>& expectable_env_fields();

struct GridSpec {
  std::string file;  // path of the grid file as given
  std::string text;  // its contents, copied into the sweep folder
  std::string name;
  slurm::SlurmOptions slurm;
  nlohmann::json base = nlohmann::json::object();
  std::vector<Axis> axes;       // `grid` keys in file order, then `zip` entries
  std::vector<Axis> resources;  // one axis per `resources` key
  std::vector<Environment> environments;  // `environments:` in file order; empty = none
  std::vector<Include> includes;
  std::vector<Match> excludes;
  int64_t repeat = 1;
  std::optional<contract::AdaptiveRepeat> adaptive;  // `repeat: {min, ...}`; repeat is then its max
  std::vector<RepeatRule> repeat_when;
  std::optional<nlohmann::json> noise;  // top-level `noise` (normalised), absent = []
  std::vector<std::string> overrides;  // the --set assignments applied, in order
  // Where each parameter key was defined (base, grid, zip, resources, noise), for messages.
  std::map<std::string, SourceLocation> key_locations;
};

// Reads and checks a grid file. Throws rs::InputError("file:line:col: ...") on any error.
GridSpec load_grid(const std::string& path);

// Same, from text (tests); `file` names it in messages.
GridSpec parse_grid(const std::string& text, const std::string& file);

// Applies a command-line override "KEY=VALUE" or "KEY.SUB=VALUE" to `base` (e.g.
// "dataset.path=/scratch/cifar"), so that a grid written for one site runs at another without
// editing it. VALUE is read as a YAML value ("0.1" is a number, "[1, 2]" a list). Axis keys
// cannot be overridden. Throws rs::InputError("--set KEY=VALUE: ...").
void apply_override(GridSpec& spec, const std::string& assignment);

}  // namespace rs::grid
