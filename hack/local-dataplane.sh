# Sourced by hack/run-local.sh: the test suite's data plane for a person, so that requests a
# person sends reach the example app's pods through a real proxy.
#
# start_dataplane KUBECONFIG PORT  makes a private network namespace (hack/netns.sh) in which pod
#     addresses are local, runs the suite's pod server (each Running pod answers HTTP on its
#     address, as its container would) and Traefik in it, and relays two TCP ports through Unix
#     sockets with socat: the cluster's API server into the namespace (the pod server and Traefik
#     watch it) and Traefik's web entry point out of it, to 127.0.0.1:PORT here. Needs the
#     operator's test classes (mvn package builds them), Traefik (hack/cluster.sh build-traefik),
#     socat and ip. Returns non-zero, having said why, when any is missing.
# stop_dataplane  stops all of it (the namespace goes with its last process).
#
# Nothing listens beyond loopback: the relays bind 127.0.0.1, and the pod addresses exist only
# inside the namespace.

dataplane_pids=()
dataplane_dir=

dataplane_log() { printf '[dataplane] %s\n' "$*" >&2; }

# in_netns CMD...: CMD inside the namespace, as this shell's own child (nsenter execs it), so
# that $! after `( in_netns ... ) &` is CMD's pid and stop_dataplane's kill reaches it. (netns_exec,
# a function, would run in a subshell whose pid $! would be.)
in_netns() { exec nsenter --target "$NETNS_PID" "${NETNS_ENTER[@]}" -- "$@"; }

start_dataplane() {
  local kubeconfig=$1 port=$2 tool
  for tool in socat ip unshare nsenter; do
    if ! command -v "$tool" >/dev/null; then
      dataplane_log "$tool is needed for the proxy (Debian/Ubuntu: apt-get install socat iproute2 util-linux)"
      return 1
    fi
  done
  local traefik
  traefik=$(hack/cluster.sh path traefik)
  [[ -x "$traefik" ]] || { dataplane_log "Traefik is not built (hack/cluster.sh build-traefik)"; return 1; }
  # shellcheck source=hack/netns.sh
  source hack/netns.sh
  netns_start || return 1
  dataplane_pids+=("$NETNS_PID")
  dataplane_dir=$(mktemp -d "${TMPDIR:-/tmp}/baton-dataplane.XXXXXX")
  local server api_port
  server=$(sed -n 's/^ *server: *//p' "$kubeconfig" | head -1)
  api_port=${server##*:}
  # The API server into the namespace, on the same address, so the kubeconfig works on both sides.
  # socat's log: a peer closing a kept-alive connection is logged as an error, and is not one.
  local relay_log="$dataplane_dir/socat.log"
  socat "UNIX-LISTEN:$dataplane_dir/api.sock,fork" "TCP:127.0.0.1:$api_port" 2>>"$relay_log" &
  dataplane_pids+=($!)
  ( in_netns socat "TCP-LISTEN:$api_port,bind=127.0.0.1,fork,reuseaddr" \
    "UNIX-CONNECT:$dataplane_dir/api.sock" 2>>"$relay_log" ) &
  dataplane_pids+=($!)
  # DATAPLANE_JAVA and DATAPLANE_CLASSPATH: another JVM and classpath (the tests' own).
  local classpath=${DATAPLANE_CLASSPATH:-}
  [[ -n "$classpath" ]] || classpath="operator/target/test-classes:operator/target/classes:$(cat operator/target/dataplane.classpath)"
  local inner_port=8000
  ( in_netns "${DATAPLANE_JAVA:-java}" -cp "$classpath" \
    dev.baton.testcluster.LocalDataPlane "$kubeconfig" "$traefik" "$inner_port" \
    "$dataplane_dir" >"$dataplane_dir/dataplane.out" 2>&1 ) &
  dataplane_pids+=($!)
  local deadline=$((SECONDS + 90))
  until grep -q '^\[dataplane\] serving' "$dataplane_dir/dataplane.out" 2>/dev/null; do
    if ! kill -0 "${dataplane_pids[-1]}" 2>/dev/null || ((SECONDS >= deadline)); then
      dataplane_log "the pod server and Traefik did not start:"
      tail -20 "$dataplane_dir/dataplane.out" >&2
      return 1
    fi
    sleep 0.5
  done
  # Traefik's web entry point out of the namespace.
  ( in_netns socat "UNIX-LISTEN:$dataplane_dir/web.sock,fork" "TCP:127.0.0.1:$inner_port" \
    2>>"$relay_log" ) &
  dataplane_pids+=($!)
  socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$dataplane_dir/web.sock" \
    2>>"$relay_log" &
  dataplane_pids+=($!)
}

stop_dataplane() {
  local i
  for ((i = ${#dataplane_pids[@]} - 1; i >= 0; i--)); do
    kill "${dataplane_pids[i]}" 2>/dev/null || true
  done
  for i in "${dataplane_pids[@]}"; do
    wait "$i" 2>/dev/null || true
  done
  dataplane_pids=()
  [[ -n "$dataplane_dir" ]] && rm -rf "$dataplane_dir"
  dataplane_dir=
}
