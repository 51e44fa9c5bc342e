#include "slurm/sbatch.h"

#include <regex>
#include <stdexcept>

#include <fmt/format.h>

#include "util/process.h"

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
  ProcessResult r = run_capture(argv);
  std::string out = trimmed(r.out);
  if (r.exit_code != 0 || out.empty())
    throw std::runtime_error(fmt::format("sbatch {} failed: {}", script, trimmed(r.err + r.out)));
  return out.substr(0, out.find(';'));
}

void sbatch_test_only(const std::string& script) {
  ProcessResult r = run_capture({"sbatch", "--test-only", script});
  if (r.exit_code != 0)
    throw std::runtime_error(fmt::format("sbatch --test-only {}: {}", script, trimmed(r.err + r.out)));
}

int64_t max_array_size_or(int64_t fallback) {
  if (!program_in_path("scontrol")) return fallback;
  try {
    ProcessResult r = run_capture({"scontrol", "show", "config"});
    std::smatch m;
    static const std::regex kLine(R"(MaxArraySize\s*=\s*(\d+))");
    if (r.exit_code == 0 && std::regex_search(r.out, m, kLine)) return std::stoll(m[1].str());
  } catch (const std::exception&) {
  }
  return fallback;
}

}  // namespace rs::slurm
