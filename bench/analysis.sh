#!/usr/bin/env bash
# The cost of background analysis at scale (not part of hack/test.sh): N canary apps held at 50 %
# with a background analysis each, the operator as its own process and a real Prometheus (as in
# the suite: Debian's binary, 1 s scrape). Prints Prometheus queries per second, API writes per
# minute, the operator's CPU and RSS over a steady window, then the verdict latency of a few apps
# turned bad (failed measurement -> abort seen by a watch), and appends the line to
# operator/target/analysis-bench.txt. The class is AnalysisBench.
#
#   bench/analysis.sh [--apps N (100)] [--interval S (30)] [--window S (120)] [--bad K (10)]
#                     [-- more Maven arguments, e.g. -o]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

apps=100 interval=30 window=120 bad=10 maven=()
while (($#)); do
  case "$1" in
    --) shift; maven=("$@"); break ;;
    --apps) apps=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --bad) bad=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
# One replica per app, two versions during the rollout; KWOK nodes take 110 pods each.
export BATON_NODES=${BATON_NODES:-$(((apps * 2 + 109) / 110 + 1))}
rm -f operator/target/analysis-bench.txt
# The suite's second Failsafe pass does not run here, so the goal that checks both passes'
# summaries (failsafe:verify@verify) would fail on the missing one: the plain goal checks this one.
BATON_TEST_IMAGE=false \
  BATON_MAVEN_GOALS="test-compile failsafe:integration-test@integration-test failsafe:verify" \
  hack/test.sh "${maven[@]}" -pl operator -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=AnalysisBench -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbaton.bench.apps="$apps" -Dbaton.bench.interval="$interval" \
  -Dbaton.bench.window="$window" -Dbaton.bench.bad="$bad"
echo
echo "[bench] figures (operator/target/analysis-bench.txt):"
cat operator/target/analysis-bench.txt
