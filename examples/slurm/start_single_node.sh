#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine from Debian's packages (munge,
# slurmctld, slurmd), for the Slurm test (examples/slurm/slurm_test.ts) and for trying
# examples/slurm/ locally. Run as root on Debian 12 after
#   apt-get install -y --no-install-recommends slurm-wlm munge
# Idempotent: a cluster that already answers and has its node up is left as it is.
# The node is this host (`hostname -s`) with 2 CPUs, one partition `debug`; no cgroups
# (proctrack/linuxproc, task/none), so it also runs inside a container.
set -euo pipefail

NODE="$(hostname -s)"
CPUS="${SLURM_NODE_CPUS:-2}"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"

node_ready() {
  scontrol ping >/dev/null 2>&1 &&
    sinfo -h -n "$NODE" -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'
}

if node_ready; then
  echo "slurm: node $NODE already up"
  exit 0
fi

for tool in munged slurmctld slurmd sbatch; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "slurm: $tool not found (apt-get install -y slurm-wlm munge)" >&2; exit 1; }
done

mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge \
  /var/spool/slurmctld /var/spool/slurmd /var/log/slurm "$CONF_DIR"
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge 2>/dev/null || true
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  # --force: start although the key's owner or the sockets' directory look unusual (root).
  if id munge >/dev/null 2>&1; then
    runuser -u munge -- munged --force
  else
    munged --force
  fi
  for _ in $(seq 1 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

cat >"$CONF" <<EOF
# Written by examples/slurm/start_single_node.sh: one node ($NODE), no cgroups.
ClusterName=icl
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$NODE CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
# Some builds read cgroup.conf even without cgroup plugins: an empty one is enough.
[ -f "$CONF_DIR/cgroup.conf" ] || printf 'CgroupPlugin=autodetect\n' >"$CONF_DIR/cgroup.conf"

if ! scontrol ping >/dev/null 2>&1; then
  [ -f /run/slurmctld.pid ] && kill "$(cat /run/slurmctld.pid)" 2>/dev/null || true
  slurmctld -c
fi
for _ in $(seq 1 100); do scontrol ping >/dev/null 2>&1 && break; sleep 0.1; done
if [ ! -f /run/slurmd.pid ] || ! kill -0 "$(cat /run/slurmd.pid)" 2>/dev/null; then
  slurmd
fi
for _ in $(seq 1 150); do
  node_ready && break
  # A node that registered as down (e.g. after a restart) is resumed.
  if sinfo -h -n "$NODE" -o '%t' 2>/dev/null | grep -Eq '^(down|drain)'; then
    scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true
  fi
  sleep 0.2
done
if node_ready; then
  echo "slurm: node $NODE up ($CPUS CPUs, partition debug)"
else
  echo "slurm: node $NODE did not come up; the logs:" >&2
  tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
  exit 1
fi
