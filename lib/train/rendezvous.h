// Where the ranks of a distributed run (world_size > 1) meet, read from SLURM's variables.
//
// srun gives every rank SLURM_PROCID (its rank), SLURM_LOCALID (its rank on its node) and
// SLURM_NTASKS (the number of ranks); sbatch gives the job SLURM_JOB_NODELIST and
// SLURM_JOB_ID. `sweep run` sets the same variables (slurm/array.sbatch.in). Rank 0 runs on the
// first node of the list (srun's block distribution), so it serves the rendezvous there (c10d's
// TCPStore, distributed.h), on a port derived from the job id: the array tasks that share a
// node are different jobs and so get different ports.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace rs::train {

struct Rendezvous {
  int64_t rank = 0, local_rank = 0, world_size = 1;
  std::string host;  // rank 0's node
  int port = 0;
};

// The first host of a SLURM host list: "gpu[003-005,9],cpu1" -> "gpu003", "a,b" -> "a".
std::string first_host(const std::string& nodelist);

// kFirstPort .. kFirstPort + kPorts - 1, below Linux's ephemeral ports (32768 and up), so that
// no outgoing connection holds it; job ids kPorts apart share a port.
inline constexpr int kFirstPort = 20000, kPorts = 12768;
int rendezvous_port(int64_t job_id);

// The rendezvous of a run of `world_size` ranks, from `getenv` (std::getenv by default).
// Throws rs::InputError naming the variable when one is missing or malformed, or when
// SLURM_NTASKS is not world_size (a script that does not start one trainer per rank).
Rendezvous rendezvous_from_slurm(int64_t world_size,
                                 const std::function<const char*(const char*)>& getenv = nullptr);

}  // namespace rs::train
