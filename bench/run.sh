#!/usr/bin/env bash
# The Baton benchmark (not part of hack/test.sh): on the KWOK test cluster, starts the operator as
# its own process, creates N BatonApps, rolls every one out at once and prints start-up, cold
# convergence, promotion latency, API requests by verb and the operator's memory and CPU time.
#
#   bench/run.sh [--apps N] [--out FILE] [--namespaces K] [--replicas R] [--idle-seconds S]
#                [--operator-java-options "..."] [--floor false] [--rollout false] [--shards K]
#
# --shards K starts K operator replicas that split the apps into K shards (BATON_SHARDS); the
# figures then sum CPU and reconciles over the replicas and give the largest replica's RSS, with
# each replica's RSS in replicaRssMiB.
#
# Before Baton starts, the floor phase creates the same Deployments and Services without Baton and
# times the control plane alone until every one is available (--floor false skips it). With
# --rollout false the run ends after the idle phase (memory at 10,000 apps without 40,000 pods).
#
# N defaults to 100. The cluster gets KWOK nodes for twice the pods (a rollout runs both versions)
# and an API server audit log (BATON_AUDIT=true), from which Baton's requests are counted. A
# cluster that already runs with enough nodes and an audit log is reused and left running; one the
# script started is stopped at the end unless BATON_KEEP_CLUSTER=true. Set BATON_CLUSTER_NAME and
# BATON_KUBECONFIG to use a cluster apart from the test suite's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

apps=100 replicas=2 versions=2
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --apps) apps=${args[i + 1]} ;;
    --replicas) replicas=${args[i + 1]} ;;
    --rollout) [[ "${args[i + 1]}" == false ]] && versions=1 ;;
  esac
done
# Each KWOK node takes 110 pods; during a rollout an app runs two versions.
nodes=$(((apps * replicas * versions + 109) / 110 + 1))

export BATON_AUDIT=true BATON_NODES=$nodes
# Stops the cluster on exit if this script started it (started_cluster=1).
source hack/stop-cluster-on-exit.sh

kubectl() { "$(hack/cluster.sh path kubectl)" --kubeconfig "$(hack/cluster.sh kubeconfig)" "$@"; }

if hack/cluster.sh status 2>/dev/null; then
  have=$(kubectl get nodes --no-headers 2>/dev/null | wc -l)
  if ((have < nodes)) || [[ ! -s "$(hack/cluster.sh audit-log)" ]]; then
    echo "[bench] the running cluster has $have nodes (need $nodes) or no audit log: recreating it" >&2
    hack/cluster.sh down
  fi
fi
hack/cluster.sh status 2>/dev/null || { started_cluster=1; hack/cluster.sh up >/dev/null; }
KUBECONFIG="$(hack/cluster.sh kubeconfig)" hack/cluster.sh baton-crd

echo "[bench] building the operator and the benchmark" >&2
mvn -o -B -q package -DskipTests -DskipITs -pl operator -am
mvn -o -B -q -f bench/pom.xml package

# The controller-manager's client limits pace pod creation; print them with the figures.
config=$(hack/cluster.sh kubeconfig >/dev/null; sed -n '/name: kube-controller-manager/,/^- name/p' \
  "${BATON_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton}/kwokctl-${BATON_CLUSTER_NAME:-baton}.yaml")
qps=$(grep -A1 'key: kube-api-qps' <<<"$config" | sed -n 's/.*value: "\{0,1\}\([0-9]*\).*/\1/p')
burst=$(grep -A1 'key: kube-api-burst' <<<"$config" | sed -n 's/.*value: "\{0,1\}\([0-9]*\).*/\1/p')

KUBECONFIG="$(hack/cluster.sh kubeconfig)" java -cp "bench/target/classes:bench/target/lib/*" dev.baton.bench.Bench \
  --jar operator/target/baton-operator-0.1.0.jar --example examples/blue-green.yaml \
  --kubeconfig "$(hack/cluster.sh kubeconfig)" --audit-log "$(hack/cluster.sh audit-log)" \
  --nodes "$nodes" --cm-qps "${qps:-?}" --cm-burst "${burst:-?}" "$@"
