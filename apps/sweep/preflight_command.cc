// sweep preflight DIR [--local] [--epochs N] [--samples N] [--format text|json] [--no-wait]
// sweep preflight DIR --check N     (what the preflight's scripts run after their trainings)
#include <algorithm>

#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "options.h"
#include "sweep/preflight.h"
#include "util/error.h"
#include "util/files.h"
#include "util/table.h"

namespace rs::app {
namespace {

namespace po = boost::program_options;

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string setting(const sweep::PreflightCheck& check, const std::string& name) {
  auto it = check.settings.find(name);
  return it != check.settings.end() ? it->second : "";
}

nlohmann::json to_json(const sweep::PreflightCheck& c) {
  return {{"combination", c.number},
          {"resources", c.resources},
          {"environment", c.environment},
          {"broken_promises", c.broken_promises},
          {"run_index", c.run_index},
          {"node", c.env.hostname},
          {"gpu", c.env.gpu_name},
          {"gpu_uuid", c.env.gpu_uuid},
          {"device", setting(c, "device")},
          {"d_identical", c.d_identical},
          {"nd_differs", c.nd_differs},
          {"energy_method", c.energy_method},
          {"driver", c.env.driver_version},
          {"cuda", c.env.cuda_version},
          {"cudnn", c.env.cudnn_version},
          {"torch", c.env.torch_version},
          {"tf32_cublas", setting(c, "tf32_cublas")},
          {"tf32_cudnn", setting(c, "tf32_cudnn")},
          {"cudnn_benchmark", setting(c, "cudnn_benchmark")},
          {"error", c.error},
          {"log", c.log}};
}

Table to_table(const std::vector<sweep::PreflightCheck>& checks) {
  Table table;
  table.title = "sweep preflight";
  table.headers = {"combination", "environment", "resources", "node", "GPU", "d identical", "nd differs", "energy",
                   "driver", "CUDA", "cuDNN", "LibTorch", "TF32 cuBLAS/cuDNN", "cuDNN benchmark"};
  for (const auto& c : checks) {
    const bool compared = c.error.empty();
    table.rows.push_back({std::to_string(c.number), c.environment.empty() ? "-" : c.environment,
                          c.resources.empty() ? "-" : c.resources.dump(),
                          compared ? c.env.hostname : "-",
                          !compared ? "-" : c.env.gpu_name.empty() ? "(CPU)" : c.env.gpu_name,
                          yes_no(c.d_identical), compared ? yes_no(c.nd_differs) : "-",
                          compared ? c.energy_method : "-", c.env.driver_version, c.env.cuda_version,
                          c.env.cudnn_version, c.env.torch_version,
                          compared ? setting(c, "tf32_cublas") + "/" + setting(c, "tf32_cudnn") : "-",
                          compared ? setting(c, "cudnn_benchmark") : "-"});
    if (!compared) table.footnotes.push_back(fmt::format("combination {}: {}", c.number, c.error));
    for (const auto& problem : c.broken_promises)
      table.footnotes.push_back(fmt::format("combination {}: environment {} not as promised: {}", c.number,
                                            c.environment, problem));
  }
  return table;
}

bool all_passed(const std::vector<sweep::PreflightCheck>& checks) {
  for (const auto& c : checks)
    if (!c.passed()) return false;
  return true;
}

}  // namespace

int preflight_command(const Args& args) {
  po::options_description options("sweep preflight options");
  sweep::PreflightOptions preflight;
  std::string format;
  int64_t check = -1;
  options.add_options()
      ("dir", po::value(&preflight.dir)->required(), "planned sweep folder")
      ("local", "run the checks here instead of submitting them")
      ("epochs", po::value(&preflight.epochs)->default_value(2), "epochs of each short copy")
      ("samples", po::value(&preflight.samples)->default_value(512), "at most this many training and test samples")
      ("format", po::value(&format)->default_value("text"), "text | json")
      ("no-wait", "submit and return; `sweep submit DIR --after-preflight` then waits for it")
      ("check", po::value(&check), "compare combination N's copies (the preflight scripts run this)");
  po::variables_map values;
  if (!parse_args(args, "sweep preflight DIR [--local] [--epochs N] [--samples N] [--format text|json] [--no-wait]",
                  options, {"dir"}, values))
    return 0;
  if (format != "text" && format != "json") throw InputError("--format: expected text or json, got " + format);

  if (values.count("check")) {
    const sweep::PreflightCheck c = sweep::check_preflight(preflight.dir, check);
    fmt::print("reprosweep preflight: combination {}: d copies identical: {}, nd differs: {}{}\n", c.number,
               yes_no(c.d_identical), c.error.empty() ? yes_no(c.nd_differs) : "-",
               c.error.empty() ? "" : " (" + c.error + ")");
    for (const auto& problem : c.broken_promises)
      fmt::print("reprosweep preflight: environment {} not as promised: {}\n", c.environment, problem);
    return c.passed() ? 0 : 1;
  }

  preflight.sweep = absolute_path(own_directory() + "/sweep");
  sweep::write_preflight(preflight);
  if (values.count("local")) {
    fmt::print(stderr, "preflight: training the copies here ({} epochs, at most {} samples)\n", preflight.epochs,
               preflight.samples);
    sweep::run_preflight_locally(preflight.dir);
  } else {
    const sweep::Submission submission = sweep::submit_preflight(preflight.dir);
    for (const auto& a : submission.arrays) fmt::print(stderr, "preflight: {} is job {}\n", a.script, a.job_id);
    if (values.count("no-wait")) {
      fmt::print(stderr, "`sweep submit {} --after-preflight` holds the sweep until they succeed\n", preflight.dir);
      return 0;
    }
    fmt::print(stderr, "preflight: waiting for them to end\n");
    sweep::wait_for_preflight(preflight.dir);
  }

  const std::vector<sweep::PreflightCheck> checks = sweep::check_preflight(preflight.dir);
  const bool ok = all_passed(checks);
  if (format == "json") {
    nlohmann::json out = {{"d_identical", std::all_of(checks.begin(), checks.end(),
                                                      [](const sweep::PreflightCheck& c) { return c.d_identical; })},
                          {"passed", ok},
                          {"checks", nlohmann::json::array()}};
    for (const auto& c : checks) out["checks"].push_back(to_json(c));
    fmt::print("{}\n", out.dump(2));
  } else {
    fmt::print("{}", to_terminal(to_table(checks)));
    fmt::print("{}\n", ok ? "preflight passed: every pair of mode-d copies is identical, byte for byte"
                          : "preflight FAILED: mode d does not repeat on every combination, or an environment "
                            "is not what it promised");
  }
  return ok ? 0 : 1;
}

}  // namespace rs::app
