#include "slurm/extra_option.h"

#include <regex>
#include <vector>

#include <fmt/format.h>

#include "util/error.h"

namespace rs::slurm {
namespace {

// One long option with an optional value; no spaces, quotes, $, `, ; or newlines.
const std::regex kLongOption(R"(--([a-z][a-z0-9\-]*)(=[A-Za-z0-9_.,:@%/+=\-]+)?)");
const std::regex kShortOption(R"(-([A-Za-z]).*)");

struct Reserved {
  const char* name;   // sbatch's long name
  char letter;        // its one-letter form, 0 when it has none
  const char* owner;  // what sets it instead of `extra`
};

// The options the array, collector and preflight scripts write (lib/slurm/script.cc), those a
// `slurm:` key sets, and those that would change what sbatch prints or when it returns, which
// `sweep submit` reads.
const std::vector<Reserved> kReserved = {
    {"array", 'a', "the array scripts"},          {"job-name", 'J', "the scripts"},
    {"output", 'o', "the scripts (logs/)"},       {"error", 'e', "the scripts (stderr goes to the log)"},
    {"open-mode", 0, "the array scripts"},        {"signal", 0, "slurm.signal_lead"},
    {"requeue", 0, "the array scripts"},          {"no-requeue", 0, "the array scripts (--requeue)"},
    {"dependency", 'd', "sweep submit"},          {"chdir", 'D', "the scripts"},
    {"wrap", 0, "sweep plan (the scripts)"},      {"ntasks", 'n', "the scripts"},
    {"parsable", 0, "sweep submit"},              {"test-only", 0, "sweep submit --test-only"},
    {"wait", 'W', "sweep submit"},                {"partition", 'p', "slurm.partition"},
    {"account", 'A', "slurm.account"},            {"qos", 'q', "slurm.qos"},
    {"time", 't', "slurm.time"},                  {"mem", 0, "slurm.mem"},
    {"constraint", 'C', "slurm.constraint"},      {"cpus-per-task", 'c', "slurm.cpus_per_task"},
    {"gres", 0, "slurm.gpus_per_task"}};

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

std::string refusal(const std::string& given, const Reserved& r) {
  std::string as = given == r.name ? "" : fmt::format(" (sbatch reads it as --{})", r.name);
  return fmt::format("slurm.extra: --{}{} is set by {}, not by extra", given, as, r.owner);
}

}  // namespace

void check_extra_option(const std::string& item) {
  std::smatch m;
  if (std::regex_match(item, m, kShortOption)) {
    const char letter = m[1].str()[0];
    for (const auto& r : kReserved)
      if (r.letter == letter)
        throw InputError(fmt::format("slurm.extra: -{} is sbatch's --{}, which is set by {}, not by extra", letter,
                                     r.name, r.owner));
    throw InputError(fmt::format("slurm.extra: write \"{}\" as a long option (--name=value): one-letter options "
                                 "can hide others behind them",
                                 item));
  }
  if (!std::regex_match(item, m, kLongOption))
    throw InputError(fmt::format("slurm.extra: expected a single --key=value option (letters, digits and "
                                 "_.,:@%/+=- only), got \"{}\"",
                                 item));
  const std::string name = m[1].str();
  // getopt_long takes a prefix as the one option it begins, and sbatch's --no-requeue undoes
  // --requeue: a name that begins a reserved option, or is `no-` and one, may reach it.
  const std::string negated = starts_with(name, "no-") ? name.substr(3) : "";
  for (const auto& r : kReserved)
    if (starts_with(r.name, name)) throw InputError(refusal(name, r));
  for (const auto& r : kReserved)
    if (!negated.empty() && starts_with(r.name, negated)) throw InputError(refusal(name, r));
}

}  // namespace rs::slurm
