# Sourced by scripts that may start the test cluster (hack/test.sh, bench/run.sh): a script that
# sets started_cluster=1 after starting it gets it stopped again on exit, failure or interrupt,
# unless BATON_KEEP_CLUSTER=true. Run from the repository's root.
# A script that runs the cluster elsewhere (hack/test.sh: in its network namespace) redefines
# cluster_sh.
# Paths in cleanup_paths are removed on exit too (a run's scratch directory).
started_cluster=0
cleanup_paths=()
cluster_sh() { hack/cluster.sh "$@"; }
cleanup() {
  if [[ $started_cluster = 1 && "${BATON_KEEP_CLUSTER:-}" != true ]]; then
    cluster_sh down || true
  fi
  # In a run's network namespace (hack/netns.sh), whatever is left in it goes too.
  if [[ "${BATON_KEEP_CLUSTER:-}" != true ]] && declare -F netns_stop_all >/dev/null; then
    netns_stop_all
  fi
  if [[ "${BATON_KEEP_CLUSTER:-}" != true ]] && ((${#cleanup_paths[@]})); then
    rm -rf "${cleanup_paths[@]}"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
