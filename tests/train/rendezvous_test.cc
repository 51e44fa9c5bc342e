#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "train/rendezvous.h"
#include "util/error.h"

namespace rs::train {
namespace {

using Catch::Matchers::Contains;
using Variables = std::map<std::string, std::string>;

Rendezvous from(const Variables& variables, int64_t world_size = 2) {
  return rendezvous_from_slurm(world_size, [&](const char* name) -> const char* {
    auto it = variables.find(name);
    return it != variables.end() ? it->second.c_str() : nullptr;
  });
}

std::string error_of(const Variables& variables, int64_t world_size = 2) {
  try {
    from(variables, world_size);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const Variables kRank1 = {{"SLURM_NTASKS", "2"}, {"SLURM_PROCID", "1"}, {"SLURM_LOCALID", "0"},
                          {"SLURM_JOB_NODELIST", "gpu[007-008]"}, {"SLURM_JOB_ID", "4242"}};

TEST_CASE("first_host: the first name of a SLURM host list") {
  CHECK(first_host("localhost") == "localhost");
  CHECK(first_host("a,b") == "a");
  CHECK(first_host("gpu[003-005,9],cpu1") == "gpu003");
  CHECK(first_host("gpu[9,3]") == "gpu9");
  CHECK(first_host("n[01]") == "n01");
  CHECK(first_host("rack1-n[10-11]") == "rack1-n10");
}

TEST_CASE("rendezvous: rank, local rank and rank 0's host and port from SLURM's variables") {
  const Rendezvous r = from(kRank1);
  CHECK(r.rank == 1);
  CHECK(r.local_rank == 0);
  CHECK(r.world_size == 2);
  CHECK(r.host == "gpu007");
  CHECK(r.port == kFirstPort + 4242);
  // Consecutive jobs (array tasks sharing a node) meet on different ports, all below 32768.
  CHECK(rendezvous_port(4243) != rendezvous_port(4242));
  CHECK(rendezvous_port(kPorts + 4242) == rendezvous_port(4242));
  CHECK(rendezvous_port(999999999) < 32768);
}

TEST_CASE("rendezvous: a missing or bad variable, or a task count that is not world_size, is named") {
  Variables missing = kRank1;
  missing.erase("SLURM_PROCID");
  CHECK_THAT(error_of(missing), Contains("SLURM_PROCID: not set"));
  Variables bad = kRank1;
  bad["SLURM_JOB_ID"] = "12x";
  CHECK(error_of(bad) == "SLURM_JOB_ID: expected an integer >= 0, got '12x'");
  CHECK(error_of(kRank1, 4) == "world_size: the run has 4 ranks, but SLURM started 2 tasks (SLURM_NTASKS)");
  Variables too_high = kRank1;
  too_high["SLURM_PROCID"] = "2";
  CHECK(error_of(too_high) == "SLURM_PROCID: expected a rank below 2, got 2");
  Variables no_nodes = kRank1;
  no_nodes.erase("SLURM_JOB_NODELIST");
  CHECK_THAT(error_of(no_nodes), Contains("SLURM_JOB_NODELIST: not set"));
}

}  // namespace
}  // namespace rs::train
