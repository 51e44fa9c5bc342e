#!/usr/bin/env bash
# A private single-node SLURM cluster on 127.0.0.1, for trying ReproSweep without a cluster
# and for the integration tests.
#
#   slurm/cluster.sh up   [STATE_DIR]   start munged, slurmctld and slurmd; prints the lines
#                                       to eval so sbatch/squeue talk to this cluster
#   slurm/cluster.sh down [STATE_DIR]   stop them and remove STATE_DIR
#   slurm/cluster.sh env  [STATE_DIR]   print that line again
#
# STATE_DIR defaults to ${TMPDIR:-/tmp}/reprosweep-slurm. CLUSTER_PARTITIONS names the node's
# partitions (default "debug"; the first is the default one), e.g. CLUSTER_PARTITIONS="debug
# second" for a grid whose environments run on two partitions. Everything (config, keys, sockets, spool,
# logs) lives there, so the machine's own /etc/slurm and munge are never touched. The node offers
# two fake GPUs (gres on /dev/tty0 and /dev/tty1) so that --gres=gpu:1 schedules as on a GPU
# cluster and SLURM sets CUDA_VISIBLE_DEVICES per task. A trainer given a GPU that CUDA cannot
# use fails rather than train on the CPU (docs/trainer.md, "Device"); these GPUs are fake, so the
# lines to eval also export REPROSWEEP_ALLOW_CPU=1, which sbatch passes on to the jobs, and
# which lets them train on the CPU, saying so in their run files. No accounting: like many
# small clusters.
set -euo pipefail

cmd=${1:-}
state=${2:-${TMPDIR:-/tmp}/reprosweep-slurm}
conf="$state/slurm.conf"

print_env() { printf 'export SLURM_CONF=%q\nexport REPROSWEEP_ALLOW_CPU=1\n' "$conf"; }

daemon_pids() {
  local f
  for f in "$state"/slurmd.pid "$state"/slurmctld.pid "$state"/munged.pid; do
    [ -s "$f" ] && cat "$f"
  done
  return 0
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  local i
  for ((i = 0; i < secs * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "cluster.sh: $what did not come up within ${secs}s; logs in $state" >&2
  tail -n 20 "$state"/*.log >&2 || true
  return 1
}

# One line per partition of CLUSTER_PARTITIONS, all on the one node.
partition_lines() {
  local name default=YES
  for name in ${CLUSTER_PARTITIONS:-debug}; do
    [[ $name =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "cluster.sh: bad partition name '$name'" >&2; exit 2; }
    echo "PartitionName=$name Nodes=ALL Default=$default MaxTime=INFINITE State=UP"
    default=NO
  done
}

up() {
  if [ -f "$conf" ] && SLURM_CONF="$conf" sinfo -h -N -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
    print_env
    return 0
  fi
  partition_lines >/dev/null  # a bad name stops here, not inside the configuration below
  mkdir -p "$state"/ctld "$state"/spool
  chmod 755 "$state"
  local user host cpus mem_mb port
  user=$(id -un)
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
  # Ports derived from the state path so that two clusters (two CI clones) do not collide.
  port=$((20000 + $(printf '%s' "$state" | cksum | cut -d' ' -f1) % 20000))

  [ -f "$state/munge.key" ] || {
    dd if=/dev/urandom of="$state/munge.key" bs=1024 count=1 status=none
    chmod 400 "$state/munge.key"
  }
  munged --force --key-file="$state/munge.key" --socket="$state/munge.socket" \
    --pid-file="$state/munged.pid" --log-file="$state/munged.log" --seed-file="$state/munge.seed"
  wait_for 10 munged test -S "$state/munge.socket"

  cat >"$conf" <<CONF
ClusterName=reprosweep
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
AuthType=auth/munge
AuthInfo=socket=$state/munge.socket
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
MaxArraySize=1001
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb Gres=gpu:2 State=UNKNOWN
$(partition_lines)
CONF
  cat >"$state/gres.conf" <<CONF
AutoDetect=off
NodeName=$host Name=gpu File=/dev/tty[0-1]
CONF

  export SLURM_CONF="$conf"
  slurmctld -i
  wait_for 30 slurmctld scontrol ping
  slurmd -N "$host" || { tail -n 20 "$state/slurmd.log" >&2; exit 1; }
  wait_for 30 "slurmd (node idle)" sh -c "sinfo -h -N -o %t | grep -qx idle"
  print_env
}

down() {
  local pids
  pids=$(daemon_pids)
  [ -n "$pids" ] && kill $pids 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 $pids 2>/dev/null || break
    sleep 0.1
  done
  rm -rf "$state"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  env) print_env ;;
  *) echo "usage: slurm/cluster.sh up|down|env [STATE_DIR]" >&2; exit 2 ;;
esac
