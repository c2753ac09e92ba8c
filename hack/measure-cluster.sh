#!/usr/bin/env bash
# Prints measured figures of the test cluster (hack/cluster.sh); it never asserts.
#
#   hack/measure-cluster.sh          warm figures: cluster start from cached binaries (down, timed
#                                    up, timed second up, timed down; the cluster is left as found)
#   hack/measure-cluster.sh --cold   first a cold build of every binary into a fresh temporary
#                                    BATON_CACHE_DIR and GOCACHE (the Go module cache is kept), then
#                                    the warm figures
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER="$HACK_DIR/cluster.sh"

cold=false
case "${1:-}" in
  --cold) cold=true ;;
  "") ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
figure() { printf '%-34s %s\n' "$1" "$2"; }

figure "machine" "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"

if $cold; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  t=$(now)
  BATON_CACHE_DIR="$tmp/cache" GOCACHE="$tmp/gocache" "$CLUSTER" build >"$tmp/build.log" 2>&1 \
    || { echo "cold build failed:"; tail -20 "$tmp/build.log"; exit 1; }
  figure "cold build (all binaries)" "$(since "$t") s"
fi

# Warm figures need the binaries in the real cache; building them is not part of the figure.
"$CLUSTER" build >/dev/null

was_running=false
"$CLUSTER" status 2>/dev/null && was_running=true

"$CLUSTER" down 2>/dev/null
t=$(now)
"$CLUSTER" up >/dev/null 2>&1
figure "warm up (cached binaries)" "$(since "$t") s"

t=$(now)
"$CLUSTER" up >/dev/null 2>&1
figure "second up (already running)" "$(since "$t") s"

# Time until a Deployment of 3 has 3 available pods (scheduler, controller-manager, KWOK stages).
kubectl=$("$CLUSTER" path kubectl)
export KUBECONFIG
KUBECONFIG=$("$CLUSTER" kubeconfig)
t=$(now)
"$kubectl" create deployment measure --image=example.invalid/measure:1 --replicas=3 >/dev/null
"$kubectl" rollout status deployment/measure --timeout=60s >/dev/null 2>&1 || true
figure "Deployment of 3 available" "$(since "$t") s"
"$kubectl" delete deployment measure --wait=false >/dev/null 2>&1 || true

# kwokctl starts each component as <workdir>/clusters/<name>/bin/<component>.
pids=$(pgrep -d, -f "/clusters/${BATON_CLUSTER_NAME:-baton}/bin/" || true)
rss=$([[ -n "$pids" ]] && ps -o rss= -p "$pids" | awk '{ s += $1 } END { printf "%.0f MiB", s / 1024 }')
figure "control plane memory (RSS)" "$rss"

t=$(now)
"$CLUSTER" down 2>/dev/null
figure "down" "$(since "$t") s"

if $was_running; then
  "$CLUSTER" up >/dev/null 2>&1
  figure "cluster" "was running before: started again"
fi
