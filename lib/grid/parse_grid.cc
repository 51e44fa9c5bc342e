// load_grid(): the grid file's syntax and per-key checks. Cross-point rules (presets vs mode,
// duplicate points, exclusions that match nothing) are checked in plan.cc, where points exist.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "contract/params.h"
#include "grid/grid_spec.h"
#include "grid/noise.h"
#include "grid/yaml_json.h"
#include "util/error.h"
#include "util/files.h"
#include "util/text.h"

namespace rs::grid {

using nlohmann::json;

namespace {

const std::vector<std::string> kTopKeys = {"name",    "slurm",  "base",    "grid",
                                           "zip",     "include", "exclude", "repeat",
                                           "repeat_when", "noise", "resources", "environments"};

// Keys the planner writes into every run's params itself; a grid file may not set them.
const std::vector<std::string> kPlannerKeys = {"replica", "seeds", "resources", "environment"};

const std::vector<std::string> kEnvironmentKeys = {"name",    "slurm",   "modules", "container",
                                                   "trainer", "threads", "expect"};

// Executable paths go into the scripts single-quoted; keep them to characters no tool splits.
const std::regex kTrainerPath(R"([A-Za-z0-9_./+@%\-]{1,1024})");

class GridParser {
 public:
  GridParser(std::string text, std::string file) {
    spec_.file = std::move(file);
    spec_.text = std::move(text);
  }

  GridSpec parse() {
    // YAML is UTF-8 text; other bytes would reach every run's params_json, which JSON refuses.
    const size_t invalid = invalid_utf8_at(spec_.text);
    if (invalid != std::string::npos) {
      const size_t newline = spec_.text.find_last_of('\n', invalid);  // the byte itself is not one
      const size_t column = invalid - (newline == std::string::npos ? 0 : newline + 1) + 1;
      const auto line = 1 + std::count(spec_.text.begin(), spec_.text.begin() + static_cast<ptrdiff_t>(invalid), '\n');
      fail_at({spec_.file, static_cast<int>(line), static_cast<int>(column)},
              fmt::format("byte 0x{:02x} is not UTF-8 (a grid file is UTF-8 text)",
                          static_cast<unsigned char>(spec_.text[invalid])));
    }
    YAML::Node root;
    try {
      root = YAML::Load(spec_.text);
    } catch (const YAML::ParserException& e) {
      fail_at({spec_.file, e.mark.line + 1, e.mark.column + 1}, e.msg);
    }
    if (!root.IsMap()) fail_at(where(root), "expected a map of top-level keys (name, base, grid, ...)");
    check_keys(root, kTopKeys, "top-level key");

    if (!root["name"]) fail_at(where(root), "missing required key 'name'");
    parse_name(root["name"]);
    if (root["slurm"]) parse_slurm(root["slurm"]);
    if (root["base"]) parse_base(root["base"]);
    if (root["noise"]) parse_top_noise(root["noise"]);
    if (root["grid"]) parse_grid_axes(root["grid"]);
    if (root["zip"]) parse_zip(root["zip"]);
    if (root["resources"]) parse_resources(root["resources"]);
    if (root["environments"]) parse_environments(root["environments"]);
    check_slurm_cpus_cover_runs_per_task(root["slurm"]);
    if (root["include"]) parse_includes(root["include"]);
    if (root["exclude"]) parse_excludes(root["exclude"]);
    if (root["repeat"]) std::tie(spec_.repeat, spec_.adaptive) = parse_repeat(root["repeat"], "repeat");
    if (root["repeat_when"]) parse_repeat_when(root["repeat_when"]);
    return std::move(spec_);
  }

 private:
  SourceLocation where(const YAML::Node& node) const { return location_of(node, spec_.file); }

  json value(const YAML::Node& node) const { return yaml_to_json(node, spec_.file); }

  // Rejects unknown and duplicate keys of a map, with a "did you mean" hint.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                  const std::string& what) const {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      std::string key = kv.first.Scalar();
      if (!seen.insert(key).second) fail_at(where(kv.first), fmt::format("duplicate key '{}'", key));
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string hint = nearest_word(key, allowed);
      fail_at(where(kv.first), fmt::format("unknown {} '{}'{}", what, key,
                                           hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
  }

  void expect_map(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) fail_at(where(node), fmt::format("{}: expected a map", what));
  }

