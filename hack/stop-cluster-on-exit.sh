# Sourced by scripts that may start the test cluster (hack/test.sh, bench/run.sh): a script that
# sets started_cluster=1 after starting it gets it stopped again on exit, failure or interrupt,
# unless BATON_KEEP_CLUSTER=true. Run from the repository's root.
started_cluster=0
cleanup() {
  if [[ $started_cluster = 1 && "${BATON_KEEP_CLUSTER:-}" != true ]]; then
    hack/cluster.sh down || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
