#include "train/rendezvous.h"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include "util/error.h"

namespace rs::train {
namespace {

int64_t integer_variable(const std::function<const char*(const char*)>& getenv, const char* name) {
  const char* value = getenv(name);
  if (value == nullptr)
    throw InputError(fmt::format("{}: not set; a run with world_size > 1 is started by srun (or `sweep run`), "
                                 "one trainer per rank",
                                 name));
  const std::string text = value;
  int64_t number = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number < 0)
    throw InputError(fmt::format("{}: expected an integer >= 0, got '{}'", name, text));
  return number;
}

}  // namespace

std::string first_host(const std::string& nodelist) {
  const size_t stop = nodelist.find_first_of(",[");
  if (stop == std::string::npos || nodelist[stop] == ',') return nodelist.substr(0, stop);
  // prefix[range,...]: the first number of the first range, with its zero padding.
  const size_t end = nodelist.find_first_of(",-]", stop + 1);
  return nodelist.substr(0, stop) + nodelist.substr(stop + 1, end - stop - 1);
}

int rendezvous_port(int64_t job_id) { return kFirstPort + static_cast<int>(job_id % kPorts); }

Rendezvous rendezvous_from_slurm(int64_t world_size, const std::function<const char*(const char*)>& getenv_arg) {
  const std::function<const char*(const char*)> getenv =
      getenv_arg ? getenv_arg : [](const char* name) -> const char* { return std::getenv(name); };
  Rendezvous r;
  r.world_size = world_size;
  const int64_t ntasks = integer_variable(getenv, "SLURM_NTASKS");
  if (ntasks != world_size)
    throw InputError(fmt::format("world_size: the run has {} ranks, but SLURM started {} tasks (SLURM_NTASKS)",
                                 world_size, ntasks));
  r.rank = integer_variable(getenv, "SLURM_PROCID");
  if (r.rank >= world_size)
    throw InputError(fmt::format("SLURM_PROCID: expected a rank below {}, got {}", world_size, r.rank));
  r.local_rank = integer_variable(getenv, "SLURM_LOCALID");
  const char* nodelist = getenv("SLURM_JOB_NODELIST");
  if (nodelist == nullptr || *nodelist == '\0')
    throw InputError("SLURM_JOB_NODELIST: not set; rank 0's node is the first one of it");
  r.host = first_host(nodelist);
  r.port = rendezvous_port(integer_variable(getenv, "SLURM_JOB_ID"));
  return r;
}

}  // namespace rs::train