  void expect_list(const YAML::Node& node, const std::string& what) const {
    if (!node.IsSequence()) fail_at(where(node), fmt::format("{}: expected a list", what));
  }

  int64_t positive_int(const YAML::Node& node, const std::string& what) const {
    json v = value(node);
    if (!v.is_number_integer() || v.get<int64_t>() < 1)
      fail_at(where(node), fmt::format("{}: expected an integer >= 1, got {}", what, v.dump()));
    return v.get<int64_t>();
  }

  // Trainer parameter keys a grid may set (base, grid, zip, include).
  std::vector<std::string> parameter_keys() const {
    std::vector<std::string> keys;
    for (const auto& k : contract::train_config_keys())
      if (std::find(kPlannerKeys.begin(), kPlannerKeys.end(), k) == kPlannerKeys.end()) keys.push_back(k);
    return keys;
  }

  // Keys a match (exclude, repeat_when) may test: parameters, resources and the environment.
  std::vector<std::string> match_keys() const {
    std::vector<std::string> keys = parameter_keys();
    for (const auto& axis : spec_.resources) keys.push_back(axis.keys[0]);
    if (!spec_.environments.empty()) keys.push_back("environment");
    return keys;
  }

  // A parameter may be defined in one place only (base, grid, zip, resources or top-level noise).
  void define_key(const std::string& key, const std::string& section, const YAML::Node& key_node) {
    auto found = spec_.key_locations.find(key);
    if (found != spec_.key_locations.end())
      fail_at(where(key_node),
              fmt::format("'{}' is given in {} but is already defined at {}; a key may appear in only "
                          "one of base, grid, zip, resources and top-level noise",
                          key, section, format_location(found->second)));
    spec_.key_locations[key] = where(key_node);
  }

  void parse_name(const YAML::Node& node) {
    json v = value(node);
    static const std::regex kName(R"([A-Za-z0-9_.\-]{1,64})");
    if (!v.is_string() || !std::regex_match(v.get<std::string>(), kName))
      fail_at(where(node), fmt::format("name: expected 1-64 characters from [A-Za-z0-9_.-] (it is used in "
                                       "job names and paths), got {}", v.dump()));
    spec_.name = v.get<std::string>();
  }

  std::string slurm_scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar())
      fail_at(where(node), fmt::format("slurm.{}: expected a single value", key));
    return node.Scalar();
  }

  void set_slurm(slurm::SlurmOptions& options, const std::string& key, const YAML::Node& node) const {
    try {
      slurm::set_slurm_option(options, key, slurm_scalar(node, key));
    } catch (const InputError& e) {
      fail_at(where(node), e.what());
    }
  }

