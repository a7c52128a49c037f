#!/usr/bin/env bash
# The WebGPU bench on a lent GPU machine, in one prepared run (issue 24, part 5).
#
# The device machine has no Deno and no network, and may lack the Vulkan loader. So:
#
#   bash bench/gpu.sh prepare            # here: Deno (xz) + its module cache -> .deno-bin/,
#                                        # the Vulkan/EGL loader packages -> .gl/ (both ignored)
#   bash bench/gpu.sh run [--budget S] [--out DIR] [--large] [--deno PATH]
#                                        # there: unpack, run bench/webgpu_report.ts within S
#                                        # seconds (default 270), write DIR/webgpu-report.md
#                                        # (DIR: $OUT, else /tmp/gpu-out)
#
# With the device tool: `run` with carry [".deno-bin", ".gl"], timeout_s 330, and the command
# `bash bench/gpu.sh run --out $OUT`. The report's header names the device (nvidia-smi, the
# WebGPU adapter), the commit and the date; the table is bench/webgpu_report.ts's. --large adds
# the N = L = 4096, d = 64 cases (ICL_BENCH_LARGE=1, CPU side skipped). --deno uses that Deno
# binary instead of .deno-bin/ (a local test against a software adapter). Exit status: 2 for a
# bad argument, 3 when Deno was not carried, the bench's own status otherwise (124 when
# the budget ran out; the partial table is still written).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bin="$root/.deno-bin"
usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

prepare() {
  [ $# -eq 0 ] || usage
  local deno
  deno="$(find "$HOME/.npm/_npx" -path '*/@deno/linux-x64-glibc/deno' -type f 2>/dev/null | head -1)"
  if [ -z "$deno" ]; then
    npx -y deno@2.9.6 --version >/dev/null
    deno="$(find "$HOME/.npm/_npx" -path '*/@deno/linux-x64-glibc/deno' -type f | head -1)"
  fi
  mkdir -p "$bin"
  xz -T0 -6 -c "$deno" >"$bin/deno.xz"
  # The module graph of the bench, cached for a machine without network.
  DENO_DIR="$bin/cache" "$deno" cache bench/webgpu_report.ts
  # The Vulkan and EGL loaders (the device README's recipe), as amd64 packages.
  mkdir -p .gl /tmp/amd64/partial
  local o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
  apt-get "${o[@]}" update >/dev/null
  (cd .gl && apt-get "${o[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 \
    libgles2 >/dev/null)
  du -sh "$bin" .gl
}

run() {
  local budget=270 out="${OUT:-/tmp/gpu-out}" large=0 deno="" cached=()
  while [ $# -gt 0 ]; do
    case "$1" in
    --budget)
      [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "--budget must be whole seconds" >&2; exit 2; }
      budget="$2"
      shift 2
      ;;
    --out)
      [ $# -ge 2 ] && [ -n "$2" ] || { echo "--out must name a folder" >&2; exit 2; }
      out="$2"
      shift 2
      ;;
    --deno)
      [ $# -ge 2 ] && [ -x "$2" ] || { echo "--deno must name an executable" >&2; exit 2; }
      deno="$2"
      shift 2
      ;;
    --large) large=1; shift ;;
    *) echo "unknown argument: $1" >&2; usage ;;
    esac
  done
  mkdir -p "$out"
  if [ -z "$deno" ]; then
    [ -f "$bin/deno.xz" ] || { echo "no $bin/deno.xz: run 'bash bench/gpu.sh prepare' here" >&2; exit 3; }
    xz -dc "$bin/deno.xz" >/tmp/deno && chmod +x /tmp/deno
    deno=/tmp/deno
    export DENO_DIR="$bin/cache"
    cached=(--cached-only) # the device has no network: everything comes from the carried cache
  fi
  if ! ldconfig -p 2>/dev/null | grep -q libvulkan.so.1; then
    if compgen -G ".gl/*.deb" >/dev/null; then
      for f in .gl/*.deb; do dpkg -x "$f" /; done
      ldconfig
    else
      echo "no Vulkan loader and no .gl/*.deb: WebGPU may fall back to GL or find no adapter" >&2
    fi
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
  local device
  device="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null |
    head -1 || true)"
  [ -n "$device" ] || device="no NVIDIA GPU found (nvidia-smi); $(uname -m) CPU: $(nproc) cores"
  local report="$out/webgpu-report.md" status=0
  {
    echo "# WebGPU bench on a lent device"
    echo
    echo "- device: $device"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit: $(git rev-parse --short HEAD 2>/dev/null ||
      echo unknown); $("$deno" --version | head -1)"
    echo "- command: bash bench/gpu.sh run --budget $budget$([ "$large" = 1 ] && echo ' --large')"
    echo
  } >"$report"
  [ "$large" = 1 ] && export ICL_BENCH_LARGE=1 ICL_BENCH_SKIP_CPU_LARGE=1
  timeout "$budget" "$deno" run "${cached[@]}" -A bench/webgpu_report.ts >>"$report" 2>"$out/webgpu-report.log" ||
    status=$?
  [ "$status" = 124 ] && echo "(stopped by the budget of $budget s: the table is partial)" >>"$report"
  cat "$report"
  return "$status"
}

case "${1:-}" in
prepare) shift; prepare "$@" ;;
run) shift; run "$@" ;;
*) usage ;;
esac
