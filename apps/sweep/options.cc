#include "options.h"

#include <unistd.h>

#include <iostream>

#include "util/error.h"

namespace rs::app {

namespace po = boost::program_options;

std::string own_directory() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

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

}  // namespace rs::app
