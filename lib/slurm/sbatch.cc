#include "slurm/sbatch.h"

#include <regex>
#include <stdexcept>

#include <fmt/format.h>

#include "slurm/command.h"

namespace rs::slurm {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string sbatch(const std::string& script, const std::vector<std::string>& options) {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back(script);
  ProcessResult r = run_slurm(argv, Repeat::kIfNotQueued);
  std::string out = trimmed(r.out);
  if (r.timed_out)
    throw std::runtime_error(fmt::format("{} ({}): it may have been queued all the same; `sweep status` shows "
                                         "what was", failure_message("sbatch", r), script));
  if (r.exit_code != 0 || out.empty())
    throw std::runtime_error(fmt::format("sbatch {} failed: {}", script, trimmed(r.err + r.out)));
  return out.substr(0, out.find(';'));
}

void sbatch_test_only(const std::string& script) {
  ProcessResult r = run_slurm({"sbatch", "--test-only", script}, Repeat::kSafe);
  if (r.exit_code != 0)
    throw std::runtime_error(fmt::format("sbatch --test-only {}: {}", script,
                                         r.timed_out ? failure_message("sbatch", r) : trimmed(r.err + r.out)));
}

int64_t max_array_size_or(int64_t fallback) {
  if (!program_in_path("scontrol")) return fallback;
  try {
    ProcessResult r = run_slurm({"scontrol", "show", "config"}, Repeat::kSafe);
    std::smatch m;
    static const std::regex kLine(R"(MaxArraySize\s*=\s*(\d+))");
    if (r.exit_code == 0 && std::regex_search(r.out, m, kLine)) return std::stoll(m[1].str());
  } catch (const std::exception&) {
  }
  return fallback;
}

}  // namespace rs::slurm
