// Command-line parsing shared by the subcommands: boost::program_options with its errors
// turned into rs::InputError (exit status 2) and --help handled in one place.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace rs::app {

// Parses `args` into `values`. Returns false (after printing usage and `options`) when --help
// was given. `positional` names the options that take positional arguments, in order.
// The folder this executable is in (from /proc/self/exe; "." when that cannot be read): the
// trainer and `sweep` the generated scripts run are found there.
std::string own_directory();

bool parse_args(const std::vector<std::string>& args, const std::string& usage,
                boost::program_options::options_description& options,
                const std::vector<std::string>& positional,
                boost::program_options::variables_map& values);

inline constexpr char kReadTimeoutUsage[] = "[--read-timeout S]";

// --read-timeout S, for the commands that read run files (runfile/reader_process.h): how long
// one file may take before it is given up as unreadable. check_read_timeout() refuses a value
// that is not positive (InputError).
void add_read_timeout_option(boost::program_options::options_description* options, double* seconds);
void check_read_timeout(double seconds);

}  // namespace rs::app
