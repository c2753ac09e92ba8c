#!/usr/bin/env bash
# The data plane's figures (not part of hack/test.sh): in the test run's network namespace, with
# the harness' pod server and Traefik, per provider (none, nginx, traefik, gatewayAPI):
#   - consecutive blue/green swaps of one app under a steady load of 20 requests a second;
#   - many apps swapping at once, each under 4 requests a second.
# For each it prints failed requests (goal 0), request latency through Traefik (p50, p99) and the
# delay from Baton reporting a switch to only the new revision answering (median, max), and
# appends them to operator/target/traffic-bench.txt. The class is TrafficBench.
#
#   bench/traffic.sh [--swaps N (100)] [--apps N (50)] [--providers none,nginx,traefik,gatewayAPI]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

swaps=100 apps=50 providers=none,nginx,traefik,gatewayAPI
while (($#)); do
  case "$1" in
    --swaps) swaps=$2; shift 2 ;;
    --apps) apps=$2; shift 2 ;;
    --providers) providers=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
# 50 apps of 2 replicas run both versions during a swap: KWOK nodes for 200 pods and headroom.
export BATON_NODES=${BATON_NODES:-4}
rm -f operator/target/traffic-bench.txt
# The suite's second Failsafe pass does not run here: a summary of it left by an earlier run
# would fail the verify goal.
rm -rf operator/target/failsafe-reports-chart-sa
# The suite's setting (hack/test.sh: network namespace, cluster, Traefik), running this class only.
BATON_TEST_IMAGE=false \
  BATON_MAVEN_GOALS="test-compile failsafe:integration-test@integration-test failsafe:verify@verify" \
  hack/test.sh -pl operator -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=TrafficBench -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbaton.bench.swaps="$swaps" -Dbaton.bench.apps="$apps" -Dbaton.bench.providers="$providers"
echo
echo "[bench] figures (operator/target/traffic-bench.txt):"
cat operator/target/traffic-bench.txt
