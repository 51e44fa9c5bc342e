#include "options.h"

#include <iostream>

#include <fmt/format.h>

#include "runfile/reader_process.h"
#include "util/error.h"

namespace rs::app {

namespace po = boost::program_options;

bool parse_args(const std::vector<std::string>& args, const std::string& usage,
                po::options_description& options, const std::vector<std::string>& positional,
                po::variables_map& values) {
  options.add_options()("help,h", "show this help");
  po::positional_options_description positions;
  for (const auto& name : positional) positions.add(name.c_str(), 1);
  try {
    po::store(po::command_line_parser(args).options(options).positional(positions).run(), values);
    if (values.count("help")) {
      std::cout << usage << "\n\n" << options << "\n";
      return false;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw InputError(std::string(e.what()) + "\nusage: " + usage);
  }
  return true;
}

void add_read_timeout_option(po::options_description* options, double* seconds) {
  options->add_options()("read-timeout", po::value(seconds)->default_value(runfile::kDefaultReadTimeoutS),
                         "seconds one run file may take to read before it is skipped as unreadable");
}

void check_read_timeout(double seconds) {
  if (!(seconds > 0)) throw InputError(fmt::format("--read-timeout: expected seconds > 0, got {}", seconds));
}

}  // namespace rs::app
