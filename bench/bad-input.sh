#!/usr/bin/env bash
# Bad input, in figures (not part of hack/test.sh, which runs a 150-spec slice): on the test
# cluster, with the operator running in the test JVM, sends N seeded bad BatonApp specs (mutations
# of examples/*.yaml driven by the CRD schema, plus the mistakes it cannot see) as creates, and
# every other one as an update of a Healthy app, and prints: tried, rejected by the schema/CEL,
# InvalidSpec, serving objects touched (goal 0), reconciles per bad spec, heap before/after.
#
#   bench/bad-input.sh [--specs N] [--seed S]      # N defaults to 10000, S to 20
#
# The figures are also written to operator/target/bad-input-figures.txt. A cluster that already
# runs is reused and left running; one the script started is stopped at the end unless
# BATON_KEEP_CLUSTER=true. Set BATON_CLUSTER_NAME and BATON_KUBECONFIG to use a cluster apart
# from the test suite's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

specs=10000 seed=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --specs) specs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

# Failsafe merges a summary file with what an earlier run left there: start from none.
rm -rf operator/target/failsafe-reports operator/target/failsafe-reports-chart-sa

source hack/stop-cluster-on-exit.sh
if ! hack/cluster.sh status 2>/dev/null; then
  hack/cluster.sh up >/dev/null
  started_cluster=1
fi

KUBECONFIG=$(hack/cluster.sh kubeconfig) mvn -B -q -o -pl operator -am verify \
  -Dit.test=BadInputIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbaton.badInput.count="$specs" -Dbaton.badInput.seed="$seed" || status=$?
cat operator/target/bad-input-figures.txt
exit "${status:-0}"
