// sweep verify PATH... [--read-timeout S]: whether run files still hold what was written.
#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "contract/layout.h"
#include "options.h"
#include "runfile/verify.h"
#include "util/files.h"
#include "util/text.h"

namespace rs::app {

namespace po = boost::program_options;

namespace {

// Some file is corrupt or unreadable (documented in docs/run-file.md).
constexpr int kExitBadFiles = 3;

}  // namespace

int verify_command(const Args& args) {
  po::options_description options("sweep verify options");
  std::vector<std::string> paths;
  double read_timeout_s = 0;
  options.add_options()("paths", po::value(&paths)->required(), "sweep folders, folders of run files, run files");
  add_read_timeout_option(&options, &read_timeout_s);
  po::variables_map values;
  const std::vector<std::string> positional(args.size(), "paths");
  if (!parse_args(args, fmt::format("sweep verify PATH... {}", kReadTimeoutUsage), options, positional, values))
    return 0;
  check_read_timeout(read_timeout_s);

  std::set<std::string> run_files;  // each file once, however it was reached
  for (const std::string& path : paths) {
    for_each_file(path, [&](const std::filesystem::path& file) {
      if (file.extension() == contract::kRunFileSuffix) run_files.insert(std::filesystem::weakly_canonical(file).string());
    });
  }
  std::array<int64_t, 4> counts{};
  for (const runfile::Verdict& verdict :
       runfile::verify_run_files({run_files.begin(), run_files.end()}, read_timeout_s)) {
    ++counts[static_cast<size_t>(verdict.integrity)];
    if (verdict.integrity == runfile::Integrity::kCorrupt)
      fmt::print("corrupt     {}: {}\n", verdict.path, printable(verdict.reason));
    if (verdict.integrity == runfile::Integrity::kUnreadable)
      fmt::print("unreadable  {}: {}\n", verdict.path, printable(verdict.reason));
  }
  using runfile::Integrity;
  const auto count = [&](Integrity integrity) { return counts[static_cast<size_t>(integrity)]; };
  fmt::print("{} run files: {} good, {} without digests (written before run files had them), {} corrupt, "
             "{} unreadable\n",
             run_files.size(), count(Integrity::kGood), count(Integrity::kNoDigests), count(Integrity::kCorrupt),
             count(Integrity::kUnreadable));
  return count(Integrity::kCorrupt) + count(Integrity::kUnreadable) > 0 ? kExitBadFiles : 0;
}

}  // namespace rs::app
