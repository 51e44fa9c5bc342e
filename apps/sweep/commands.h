// The subcommands of `sweep`. Each takes its own arguments (after the subcommand name) and
// returns the process exit status; rs::InputError escapes to main() and becomes status 2.
#pragma once

#include <string>
#include <vector>

namespace rs::app {

using Args = std::vector<std::string>;

int plan_command(const Args& args);
int run_command(const Args& args);
int submit_command(const Args& args);
int preflight_command(const Args& args);
int resubmit_command(const Args& args);
int status_command(const Args& args);
int cancel_command(const Args& args);
int follow_up_command(const Args& args);
int collect_command(const Args& args);
int power_command(const Args& args);
int energy_command(const Args& args);
int verify_command(const Args& args);

}  // namespace rs::app
