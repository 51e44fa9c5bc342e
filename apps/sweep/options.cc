#include "options.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "runfile/reader_process.h"
#include "util/error.h"

namespace rs::app {

namespace po = boost::program_options;

namespace {

// The word of `usage` that names the positional option `name`: the first that starts with the
// name's first four letters in capitals ("dir" -> "DIR", "grid" -> "GRID.yaml", "paths" ->
// "PATH..."); the name in capitals when there is none.
std::string usage_word(const std::string& usage, const std::string& name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::istringstream words(usage);
  for (std::string word; words >> word;) {
    if (word.rfind(upper.substr(0, std::min<size_t>(upper.size(), 4)), 0) == 0) return word;
  }
  return upper;
}

}  // namespace

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
  } catch (const po::required_option& e) {
    // A positional argument is named as the usage line names it ("GRID.yaml", "DIR"), not as
    // the option behind it ("--grid").
    std::string option = e.get_option_name();
    if (option.rfind("--", 0) == 0) option.erase(0, 2);
    if (std::find(positional.begin(), positional.end(), option) != positional.end()) {
      throw InputError("missing " + usage_word(usage, option) + "\nusage: " + usage);
    }
    throw InputError(std::string(e.what()) + "\nusage: " + usage);
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
