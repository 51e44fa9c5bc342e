# A private two-node SLURM for one integration test (sourced after assert.sh; needs root and
# iproute2's `ip`).
#
# start_two_node_cluster NAME makes the test's folder $work (/tmp/NAME.XXXXXX) and starts munged
# and slurmctld in this machine's network, and one slurmd per node, each in a network namespace
# of its own with its own host name (`unshare --uts`): the nodes $node_a and $node_b at their own
# addresses on a bridge with the host, so that the ranks of a job talk over TCP between two
# "machines". Each node's /etc/hosts (bound over the machine's in a mount namespace of the
# node's) names both nodes, so that the first host of SLURM_JOB_NODELIST resolves to rank 0's
# address on either node, and each node's own name to its bridge address: Gloo's default device
# is the host name's address, so GLOO_SOCKET_IFNAME is not needed. It takes the cluster's
# environment (SLURM_CONF, REPROSWEEP_ALLOW_CPU) like cluster.sh. Namespaces, links, nodes and
# the subnet are named from a random tag, so that parallel runs do not collide; when the test
# exits, stop_test_jobs runs first if the test defines it, then everything in the namespaces and
# the daemons stop, and the namespaces, links and $work go, whatever failed or killed the test.

start_two_node_cluster() {
  local tag
  tag=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
  node_a="rs${tag}a"
  node_b="rs${tag}b"
  bridge="rs${tag}br"
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$work"
  state="$work/cluster"
  trap stop_two_node_cluster EXIT
  trap 'exit 143' TERM INT HUP  # a test stopped by timeout(1) or Ctrl-C cleans up too
  mkdir -p "$state/ctld" "$state/spool"
  # 10.X.Y.0/24 from the tag: .1 the host (slurmctld), .2 and .3 the nodes.
  local net="10.$((16#${tag:0:2})).$((16#${tag:2:2}))"
  local host_ip="$net.1"
  node_ips=("$net.2" "$net.3")

  ip link add "$bridge" type bridge
  ip addr add "$host_ip/24" dev "$bridge"
  ip link set "$bridge" up
  local i node
  for i in 0 1; do
    node=$([ "$i" = 0 ] && echo "$node_a" || echo "$node_b")
    ip netns add "$node"
    # The host's end joins the bridge; the node's end becomes eth0 in its namespace.
    ip link add "${node}h" type veth peer name "${node}n"
    ip link set "${node}h" master "$bridge" up
    ip link set "${node}n" netns "$node"
    ip -n "$node" link set "${node}n" name eth0
    ip -n "$node" addr add "${node_ips[$i]}/24" dev eth0
    ip -n "$node" link set eth0 up
    ip -n "$node" link set lo up
  done
  printf '127.0.0.1 localhost\n%s %s\n%s %s\n%s %s\n' "$host_ip" "$(hostname -s)" \
    "${node_ips[0]}" "$node_a" "${node_ips[1]}" "$node_b" >"$state/hosts"

  local port user mem_mb
  user=$(id -un)
  port=$((20000 + $(printf '%s' "$state" | cksum | cut -d' ' -f1) % 20000))
  mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 * 0.4)}' /proc/meminfo)
  dd if=/dev/urandom of="$state/munge.key" bs=1024 count=1 status=none
  chmod 400 "$state/munge.key"
  munged --force --key-file="$state/munge.key" --socket="$state/munge.socket" \
    --pid-file="$state/munged.pid" --log-file="$state/munged.log" --seed-file="$state/munge.seed"
  cluster_wait 10 munged test -S "$state/munge.socket"

  # As cluster.sh's single node, less the fake GPUs; slurmd's spool, pid and log per node (%n).
  export SLURM_CONF="$state/slurm.conf"
  cat >"$SLURM_CONF" <<CONF
ClusterName=reprosweep
SlurmctldHost=$(hostname -s)($host_ip)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
AuthType=auth/munge
AuthInfo=socket=$state/munge.socket
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool/%n
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd-%n.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
NodeName=$node_a NodeAddr=${node_ips[0]} CPUs=$(nproc) RealMemory=$mem_mb State=UNKNOWN
NodeName=$node_b NodeAddr=${node_ips[1]} CPUs=$(nproc) RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export REPROSWEEP_ALLOW_CPU=1
  slurmctld -i
  cluster_wait 30 slurmctld scontrol ping
  for node in "$node_a" "$node_b"; do
    mkdir -p "$state/spool/$node"
    # nsenter rather than `ip netns exec`, which mounts a sysfs of the namespace's own without
    # the cgroup hierarchy that slurmd needs; /etc/hosts is bound in a mount namespace of its own.
    nsenter --net="/run/netns/$node" unshare --uts --mount sh -c \
      'hostname "$1" && mount --bind "$2" /etc/hosts && exec slurmd -N "$1"' sh "$node" "$state/hosts" ||
      fail "slurmd on $node did not start: $(tail -n 20 "$state/slurmd-$node.log")"
  done
  cluster_wait 30 "both nodes idle" sh -c '[ "$(sinfo -h -N -o %t | grep -cx idle)" = 2 ]'
}

cluster_wait() {  # cluster_wait SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  fail "$what did not come up within ${secs}s: $(tail -n 20 "$state"/*.log)"
}

stop_two_node_cluster() {
  trap '' TERM INT HUP
  if declare -F stop_test_jobs >/dev/null; then stop_test_jobs; fi
  # Everything in the nodes' namespaces (slurmd, its job steps, the trainers), then the daemons
  # here; what does not end within 5 s is killed.
  local f pids="" i node
  for node in "$node_a" "$node_b"; do
    pids="$pids $(ip netns pids "$node" 2>/dev/null)"
  done
  for f in "$state"/munged.pid "$state"/slurmctld.pid; do
    [ -s "$f" ] && pids="$pids $(cat "$f")"
  done
  if [ -n "${pids// /}" ]; then
    kill $pids 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 $pids 2>/dev/null || break
      sleep 0.1
    done
    kill -9 $pids 2>/dev/null || true
  fi
  for node in "$node_a" "$node_b"; do
    # Deleting a namespace deletes its end of the veth pair, and with it the host's end.
    ip netns delete "$node" 2>/dev/null || true
    ip link delete "${node}h" 2>/dev/null || true
  done
  ip link delete "$bridge" 2>/dev/null || true
  rm -rf "$work"
}
