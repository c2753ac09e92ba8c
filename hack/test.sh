#!/usr/bin/env bash
# The whole test suite: unit tests (Surefire), then integration tests (Failsafe) on a real
# Kubernetes control plane. Without KUBECONFIG it builds and starts the local test cluster
# (hack/cluster.sh) and stops it again at the end, also when tests fail or the run is interrupted.
# With KUBECONFIG set (e.g. a kind cluster), it runs the same suite there and starts nothing.
#
#   hack/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Stops the cluster on exit if this script started it (started_cluster=1).
source hack/stop-cluster-on-exit.sh

if [[ -z "${KUBECONFIG:-}" ]]; then
  if ! hack/cluster.sh status >/dev/null 2>&1; then
    started_cluster=1
    hack/cluster.sh up
  fi
fi

mvn -B clean verify "$@"
