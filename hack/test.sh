#!/usr/bin/env bash
# The whole test suite: unit tests (Surefire), then integration tests (Failsafe) on a real
# Kubernetes control plane with real traffic.
#
# Without KUBECONFIG it creates a private network namespace for the run (hack/netns.sh), builds
# and starts the local test cluster inside it (hack/cluster.sh, cluster "<BATON_CLUSTER_NAME>-net"),
# and forks the test JVMs inside it too: there the harness' pod server answers HTTP on every pod's
# address and the rollout tests send requests through a real proxy. Maven stays outside, so it can
# still resolve plugins from the registry. Cluster and namespace go away at the end, also when tests
# fail or the run is interrupted (BATON_KEEP_CLUSTER=true keeps the cluster, and so the namespace).
#
# With KUBECONFIG set (e.g. a kind cluster), it runs the same suite there and starts nothing; the
# traffic assertions are skipped (the harness says so).
#
#   hack/test.sh [extra Maven arguments]
#
# BATON_TEST_IMAGE=false skips building the operator image (DockerImageIT then skips).
# BATON_MAVEN_GOALS replaces `clean verify` (bench/traffic.sh runs the traffic benchmark so).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Stops the cluster on exit if this script started it (started_cluster=1).
source hack/stop-cluster-on-exit.sh

# need <command> <Debian package>: CI (root, no prompt) installs what is missing; a person is told.
need() {
  command -v "$1" >/dev/null && return
  if [[ "${CI:-}" == true && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "[test] installing Debian's $2"
    { [[ -n "${apt_updated:-}" ]] || apt-get update -qq >/dev/null; } && apt_updated=1
    apt-get install -y -qq "$2" >/dev/null
  else
    echo "hack/test.sh: $1 is needed (Debian/Ubuntu: sudo apt-get install $2)" >&2
    exit 1
  fi
}

maven_args=()
if [[ -z "${KUBECONFIG:-}" ]]; then
  need ip iproute2
  # Everything that needs the network first: inside the namespace there is none.
  hack/cluster.sh build
  hack/cluster.sh build-traefik
  hack/cluster.sh tool argocd-lua >/dev/null
  hack/cluster.sh tool krew >/dev/null
  # The analysis ITs' Prometheus (Debian's package, unpacked into the cache, never installed);
  # they skip, saying why, when it cannot be had.
  hack/prometheus.sh >/dev/null || echo "[test] no Prometheus binary: the analysis ITs will skip"
  # The image's build stage resolves the operator's dependencies from the Maven registry, so
  # DockerImageIT only runs the image built here (it says so, and skips, where buildah, runc or
  # mmdebstrap cannot be had).
  run_dir=$(mktemp -d "${TMPDIR:-/tmp}/baton-test.XXXXXX")
  cleanup_paths+=("$run_dir")
  export BATON_IMAGE_BUILD_LOG="$run_dir/image-build.log"
  if [[ "${BATON_TEST_IMAGE:-true}" == true ]]; then
    echo "[test] building the operator image (hack/image.sh build)"
    BATON_IMAGE_BUILD_RC=0
    bash hack/image.sh build >"$BATON_IMAGE_BUILD_LOG" 2>&1 || BATON_IMAGE_BUILD_RC=$?
  else
    echo "BATON_TEST_IMAGE=false: the image was not built" >"$BATON_IMAGE_BUILD_LOG"
    BATON_IMAGE_BUILD_RC=3
  fi
  export BATON_IMAGE_BUILD_RC
  source hack/netns.sh
  netns_start
  # Stopping needs no network (it ends the cluster's processes by their pid files), so it runs
  # outside: it works even when the namespace's holder is already gone.
  cluster_sh() {
    if [[ "$1" == down ]]; then hack/cluster.sh "$@"; else netns_exec hack/cluster.sh "$@"; fi
  }
  # The run's own cluster: one outside the namespace (hack/cluster.sh up by hand) is unreachable
  # from inside, and is left alone.
  export BATON_CLUSTER_NAME="${BATON_CLUSTER_NAME:-baton}-net"
  export BATON_KUBECONFIG="$run_dir/kubeconfig"
  started_cluster=1
  cluster_sh up >/dev/null
  # Tells the harness that pod addresses are local here: it starts the pod server and the proxy.
  BATON_TRAFFIC_RANGE=$(hack/cluster.sh pod-cidr)
  export BATON_TRAFFIC_RANGE
  netns_jdk=$(netns_java_home)
  cleanup_paths+=("$netns_jdk")
  maven_args+=("-Djvm=$netns_jdk/bin/java")
fi

# BATON_MAVEN_GOALS: other goals in the same setting (bench/traffic.sh runs one class).
read -r -a goals <<<"${BATON_MAVEN_GOALS:-clean verify}"
mvn -B "${goals[@]}" "${maven_args[@]}" "$@"