  void parse_slurm(const YAML::Node& node) {
    expect_map(node, "slurm");
    check_keys(node, slurm::slurm_option_keys(), "slurm option");
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      slurm_keys_given_.push_back(key);
      if (key == "extra") {
        expect_list(kv.second, "slurm.extra");
        for (const auto& item : kv.second) set_slurm(spec_.slurm, key, item);
      } else {
        set_slurm(spec_.slurm, key, kv.second);
      }
    }
    try {
      slurm::check_time_covers_signal_lead(spec_.slurm.time, spec_.slurm.signal_lead);
    } catch (const InputError& e) {
      fail_at(where(node["time"]), e.what());
    }
  }

  // slurm.cpus_per_task is what a task gets unless a resources axis or its environment sets
  // cpus_per_task (each checked where it is given): with runs_per_task it must cover the runs.
  void check_slurm_cpus_cover_runs_per_task(const YAML::Node& slurm) const {
    if (!slurm || spec_.slurm.runs_per_task == 1) return;
    auto sets_cpus = [](const auto& pairs) {
      return std::any_of(pairs.begin(), pairs.end(), [](const auto& p) { return p.first == "cpus_per_task"; });
    };
    for (const auto& axis : spec_.resources)
      if (axis.keys[0] == "cpus_per_task") return;
    if (!spec_.environments.empty() &&
        std::all_of(spec_.environments.begin(), spec_.environments.end(),
                    [&](const Environment& e) { return sets_cpus(e.slurm); }))
      return;
    check_cpus_cover_runs_per_task(spec_.slurm.cpus_per_task,
                                   slurm["cpus_per_task"] ? slurm["cpus_per_task"] : slurm["runs_per_task"]);
  }

  // slurm.runs_per_task packs runs into a task that shares cpus_per_task among them: each needs
  // at least one (the error points at `at`, where cpus_per_task or runs_per_task was given).
  void check_cpus_cover_runs_per_task(int64_t cpus_per_task, const YAML::Node& at) const {
    try {
      slurm::check_cpus_cover_runs_per_task(cpus_per_task, spec_.slurm.runs_per_task);
    } catch (const InputError& e) {
      fail_at(where(at), e.what());
    }
  }

  void parse_base(const YAML::Node& node) {
    expect_map(node, "base");
    check_keys(node, parameter_keys(), "trainer parameter");
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      define_key(key, "base", kv.first);
      spec_.base[key] = key == "noise" ? noise_setting(kv.second, false) : value(kv.second);
    }
  }

  // One noise setting; as_axis_item adds the hint that axes take a list of settings.
  json noise_setting(const YAML::Node& node, bool as_axis_item) const {
    try {
      return normalize_noise(value(node));
    } catch (const InputError& e) {
      std::string hint;
      json v = value(node);
      if (as_axis_item && v.is_string() && v.get<std::string>() != "algo+impl")
        hint = fmt::format(" (here noise is a list of settings: write [[{}]] for the one setting [{}])",
                           v.get<std::string>(), v.get<std::string>());
      fail_at(where(node), fmt::format("noise: {}{}", e.what(), hint));
    }
  }

  void parse_top_noise(const YAML::Node& node) {
    define_key("noise", "top-level noise", node);
    spec_.noise = noise_setting(node, false);
  }

  // The values of one axis key: a non-empty list (noise: a list of settings).
  std::vector<json> axis_values(const std::string& key, const YAML::Node& list, const std::string& section) const {
    if (!list.IsSequence())
      fail_at(where(list), fmt::format("{}.{}: expected a list of values, e.g. {}: [{}]", section, key, key,
                                       list.IsScalar() ? list.Scalar() : "..."));
    if (list.size() == 0) fail_at(where(list), fmt::format("{}.{}: empty axis (give at least one value)", section, key));
    std::vector<json> values;
    for (const auto& item : list) values.push_back(key == "noise" ? noise_setting(item, true) : value(item));
    return values;
  }

  void parse_grid_axes(const YAML::Node& node) {
    expect_map(node, "grid");
    check_keys(node, parameter_keys(), "trainer parameter");
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      define_key(key, "grid", kv.first);
      Axis axis{{key}, {}, where(kv.first)};
      for (auto& v : axis_values(key, kv.second, "grid")) axis.values.push_back({v});
      spec_.axes.push_back(std::move(axis));
    }
  }

  void parse_zip(const YAML::Node& node) {
    expect_list(node, "zip");
    for (const auto& entry : node) {
      expect_map(entry, "zip entry");
      check_keys(entry, parameter_keys(), "trainer parameter");
      Axis axis;
      axis.where = where(entry);
      std::vector<std::vector<json>> columns;
      size_t length = 0;
      std::string first_key;
      for (const auto& kv : entry) {
        std::string key = kv.first.Scalar();
        define_key(key, "zip", kv.first);
        columns.push_back(axis_values(key, kv.second, "zip"));
        if (axis.keys.empty()) {
          length = columns.back().size();
          first_key = key;
        } else if (columns.back().size() != length) {
          fail_at(where(kv.second), fmt::format("zip: '{}' has {} values but '{}' has {}; lists in one zip "
                                                "entry advance together and must be equally long",
                                                key, columns.back().size(), first_key, length));
        }
        axis.keys.push_back(key);
      }
      for (size_t i = 0; i < length; ++i) {
        std::vector<json> row;
        for (const auto& column : columns) row.push_back(column[i]);
        axis.values.push_back(std::move(row));
      }
      if (!axis.keys.empty()) spec_.axes.push_back(std::move(axis));
    }
  }

  void parse_resources(const YAML::Node& node) {
    expect_map(node, "resources");
    check_keys(node, slurm::slurm_option_keys(), "slurm option");
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      if (key == "extra" || key == "max_array_size" || key == "max_parallel" || key == "signal_lead" ||
          key == "max_requeues" || key == "max_retries" || key == "max_queued_tasks" || key == "runs_per_task")
        fail_at(where(kv.first), fmt::format("resources.{}: not allowed here; set it under slurm", key));
      if (std::find(slurm_keys_given_.begin(), slurm_keys_given_.end(), key) !=
          slurm_keys_given_.end())
        fail_at(where(kv.first), fmt::format("'{}' is given in both slurm and resources; a key may appear in "
                                             "only one place", key));
      define_key(key, "resources", kv.first);
      Axis axis{{key}, {}, where(kv.first)};
      for (auto& v : axis_values(key, kv.second, "resources")) {
        slurm::SlurmOptions scratch;
        try {
          slurm::set_slurm_option(scratch, key, v.is_string() ? v.get<std::string>() : v.dump());
          if (key == "time") slurm::check_time_covers_signal_lead(scratch.time, spec_.slurm.signal_lead);
        } catch (const InputError& e) {
          fail_at(where(kv.second), e.what());
        }
        if (key == "cpus_per_task") check_cpus_cover_runs_per_task(scratch.cpus_per_task, kv.second);
        axis.values.push_back({v});
      }
      spec_.resources.push_back(std::move(axis));
    }
  }

  std::string scalar_text(const YAML::Node& node, const std::string& what) const {
    json v = value(node);
    if (!v.is_string()) fail_at(where(node), fmt::format("{}: expected a string, got {}", what, v.dump()));
    return v.get<std::string>();
  }

  void parse_environments(const YAML::Node& node) {
    expect_list(node, "environments");
    if (node.size() == 0) fail_at(where(node), "environments: empty list (give at least one environment)");
    for (const auto& entry : node) {
      expect_map(entry, "environments entry");
      check_keys(entry, kEnvironmentKeys, "environment key");
      Environment env;
      env.where = where(entry);
      if (!entry["name"]) fail_at(where(entry), "environments entry: missing required key 'name'");
      env.name = scalar_text(entry["name"], "environments.name");
      static const std::regex kName(R"([A-Za-z0-9_.\-]{1,64})");
      if (!std::regex_match(env.name, kName))
        fail_at(where(entry["name"]), fmt::format("environments.name: expected 1-64 characters from "
                                                  "[A-Za-z0-9_.-], got \"{}\"", env.name));
      for (const auto& other : spec_.environments)
        if (other.name == env.name)
          fail_at(where(entry["name"]), fmt::format("environments.name: '{}' is already the name of the "
                                                    "environment at {}", env.name, format_location(other.where)));
      const std::string what = "environments." + env.name;
      if (entry["slurm"]) parse_environment_slurm(entry["slurm"], what, &env);
      if (entry["modules"]) {
        expect_list(entry["modules"], what + ".modules");
        for (const auto& item : entry["modules"]) {
          std::string module = scalar_text(item, what + ".modules");
          try {
            slurm::check_module_name(module);
          } catch (const InputError& e) {
            fail_at(where(item), fmt::format("{}.modules: {}", what, e.what()));
          }
          env.software.modules.push_back(module);
        }
      }
      if (entry["container"]) {
        env.software.container = scalar_text(entry["container"], what + ".container");
        try {
          slurm::check_container_image(env.software.container);
        } catch (const InputError& e) {
          fail_at(where(entry["container"]), fmt::format("{}.container: {}", what, e.what()));
        }
        if (env.software.container.find("://") == std::string::npos)
          env.software.container = resolved_path(env.software.container);
      }
      if (entry["trainer"]) env.trainer = parse_environment_trainer(entry["trainer"], what, env);
      if (entry["threads"]) {
        for (const auto& [key, text] : env.slurm)
          if (key == "cpus_per_task")
            fail_at(where(entry["threads"]), fmt::format("{}: give threads or slurm.cpus_per_task, not both "
                                                         "(threads sets cpus_per_task)", what));
        env.threads = positive_int(entry["threads"], what + ".threads");
        // Each run's threads: runs packed by slurm.runs_per_task share their task's CPUs.
        env.slurm.emplace_back("cpus_per_task", std::to_string(env.threads * spec_.slurm.runs_per_task));
      }
      if (entry["expect"]) {
        expect_map(entry["expect"], what + ".expect");
        check_keys(entry["expect"], expectable_env_fields(), "/env field");
        for (const auto& kv : entry["expect"])
          env.expect[kv.first.Scalar()] = scalar_text(kv.second, what + ".expect." + kv.first.Scalar());
      }
      spec_.environments.push_back(std::move(env));
    }
  }

  void parse_environment_slurm(const YAML::Node& node, const std::string& what, Environment* env) const {
    expect_map(node, what + ".slurm");
    check_keys(node, slurm::slurm_option_keys(), "slurm option");
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (key == "max_array_size" || key == "max_parallel" || key == "runs_per_task")
        fail_at(where(kv.first), fmt::format("{}.slurm.{}: not allowed here; set it under slurm", what, key));
      for (const auto& axis : spec_.resources)
        if (axis.keys[0] == key)
          fail_at(where(kv.first), fmt::format("{}.slurm.{}: '{}' is a resources axis at {}; a key may appear in "
                                               "only one place", what, key, key, format_location(axis.where)));
      std::vector<YAML::Node> items;
      if (key == "extra") {
        expect_list(kv.second, what + ".slurm.extra");
        for (const auto& item : kv.second) items.push_back(item);
      } else {
        items.push_back(kv.second);
      }
      for (const auto& item : items) {
        slurm::SlurmOptions scratch;
        set_slurm(scratch, key, item);
        if (key == "cpus_per_task") check_cpus_cover_runs_per_task(scratch.cpus_per_task, item);
        env->slurm.emplace_back(key, item.Scalar());
      }
    }
  }

  // A trainer build: with a container, a path inside the image (absolute); otherwise resolved
  // against the grid file's folder.
  std::string parse_environment_trainer(const YAML::Node& node, const std::string& what,
                                        const Environment& env) const {
    std::string path = scalar_text(node, what + ".trainer");
    if (!std::regex_match(path, kTrainerPath))
      fail_at(where(node), fmt::format("{}.trainer: expected a path of letters, digits and _./+@%- only, got "
                                       "\"{}\"", what, path));
    if (!env.software.container.empty()) {
      if (path[0] != '/')
        fail_at(where(node), fmt::format("{}.trainer: with a container, the trainer's absolute path inside the "
                                         "image, got \"{}\"", what, path));
      return path;
    }
    return resolved_path(path);
  }

  // `path` as given when absolute, else relative to the grid file's folder, made absolute.
  std::string resolved_path(const std::string& path) const {
    namespace fs = std::filesystem;
    if (!path.empty() && path[0] == '/') return path;
    return fs::absolute(fs::path(spec_.file).parent_path() / path).lexically_normal().string();
  }

  // A map whose keys are tested against points (exclude, repeat_when match).
  Match parse_match(const YAML::Node& node, const std::string& what) const {
    expect_map(node, what);
    check_keys(node, match_keys(), "key");
    Match m{json::object(), where(node)};
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      m.values[key] = key == "noise" ? noise_setting(kv.second, false) : value(kv.second);
    }
    return m;
  }

  void parse_includes(const YAML::Node& node) {
    expect_list(node, "include");
    for (const auto& entry : node) {
      expect_map(entry, "include entry");
      check_keys(entry, match_keys(), "key");
      Include include;
      include.where = where(entry);
      for (const auto& kv : entry) {
        std::string key = kv.first.Scalar();
        include.keys.push_back(key);
        if (kv.second.IsSequence()) {
          include.choices.push_back(axis_values(key, kv.second, "include"));
        } else {
          include.choices.push_back({key == "noise" ? noise_setting(kv.second, false) : value(kv.second)});
        }
      }
      spec_.includes.push_back(std::move(include));
    }
  }

  void parse_excludes(const YAML::Node& node) {
    expect_list(node, "exclude");
    for (const auto& entry : node) spec_.excludes.push_back(parse_match(entry, "exclude entry"));
  }

  // `repeat: N`, or `repeat: {min, max, step, until: {acc_sd_ci_halfwidth: W}}` (adaptive; the
  // count is then max, the replicas planned).
  std::pair<int64_t, std::optional<contract::AdaptiveRepeat>> parse_repeat(const YAML::Node& node,
                                                                          const std::string& what) const {
    if (!node.IsMap()) return {positive_int(node, what), std::nullopt};
    check_keys(node, {"min", "max", "step", "until"}, what + " key");
    if (spec_.slurm.runs_per_task > 1)
      fail_at(where(node), fmt::format("{}: adaptive replicas with slurm.runs_per_task {}: a packed task trains all its "
                                       "runs, while waves ask for a point's replicas a few at a time; plan adaptive "
                                       "points without runs_per_task", what, spec_.slurm.runs_per_task));
    for (const char* key : {"min", "max", "until"})
      if (!node[key])
        fail_at(where(node), fmt::format("{}: missing '{}' (adaptive replicas: {{min: 5, max: 100, step: 5, until: "
                                         "{{acc_sd_ci_halfwidth: 0.1}}}})", what, key));
    contract::AdaptiveRepeat adaptive;
    json min = value(node["min"]);
    if (!min.is_number_integer() || min.get<int64_t>() < 2)
      fail_at(where(node["min"]), fmt::format("{}.min: expected an integer >= 2 (an SD needs two runs), got {}", what,
                                              min.dump()));
    adaptive.min = min.get<int64_t>();
    adaptive.max = positive_int(node["max"], what + ".max");
    if (adaptive.max < adaptive.min)
      fail_at(where(node["max"]), fmt::format("{}.max: expected an integer >= min ({}), got {}", what, adaptive.min,
                                              adaptive.max));
    adaptive.step = node["step"] ? positive_int(node["step"], what + ".step") : 1;
    const YAML::Node until = node["until"];
    expect_map(until, what + ".until");
    check_keys(until, std::vector<std::string>(contract::kUntilKeys.begin(), contract::kUntilKeys.end()),
               what + ".until key");
    if (!until["acc_sd_ci_halfwidth"])
      fail_at(where(until), fmt::format("{}.until: expected a rule, e.g. {{acc_sd_ci_halfwidth: 0.1}}", what));
    json width = value(until["acc_sd_ci_halfwidth"]);
    if (!width.is_number() || !(width.get<double>() > 0))
      fail_at(where(until["acc_sd_ci_halfwidth"]),
              fmt::format("{}.until.acc_sd_ci_halfwidth: expected percentage points > 0, got {}", what, width.dump()));
    adaptive.acc_sd_ci_halfwidth_pp = width.get<double>();
    return {adaptive.max, adaptive};
  }

  void parse_repeat_when(const YAML::Node& node) {
    expect_list(node, "repeat_when");
    for (const auto& entry : node) {
      expect_map(entry, "repeat_when entry");
      check_keys(entry, {"match", "repeat"}, "repeat_when key");
      if (!entry["match"] || !entry["repeat"])
        fail_at(where(entry), "repeat_when entry: expected {match: {...}, repeat: N}");
      RepeatRule rule{parse_match(entry["match"], "repeat_when.match"), 1, std::nullopt};
      std::tie(rule.repeat, rule.adaptive) = parse_repeat(entry["repeat"], "repeat_when.repeat");
      spec_.repeat_when.push_back(std::move(rule));
    }
  }

  GridSpec spec_;
  std::vector<std::string> slurm_keys_given_;  // `slurm` keys, which `resources` must not repeat
};

}  // namespace

const std::vector<std::string>& expectable_env_fields() {
  static const std::vector<std::string> fields = {"torch_version",  "cuda_version", "cudnn_version",
                                                  "driver_version", "gpu_name",     "cpu_model",
                                                  "compiler"};
  return fields;
}

std::string format_location(const SourceLocation& where) {
  if (where.line == 0) return where.file;
  return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

GridSpec parse_grid(const std::string& text, const std::string& file) {
  return GridParser(text, file).parse();
}

GridSpec load_grid(const std::string& path) { return parse_grid(read_file(path), path); }

}  // namespace rs::grid
