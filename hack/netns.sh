# Sourced by hack/test.sh (and hack/run-local.sh): a private network namespace for one run, so
# that real traffic (the harness' pod server on each pod's address, Traefik, the load generator)
# never leaves the machine's loopback or a namespace this run made itself.
#
# netns_start        creates the namespace: only a loopback interface, up, with the pod range
#                    ($(hack/cluster.sh pod-cidr)) routed locally, so any pod address is bindable
#                    and an unbound one refuses connections. Sets NETNS_PID.
# netns_exec CMD...  runs a command inside it
# netns_stop_all     stops every process left inside it (for the clean-up on exit)
# netns_java_home    prints a JDK directory whose bin/java runs the real java inside it (Surefire
#                    and Failsafe fork their test JVMs with it: -Djvm=...)
#
# The namespace itself needs no clean-up: it is held by a process that exits with the calling
# shell (even on SIGKILL) and disappears when its last process does. As root it is a plain
# `unshare --net`; otherwise `unshare --user --map-root-user --net`, which needs no privileges
# where unprivileged user namespaces are allowed (most distributions).

NETNS_PID=
NETNS_INODE=
NETNS_ENTER=()

netns_log() { printf '[netns] %s\n' "$*" >&2; }

netns_start() {
  local range
  range=$(hack/cluster.sh pod-cidr)
  local tool
  for tool in unshare nsenter ip tail; do
    command -v "$tool" >/dev/null || { netns_log "$tool is needed (Debian/Ubuntu: util-linux, iproute2)"; return 1; }
  done
  local userns=()
  NETNS_ENTER=(--net)
  if [[ $(id -u) != 0 ]]; then
    userns=(--user --map-root-user)
    # setgroups is denied in a user namespace mapped by --map-root-user: keep our credentials.
    NETNS_ENTER=(--user --net --preserve-credentials)
  fi
  # The holder sets the namespace up, then lives exactly as long as this shell. It runs in a
  # session of its own: a Ctrl-C (SIGINT to the whole foreground process group) or a timeout's
  # SIGTERM to its group must not end it before this shell's clean-up has entered the namespace.
  setsid unshare "${userns[@]}" --net -- sh -c "ip link set lo up && ip route add local $range dev lo \
    && exec tail --pid=$$ -f /dev/null" &
  NETNS_PID=$!
  local i
  for i in $(seq 100); do
    if netns_exec ip route show table local "$range" 2>/dev/null | grep -q .; then
      NETNS_INODE=$(readlink "/proc/$NETNS_PID/ns/net")
      netns_log "network namespace ready (holder pid $NETNS_PID, pod range $range local, loopback only)"
      return 0
    fi
    kill -0 "$NETNS_PID" 2>/dev/null || break
    sleep 0.1
  done
  netns_log "could not create a network namespace with unshare (unprivileged user namespaces disabled?)"
  return 1
}

netns_exec() {
  nsenter --target "$NETNS_PID" "${NETNS_ENTER[@]}" -- "$@"
}

# Stops every process still in the namespace but its holder (a test JVM's operator or Traefik
# whose parent was killed, say): TERM, then KILL after 5 s. For the clean-up on exit.
netns_stop_all() {
  [[ -n "$NETNS_INODE" ]] || return 0
  local pids=() p i alive
  for p in /proc/[0-9]*; do
    [[ "$(readlink "$p/ns/net" 2>/dev/null)" == "$NETNS_INODE" ]] || continue
    p=${p#/proc/}
    [[ "$p" == "$NETNS_PID" ]] || pids+=("$p")
  done
  ((${#pids[@]})) || return 0
  netns_log "stopping ${#pids[@]} process(es) left in the namespace"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for i in $(seq 50); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

# A JDK-shaped directory (bin/java plus the real JDK's release file, from which Surefire reads the
# Java version) whose java enters the namespace first. Maven itself stays outside: it resolves
# plugins and test providers from the registry while the forked test JVMs run inside.
netns_java_home() {
  local real_java real_home dir
  real_java=$(command -v java)
  [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && real_java="$JAVA_HOME/bin/java"
  real_java=$(readlink -f "$real_java")
  real_home=$(dirname "$(dirname "$real_java")")
  dir=$(mktemp -d "${TMPDIR:-/tmp}/baton-netns-jdk.XXXXXX")
  mkdir -p "$dir/bin"
  [[ -f "$real_home/release" ]] && cp "$real_home/release" "$dir/release"
  {
    echo '#!/bin/sh'
    printf 'exec nsenter --target %q' "$NETNS_PID"
    printf ' %q' "${NETNS_ENTER[@]}"
    printf ' -- %q "$@"\n' "$real_java"
  } >"$dir/bin/java"
  chmod +x "$dir/bin/java"
  echo "$dir"
}
