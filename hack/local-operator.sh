# Sourced by hack/run-local.sh (and its test, RunLocalIT): runs Baton's operator as a local
# process and tells the truth about it. The operator serves /healthz, /readyz and /metrics on
# BATON_HTTP_ADDRESS and exits at once when it cannot (a port that another process holds): a
# script that started it must not report it as running before /readyz answers.
#
#   choose_http_address <default host:port>   prints the address to serve on (see below)
#   start_operator <address> <log> <command...>   starts the operator in the background, its
#                                              output in <log> and on our stdout; sets operator_pid
#   await_operator_ready <address> <seconds>   until /readyz says ok (sets operator_address);
#                                              explains why not and fails
#   stop_operator                              stops it (SIGTERM, its graceful shutdown)
#
# Needs bash and coreutils only: the probes use bash's /dev/tcp, not curl.

operator_pid=""
operator_log=""
operator_address=""
operator_tail_pid=""

_say() { printf '[run] %s\n' "$*" >&2; }

# _probe_host <host>: where to connect to reach a server bound to <host> (any address: loopback).
_probe_host() {
  case "$1" in
    "" | 0.0.0.0 | "[::]" | "::") echo 127.0.0.1 ;;
    *) echo "$1" ;;
  esac
}

# port_answers <host> <port>: something accepts connections there (so we cannot bind it).
port_answers() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$(_probe_host "$1")" "$2" 2>/dev/null
}

# http_status <host> <port> <path>: prints the HTTP status code and the first body line of a GET
# (the server is on this machine: connecting does not hang; reading waits 3 s at most).
http_status() {
  local host
  host=$(_probe_host "$1")
  (
    exec 3<>"/dev/tcp/$host/$2" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$3" "$host" >&3
    read -r -t 3 _ status _ <&3 || exit 1
    while read -r -t 3 line <&3 && [[ -n "${line%$'\r'}" ]]; do :; done
    read -r -t 3 line <&3 || true
    echo "$status ${line%$'\r'}"
  ) 2>/dev/null
}

# choose_http_address <default>: BATON_HTTP_ADDRESS when set; fails, naming the fix, when another
# process answers on its port. Otherwise the default, or, when its port is taken, port 0: the
# kernel picks a free one when the operator binds (a port that merely does not answer may still
# be in use), and await_operator_ready reads which from the operator's log.
choose_http_address() {
  local default=$1 address host port
  if [[ -n "${BATON_HTTP_ADDRESS:-}" ]]; then
    address=$BATON_HTTP_ADDRESS
    host=${address%:*} port=${address##*:}
    # A malformed value is the operator's to reject, with its own message.
    if [[ "$port" =~ ^[0-9]+$ ]] && port_answers "$host" "$port"; then
      _say "BATON_HTTP_ADDRESS=$address, but another process listens on port $port."
      _say "Stop that process, set BATON_HTTP_ADDRESS to a free port (e.g. $host:$(_free_port "$host" "$port")),"
      _say "or unset BATON_HTTP_ADDRESS to let hack/run-local.sh pick a free port."
      return 1
    fi
    echo "$address"
    return
  fi
  host=${default%:*} port=${default##*:}
  if port_answers "$host" "$port"; then
    _say "port $port is taken by another process: the operator serves /healthz, /readyz and" \
      "/metrics on a free port instead, named below once it is ready (BATON_HTTP_ADDRESS chooses)"
    port=0
  fi
  echo "$host:$port"
}

# _free_port <host> <port>: the first port above <port> that nothing answers on (for a hint).
_free_port() {
  local p
  for ((p = $2 + 1; p <= $2 + 100 && p <= 65535; p++)); do
    port_answers "$1" "$p" || { echo "$p"; return; }
  done
  return 1
}

start_operator() {
  local address=$1
  operator_log=$2
  shift 2
  mkdir -p "$(dirname "$operator_log")"
  : >"$operator_log"
  # Written to a file (read below to name the cause of a failure) and shown as it comes.
  BATON_HTTP_ADDRESS=$address "$@" >"$operator_log" 2>&1 &
  operator_pid=$!
  tail -n +1 -s 0.2 -f --pid="$operator_pid" "$operator_log" &
  operator_tail_pid=$!
}

stop_operator() {
  if [[ -n "$operator_pid" ]] && kill -0 "$operator_pid" 2>/dev/null; then
    kill "$operator_pid" 2>/dev/null || true
    wait "$operator_pid" 2>/dev/null || true
  fi
  if [[ -n "$operator_tail_pid" ]]; then
    kill "$operator_tail_pid" 2>/dev/null || true
    wait "$operator_tail_pid" 2>/dev/null || true
  fi
  operator_pid="" operator_tail_pid=""
}

# await_operator_ready <address> <seconds>: until the operator (still alive) answers "ok" on
# /readyz: it started, connected and synced its caches. Sets operator_address to where it serves
# (port 0 resolved). On failure says why and what to do.
await_operator_ready() {
  local address=$1 timeout=$2 host port answer=""
  host=${address%:*} port=${address##*:}
  operator_address=$address
  local deadline=$((SECONDS + timeout))
  while true; do
    if [[ "$port" == 0 ]]; then
      # BatonOperator logs the port it bound: "Serving /healthz, /readyz and /metrics on port N".
      local bound
      bound=$(grep -m1 -o '/metrics on port [0-9]*' "$operator_log" | grep -o '[0-9]*$') || true
      if [[ -n "$bound" ]]; then
        port=$bound
        operator_address=$host:$bound
      fi
    fi
    if ! kill -0 "$operator_pid" 2>/dev/null; then
      local code=0
      wait "$operator_pid" 2>/dev/null || code=$?
      # Let the log's last lines show before our explanation.
      wait "$operator_tail_pid" 2>/dev/null || true
      _explain_exit "$address" "$code"
      return 1
    fi
    if [[ "$port" != 0 ]]; then
      answer=$(http_status "$host" "$port" /readyz) || answer=""
    fi
    if [[ "$answer" == "200 ok" ]] && kill -0 "$operator_pid" 2>/dev/null; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      _say "the operator runs but was not ready within ${timeout}s (/readyz on $address:" \
        "${answer:-no answer}); its log is above and in $operator_log"
      return 1
    fi
    sleep 0.5
  done
}

_explain_exit() {
  local address=$1 code=$2 port=${1##*:}
  if grep -q 'java.net.BindException' "$operator_log"; then
    _say "the operator exited: it cannot serve /healthz, /readyz and /metrics on $address" \
      "($(grep -m1 -o 'java.net.BindException.*' "$operator_log"))."
    _say "Another process holds port $port: stop it, or set BATON_HTTP_ADDRESS to a free" \
      "host:port (e.g. BATON_HTTP_ADDRESS=${address%:*}:$(_free_port "${address%:*}" "$port"))."
    return
  fi
  local cause
  cause=$(grep -m1 -E '^(Exception in thread|[a-zA-Z_.$]+(Exception|Error)\b)' "$operator_log" || true)
  _say "the operator exited with status $code before it was ready${cause:+: $cause}." \
    "Its log is above and in $operator_log."
}
