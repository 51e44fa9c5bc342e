# A private single-node SLURM for one integration test (sourced after assert.sh; needs $src).
#
# start_cluster NAME makes the test's folder $work (/tmp/NAME.XXXXXX), starts a cluster whose
# state lives in $cluster_state ($work/cluster: slurm/cluster.sh) and takes its environment
# (SLURM_CONF, PATH), so that sbatch, squeue, ... talk to it. When the test exits,
# stop_test_jobs runs first if the test defines it, then the cluster stops and $work goes.
# wait_for_empty_queue SECONDS waits until squeue shows no job, and fails after SECONDS.

start_cluster() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  cluster_state="$work/cluster"
  trap stop_cluster EXIT
  eval "$("$src/slurm/cluster.sh" up "$cluster_state")"
}

stop_cluster() {
  if declare -F stop_test_jobs >/dev/null; then stop_test_jobs; fi
  "$src/slurm/cluster.sh" down "$cluster_state" >/dev/null 2>&1 || true
  rm -rf "$work"
}

wait_for_empty_queue() {
  local i
  for ((i = 0; i < 2 * $1; i++)); do
    [ -z "$(squeue -h -o %i 2>/dev/null)" ] && return 0
    sleep 0.5
  done
  fail "jobs still queued after $1 s: $(squeue)"
}
