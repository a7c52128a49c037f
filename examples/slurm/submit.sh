#!/usr/bin/env bash
# Submits the calibrate array and, once every task succeeded, the merge, from the root of
# a clone: examples/slurm/submit.sh [--wait]. With --wait it returns when the merge is done.
# The environment of calibrate_array.sbatch and merge.sbatch passes through.
set -euo pipefail
cd "$(dirname "$0")/../.."
array="$(sbatch --parsable examples/slurm/calibrate_array.sbatch)"
echo "array job ${array%%;*}"
sbatch "$@" --dependency="afterok:${array%%;*}" --kill-on-invalid-dep=yes \
  examples/slurm/merge.sbatch
